package store

import "time"

// Kinds of mention.
const (
	KindMention = "mention" // someone else talks about a brand
	KindOwned   = "owned"   // a brand's own account posted it
)

// Mention is one matched post, as stored. ID is "<network>:<native id>" and is
// the identity used for deduplication.
type Mention struct {
	ID       string `json:"id"`
	Network  string `json:"network"`
	Source   string `json:"source"`    // config source name that fetched it
	NativeID string `json:"native_id"` // the network's own id, or the canonical link
	URL      string `json:"url"`
	Title    string `json:"title,omitempty"`
	// ParentTitle is the title of the thread or video a reply belongs to:
	// context shown with the reply, never matched or indexed as its text.
	ParentTitle string `json:"parent_title,omitempty"`
	Text        string `json:"text"` // plain text, HTML already removed
	Kind        string `json:"kind"` // KindMention or KindOwned

	Author          string `json:"author,omitempty"` // handle
	AuthorName      string `json:"author_name,omitempty"`
	AuthorFollowers int64  `json:"author_followers,omitempty"` // 0 when unknown

	Published time.Time `json:"published"`
	Fetched   time.Time `json:"fetched"`
	Lang      string    `json:"lang,omitempty"` // "en", "ko", "other" or ""

	// Engagement as the network names it ("points", "num_comments", ...).
	Engagement map[string]int64 `json:"engagement,omitempty"`
	// EngagementTotal is the mention's interactions: the sum of its
	// Engagement counts the networks table classes as interactions (likes,
	// reposts, replies, quotes, points; never views or impressions).
	// Exposure is the sum of its exposure counts (views, impressions), nil
	// when it has none. Both are derived from Engagement by
	// DeriveEngagement, on Commit and on every decode (records written
	// before the split summed every count here); a mention without
	// Engagement keeps the EngagementTotal it was given.
	EngagementTotal int64  `json:"engagement_total"`
	Exposure        *int64 `json:"exposure,omitempty"`

	Brands []string `json:"brands"`           // brand names matched
	Topics []string `json:"topics,omitempty"` // topic names matched

	// ReplyTo is the ID ("<network>:<native id>") of the post this one
	// answers, "" when none.
	ReplyTo string `json:"reply_to,omitempty"`
	// Links are the outbound URLs the post carries.
	Links []string `json:"links,omitempty"`
	// PublishedEstimated is true when the network gives no date and
	// Published is when Earshot first saw the post.
	PublishedEstimated bool `json:"published_estimated,omitempty"`

	Sentiment      float64 `json:"sentiment"`                 // [-1, 1]
	SentimentLabel string  `json:"sentiment_label,omitempty"` // positive|neutral|negative
	// BrandSentiment is the sentiment toward each brand a post names when
	// it names several and they differ from the post's ("switched from
	// Acme to Globex": Acme negative, Globex positive); a brand not in it
	// takes Sentiment and SentimentLabel (see SentimentFor).
	BrandSentiment map[string]BrandSentiment `json:"brand_sentiment,omitempty"`
	// SentimentModel is the version of the sentiment models that scored
	// the mention (analysis/sentiment Analyzer.Version); "" before
	// versions were recorded. Rescore re-scores the others.
	SentimentModel string `json:"sentiment_model,omitempty"`

	// EngagementAt is when the counts in Engagement were last read by a
	// refresh (RefreshAges); zero while they are the counts read at
	// Fetched.
	EngagementAt time.Time `json:"engagement_at,omitzero"`
}

// BrandSentiment is a mention's sentiment toward one of its brands.
type BrandSentiment struct {
	Score float64 `json:"score"` // [-1, 1]
	Label string  `json:"label"` // positive|neutral|negative
}

// SentimentFor returns the mention's sentiment toward brand: its own
// entry in BrandSentiment, else the mention's.
func (m *Mention) SentimentFor(brand string) (score float64, label string) {
	if b, ok := m.BrandSentiment[brand]; ok {
		return b.Score, b.Label
	}
	return m.Sentiment, m.SentimentLabel
}

// CommitResult tells what a Commit stored.
type CommitResult struct {
	Added      int // new mentions stored
	Duplicates int // mentions already stored (same ID), skipped
}
