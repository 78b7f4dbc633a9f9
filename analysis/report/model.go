package report

// Report is one competitive gap report. Every list is sorted and every
// figure is computed from the rollups in the window stated by Meta, so the
// same data and request give the same bytes in every format.
type Report struct {
	Meta     Meta            `json:"meta"`
	Own      string          `json:"own"`
	Brands   []string        `json:"brands"` // own first, then competitors in config order
	Voice    VoiceSection    `json:"share_of_voice"`
	Care     CareSection     `json:"customer_care"`
	Gap      GapSection      `json:"gap"`
	Spikes   SpikeSection    `json:"spikes"`
	Trend    TrendSection    `json:"trend"`
	Audience AudienceSection `json:"audience"`
	Topics   TopicSection    `json:"topics"`
	Emerging EmergingSection `json:"emerging_terms"`
	Goals    GoalSection     `json:"goals"`
	Top      TopSection      `json:"top_mentions"`
	// Drivers are each brand's most engaged posts per network in the
	// window: the evidence of its findings (findings_evidence.go).
	Drivers []Drivers `json:"finding_drivers"`
	// Freshness: how long after publication the counts behind the
	// engagement figures were read (freshness.go).
	Freshness *Freshness `json:"engagement_freshness"`
}

// Meta makes a report reproducible: what it covers and from which data.
type Meta struct {
	Period         string   `json:"period"` // one of Periods
	Start          string   `json:"start"`  // RFC 3339 in Timezone, inclusive
	End            string   `json:"end"`    // exclusive
	PrevStart      string   `json:"prev_start"`
	Days           int      `json:"days"`
	Timezone       string   `json:"timezone"`
	Networks       []string `json:"networks"` // the networks reported
	ConfigHash     string   `json:"config_hash"`
	Watermark      uint64   `json:"data_watermark"` // last mention sequence stored
	FormulaVersion string   `json:"formula_version"`
	Generated      string   `json:"generated"` // Request.Now
	// Stale is true when a cached report is served although data it read
	// changed after it was built (Cache, at most MaxStale later): its
	// figures are as of Generated, and a rebuild is under way; StaleAge
	// is how long after its build started it was served, in seconds. Both
	// are absent from an exact report.
	Stale    bool     `json:"stale,omitempty"`
	StaleAge *int64   `json:"stale_age_s,omitempty"`
	Notes    []string `json:"notes,omitempty"`
	// NoteList is Notes keyed, for other languages (Report.NotesIn).
	NoteList []Note `json:"-"`
}

// VoiceSection is volume, share of voice, sentiment and owned engagement
// per network ("all" first) and brand.
type VoiceSection struct {
	Formula  []string        `json:"formula"`
	Networks []NetworkVoices `json:"networks"`
}

// NetworkVoices is one network's figures.
type NetworkVoices struct {
	Network string `json:"network"`
	// Category is every mention on the network once (brands or topics).
	Category     int64 `json:"category_mentions"`
	CategoryPrev int64 `json:"category_mentions_prev"`
	// Mentions is Σ brands' mentions (the SOV denominator); ReachKnown and
	// ExposureKnown how many of them have a known follower count and a
	// known exposure: the coverage of the reach and exposure figures.
	Mentions      int64 `json:"brand_mentions"`
	ReachKnown    int64 `json:"reach_known_mentions"`
	ExposureKnown int64 `json:"exposure_known_mentions"`
	// PrevPartial is true when collection began after the previous period
	// started (on "all": on any reported network), so changes read "prev.
	// partly collected".
	PrevPartial bool `json:"prev_period_partial"`
	// Leader has the highest SOV by mentions; "" when nobody is mentioned,
	// on a tie, or below the minimum sample (LeaderNote says which).
	Leader     string         `json:"leader"`
	LeaderNote string         `json:"leader_note,omitempty"`
	Brands     []BrandFigures `json:"brands"`
}

