package bluesky

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot/listener"
)

// Limits on what one post may contribute, against hostile bodies.
const (
	maxLinks   = 50
	maxLangLen = 35
	postNSID   = "app.bsky.feed.post"
	repostType = "app.bsky.feed.defs#reasonRepost"
)

// searchResponse is app.bsky.feed.searchPosts's output.
type searchResponse struct {
	Cursor    string     `json:"cursor"`
	HitsTotal *int64     `json:"hitsTotal"`
	Posts     []postView `json:"posts"`
}

// feedResponse is app.bsky.feed.getAuthorFeed's output.
type feedResponse struct {
	Cursor string     `json:"cursor"`
	Feed   []feedItem `json:"feed"`
}

// feedItem is app.bsky.feed.defs#feedViewPost. Reply and Reason are kept
// raw: their members are unions (postView, notFoundPost, blockedPost;
// reasonRepost, reasonPin) that only need a $type look.
type feedItem struct {
	Post   postView        `json:"post"`
	Reason json.RawMessage `json:"reason"`
}

// postView is app.bsky.feed.defs#postView. Record is raw so that one odd
// record skips one post, not the page.
type postView struct {
	URI         string          `json:"uri"`
	CID         string          `json:"cid"`
	Author      profileView     `json:"author"`
	Record      json.RawMessage `json:"record"`
	ReplyCount  *int64          `json:"replyCount"`
	RepostCount *int64          `json:"repostCount"`
	LikeCount   *int64          `json:"likeCount"`
	QuoteCount  *int64          `json:"quoteCount"`
	IndexedAt   string          `json:"indexedAt"`
}

// profileView covers profileViewBasic and profileViewDetailed.
type profileView struct {
	DID            string `json:"did"`
	Handle         string `json:"handle"`
	DisplayName    string `json:"displayName"`
	FollowersCount *int64 `json:"followersCount"`
}

// postRecord is the app.bsky.feed.post record.
type postRecord struct {
	Type      string   `json:"$type"`
	Text      string   `json:"text"`
	CreatedAt string   `json:"createdAt"`
	Langs     []string `json:"langs"`
	Reply     *struct {
		Parent struct {
			URI string `json:"uri"`
		} `json:"parent"`
	} `json:"reply"`
	Facets []struct {
		Features []struct {
			Type string `json:"$type"`
			URI  string `json:"uri"`
		} `json:"features"`
	} `json:"facets"`
	Embed *recordEmbed `json:"embed"`
}

type recordEmbed struct {
	External *struct {
		URI string `json:"uri"`
	} `json:"external"`
	Media *recordEmbed `json:"media"` // app.bsky.embed.recordWithMedia
}

func decodeSearch(b []byte) (*searchResponse, error) {
	var r searchResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func decodeFeed(b []byte) (*feedResponse, error) {
	var r feedResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// isRepost reports whether a feed item is a repost (reasonRepost).
func (it *feedItem) isRepost() bool {
	if len(it.Reason) == 0 {
		return false
	}
	var r struct {
		Type string `json:"$type"`
	}
	return json.Unmarshal(it.Reason, &r) == nil && r.Type == repostType
}

// atURI is a parsed at://authority/collection/rkey.
type atURI struct{ Authority, Collection, RKey string }

func parseATURI(s string) (atURI, bool) {
	rest, ok := strings.CutPrefix(s, "at://")
	if !ok || len(s) > 8192 {
		return atURI{}, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || !validRKey(parts[2]) {
		return atURI{}, false
	}
	return atURI{parts[0], parts[1], parts[2]}, true
}

// validRKey follows the atproto record-key syntax.
func validRKey(k string) bool {
	if k == "" || len(k) > 512 || k == "." || k == ".." {
		return false
	}
	for _, c := range k {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._:~-", c)
		if !ok {
			return false
		}
	}
	return true
}

// sortAt is the time the AppView orders and filters by: the earlier of
// createdAt and indexedAt, or indexedAt when createdAt is unusable. ok is
// false when neither time parses.
func (pv *postView) sortAt(rec *postRecord) (time.Time, bool) {
	idx, iok := parseTime(pv.IndexedAt)
	cr, cok := parseTime(rec.CreatedAt)
	switch {
	case iok && cok && cr.Before(idx):
		return cr, true
	case iok:
		return idx, true
	case cok:
		return cr, true
	}
	return time.Time{}, false
}

func parseTime(s string) (time.Time, bool) {
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// decode returns the record and the post's time, or an error saying why
// the post cannot be used.
func (pv *postView) decode() (*postRecord, time.Time, error) {
	u, ok := parseATURI(pv.URI)
	if !ok || u.Collection != postNSID {
		return nil, time.Time{}, fmt.Errorf("not a post uri %q", trunc(pv.URI, 100))
	}
	var rec postRecord
	if err := json.Unmarshal(pv.Record, &rec); err != nil {
		return nil, time.Time{}, fmt.Errorf("post %s: record: %w", pv.URI, err)
	}
	at, ok := pv.sortAt(&rec)
	if !ok {
		return nil, time.Time{}, fmt.Errorf("post %s: no usable createdAt or indexedAt", pv.URI)
	}
	return &rec, at, nil
}

// toPost maps a decoded post view to a Post.
func (pv *postView) toPost(rec *postRecord, at time.Time) listener.Post {
	u, _ := parseATURI(pv.URI)
	who := pv.Author.Handle
	if who == "" || who == "handle.invalid" || strings.ContainsAny(who, "/?#") {
		who = u.Authority
	}
	p := listener.Post{
		Network:    Network,
		NativeID:   pv.URI,
		URL:        "https://bsky.app/profile/" + url.PathEscape(who) + "/post/" + url.PathEscape(u.RKey),
		Text:       clean(rec.Text),
		Author:     clean(pv.Author.Handle),
		AuthorName: clean(pv.Author.DisplayName),
		Published:  at,
		Links:      rec.links(),
	}
	if p.Author == "" {
		p.Author = u.Authority
	}
	if len(rec.Langs) > 0 {
		if l := strings.TrimSpace(rec.Langs[0]); len(l) <= maxLangLen {
			p.Lang = clean(l)
		}
	}
	if rec.Reply != nil {
		if parent, ok := parseATURI(rec.Reply.Parent.URI); ok && parent.Collection == postNSID {
			p.ReplyTo = rec.Reply.Parent.URI
		}
	}
	eng := map[string]int64{}
	for name, v := range map[string]*int64{"likes": pv.LikeCount, "reposts": pv.RepostCount, "replies": pv.ReplyCount, "quotes": pv.QuoteCount} {
		if v != nil {
			eng[name] = max(*v, 0)
		}
	}
	if len(eng) > 0 {
		p.Engagement = eng
	}
	return p
}

// links gathers the outbound URLs of link facets and external embeds.
func (rec *postRecord) links() []string {
	var out []string
	seen := map[string]bool{}
	add := func(raw string) {
		if len(out) >= maxLinks || len(raw) > 4096 {
			return
		}
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return
		}
		s := u.String()
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, f := range rec.Facets {
		for _, ft := range f.Features {
			if ft.Type == "app.bsky.richtext.facet#link" {
				add(ft.URI)
			}
		}
	}
	for e, depth := rec.Embed, 0; e != nil && depth < 2; e, depth = e.Media, depth+1 {
		if e.External != nil {
			add(e.External.URI)
		}
	}
	return out
}

func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.TrimSpace(s)
}

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