// BrandFigures are one brand's figures on one network. Pointers are null
// where a figure is undefined (a ratio over zero) or unknown (no mention
// with a known follower count or exposure).
type BrandFigures struct {
	Brand          string   `json:"brand"`
	Mentions       int64    `json:"mentions"`
	MentionsPrev   int64    `json:"mentions_prev"`
	MentionsChange *float64 `json:"mentions_change_pct"`
	ChangeNote     string   `json:"mentions_change_note,omitempty"` // "new" | "prev. partly collected" | "too few to call" when the change is null
	SOV            float64  `json:"sov_pct"`
	SOVPrev        *float64 `json:"sov_prev_pct"`
	SOVChange      *float64 `json:"sov_change_pts"`
	SOVChangeNote  string   `json:"sov_change_note,omitempty"`
	EngagementSOV  *float64 `json:"engagement_sov_pct"` // of interactions
	ReachSOV       *float64 `json:"reach_sov_pct"`
	UniqueReachSOV *float64 `json:"unique_reach_sov_pct"`
	Interactions   *int64   `json:"interactions"` // null where the network gives no interaction counts
	Exposure       *int64   `json:"exposure"`
	ExposureKnown  int64    `json:"exposure_known_mentions"`
	Reach          *int64   `json:"reach"`
	ReachKnown     int64    `json:"reach_known_mentions"`
	UniqueReach    *int64   `json:"unique_reach"`
	Authors        int64    `json:"authors"`
	Positive       int64    `json:"positive"`
	Neutral        int64    `json:"neutral"`
	Negative       int64    `json:"negative"`
	NegativePrev   int64    `json:"negative_prev"` // labelled negative in the previous period
	NetSentiment   *float64 `json:"net_sentiment"`
	NetPrev        *float64 `json:"net_sentiment_prev"`
	AvgSentiment   *float64 `json:"avg_sentiment"`
	OwnedPosts     int64    `json:"owned_posts"`
	PostsPerWeek   float64  `json:"owned_posts_per_week"`
	OwnedEng       int64    `json:"owned_interactions"`
	EngPerPost     *float64 `json:"interactions_per_post"`
	LinkMentions   int64    `json:"link_mentions"`
	LinkPrev       int64    `json:"link_mentions_prev"`
}

// CareSection is each brand's owned replies to mentions of it.
type CareSection struct {
	Formula []string  `json:"formula"`
	Rows    []CareRow `json:"rows"` // by network ("all" first), then brand order
}

// CareRow is one brand's customer care on one network.
type CareRow struct {
	Network      string   `json:"network"`
	Brand        string   `json:"brand"`
	Mentions     int64    `json:"mentions"`
	Answered     int64    `json:"answered"`
	ResponseRate *float64 `json:"response_rate_pct"`
	MedianHours  *float64 `json:"median_response_hours"`
	MeanHours    *float64 `json:"mean_response_hours"`
}

// GapSection benchmarks the own brand against the competitors.
type GapSection struct {
	Formula    []string     `json:"formula"`
	Index      []IndexRow   `json:"comp_index"`
	WhiteSpace []WhiteSpace `json:"white_space"`
}

// IndexRow is CompIndex for one network and metric.
type IndexRow struct {
	Network       string   `json:"network"`
	Metric        string   `json:"metric"`
	LowerIsBetter bool     `json:"lower_is_better,omitempty"`
	Own           *float64 `json:"own"`
	Competitors   *float64 `json:"competitors_avg"`
	CompIndex     *float64 `json:"comp_index"`
	// Leader has the best figure; "" when no figure is known, all are
	// equal (everyone 0), or the network is below the minimum sample.
	Leader string `json:"leader"`
}

// WhiteSpace is a network where the category is discussed but the
// competitors are weak or absent.
type WhiteSpace struct {
	Network         string  `json:"network"`
	Category        int64   `json:"category_mentions"`
	CategoryShare   float64 `json:"category_share_pct"` // of all networks' category volume
	OwnSOV          float64 `json:"own_sov_pct"`
	TopCompetitor   string  `json:"top_competitor"`
	TopCompetitorSV float64 `json:"top_competitor_sov_pct"`
	Status          string  `json:"status"` // absent | weak | too few to call
}

// SpikeSection lists days whose volume broke out of the trailing baseline.
type SpikeSection struct {
	Formula []string `json:"formula"`
	Spikes  []Spike  `json:"spikes"`
	// Notes say where no spike could be called: "naver: baseline too
	// short: 3 of 14 days collected (from 2026-11-16)".
	Notes []string `json:"notes,omitempty"`
	notes []Note   // Notes keyed
}

// Spike is one brand's day above mean + 3σ on one network ("all" included).
type Spike struct {
	Day       string  `json:"day"`
	Network   string  `json:"network"`
	Brand     string  `json:"brand"`
	Mentions  int64   `json:"mentions"`
	Mean      float64 `json:"baseline_mean"`
	Sigma     float64 `json:"baseline_sigma"`
	Threshold float64 `json:"threshold"`
	// BaselineDays is how many of the 28 baseline days were collected
	// (whole days after collection began on the network); at least 14.
	BaselineDays int `json:"baseline_days"`
	// Estimated counts the day's mentions whose date is estimated (stamped
	// when seen): not in Mentions, but returned by Search.
	Estimated int64 `json:"estimated_dates"`
	// Search is the search page showing the day's mentions (Mentions +
	// Estimated); Why explains the spike (nil past the first 10).
	Search string            `json:"search"`
	Why    *SpikeExplanation `json:"why,omitempty"`
}

// TrendSection is daily volume (baseline and window) and weekly net
// sentiment per brand, over the report's networks.
type TrendSection struct {
	Formula []string     `json:"formula"`
	Days    []string     `json:"days"`
	Weeks   []string     `json:"weeks"` // first day of each 7-day block
	Brands  []BrandTrend `json:"brands"`
	// ShareNetworks are the networks the weekly shares (WeeklySOV) are
	// over: those collected in full in each of the last ShareWeeks weeks
	// (trendshare.go); none when no week has a share.
	ShareNetworks []string `json:"share_networks"`
	ShareWeeks    int      `json:"share_weeks"`
}

// BrandTrend is one brand's series, aligned with Days and Weeks.
type BrandTrend struct {
	Brand        string     `json:"brand"`
	Daily        []int64    `json:"daily_mentions"`
	WeeklyNet    []*float64 `json:"weekly_net_sentiment"`
	WeeklyVolume []int64    `json:"weekly_mentions"`
	// WeeklySOV is the brand's share of voice per week over
	// TrendSection.ShareNetworks; null outside the last ShareWeeks weeks
	// or in a week without mentions there.
	WeeklySOV []*float64 `json:"weekly_sov"`
}

// AudienceSection describes who talks, when and where.
type AudienceSection struct {
	Formula    []string      `json:"formula"`
	Languages  []LangRow     `json:"languages"`
	HourOfWeek [7][24]int64  `json:"hour_of_week"` // Monday first, local hours
	TopVoices  []Voice       `json:"top_voices"`
	Sites      []DomainCount `json:"top_sites"`        // news/web hosts publishing mentions
	Links      []DomainCount `json:"top_link_domains"` // hosts mentions link to
}

// LangRow counts one brand's mentions per language.
type LangRow struct {
	Brand  string       `json:"brand"`
	Counts []LabelCount `json:"counts"`
}

// LabelCount is a named count.
type LabelCount struct {
	Label string `json:"label"`
	Count int64  `json:"count"`
}

// Voice is an author ranked by the interactions of their mentions.
type Voice struct {
	Network      string   `json:"network"`
	Author       string   `json:"author"`
	Mentions     int64    `json:"mentions"`
	Interactions int64    `json:"interactions"`
	Followers    *int64   `json:"followers"` // null when unknown
	Brands       []string `json:"brands"`
}

// DomainCount is a host with how many mentions it published or was linked by.
type DomainCount struct {
	Domain   string `json:"domain"`
	Mentions int64  `json:"mentions"`
	Brand    string `json:"brand,omitempty"` // owning brand, when a brand domain
}

// TopicSection is configured topic volumes.
type TopicSection struct {
	Formula []string   `json:"formula"`
	Topics  []TopicRow `json:"topics"`
}

// TopicRow is one [[topic]]'s mentions in the window and before.
type TopicRow struct {
	Topic     string       `json:"topic"`
	Mentions  int64        `json:"mentions"`
	Prev      int64        `json:"mentions_prev"`
	Change    *float64     `json:"change_pct"`
	Note      string       `json:"change_note,omitempty"`
	ByNetwork []LabelCount `json:"by_network"`
}

// EmergingSection lists words rising per brand.
type EmergingSection struct {
	Formula []string     `json:"formula"`
	Brands  []BrandTerms `json:"brands"`
}

// BrandTerms is one brand's emerging words, strongest first.
type BrandTerms struct {
	Brand string     `json:"brand"`
	Terms []Emerging `json:"terms"`
	// Phrases are noun phrases (English, 2–3 words) and noun sequences
	// (Korean) ranked like Terms over a sample of the brand's mentions;
	// PhraseSample states the sample ("40 of 120 window mentions, 80 of
	// 800 baseline mentions").
	Phrases      []Emerging `json:"phrases"`
	PhraseSample string     `json:"phrase_sample"`
}

// Emerging is a word used more this period than in the baseline.
type Emerging struct {
	Term     string  `json:"term"`
	Count    int64   `json:"count"`
	Baseline int64   `json:"baseline_count"`
	Lift     float64 `json:"lift"`
	G2       float64 `json:"log_likelihood"`
	Search   string  `json:"search,omitempty"` // the search showing the mentions that use it
}

// GoalSection tracks the configured goals.
type GoalSection struct {
	Formula []string     `json:"formula"`
	Goals   []GoalStatus `json:"goals"`
}

// GoalStatus is one goal's progress and projection.
type GoalStatus struct {
	Name      string   `json:"name"`
	Brand     string   `json:"brand"`
	Metric    string   `json:"metric"`
	Network   string   `json:"network"`
	Unit      string   `json:"unit"`
	Target    float64  `json:"target"`
	Deadline  string   `json:"deadline"`
	Baseline  *float64 `json:"baseline"`
	Current   *float64 `json:"current"`
	Progress  *float64 `json:"progress_pct"`
	Slope     *float64 `json:"slope_per_week"`
	Projected *float64 `json:"projected"`
	Status    string   `json:"status"` // met | on track | behind | missed | too early | no data
	// Min and Max bound the metric (null = unbounded): the projection is
	// clamped to them.
	Min        *float64   `json:"min"`
	Max        *float64   `json:"max"`
	WeekStarts []string   `json:"week_starts"`
	Weekly     []*float64 `json:"weekly"`
}

// TopSection lists the most engaged positive and negative mentions.
type TopSection struct {
	Formula []string    `json:"formula"`
	Brands  []BrandTops `json:"brands"`
}

// BrandTops is one brand's top mentions.
type BrandTops struct {
	Brand    string       `json:"brand"`
	Positive []TopMention `json:"positive"`
	Negative []TopMention `json:"negative"`
}

// TopMention is a mention as the report shows it.
type TopMention struct {
	ID        string `json:"id"`
	Network   string `json:"network"`
	URL       string `json:"url"`
	Title     string `json:"title,omitempty"`
	Excerpt   string `json:"excerpt"`
	Author    string `json:"author,omitempty"`
	Published string `json:"published"`
	// Estimated: the network gave no date; Published is when Earshot
	// first saw the post.
	Estimated  bool    `json:"published_estimated,omitempty"`
	Engagement int64   `json:"interactions"`
	Sentiment  float64 `json:"sentiment"`
}
