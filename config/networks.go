package config

import (
	"maps"
	"slices"
	"time"
)

// Networks known to this build: the names of the rows of networkTable.
const (
	NetworkHackerNews = "hackernews"
	NetworkRSS        = "rss"
	NetworkReddit     = "reddit"
	NetworkMastodon   = "mastodon"
	NetworkBluesky    = "bluesky"
	NetworkNaver      = "naver"
	NetworkDaum       = "daum"
	NetworkYouTube    = "youtube"
	NetworkX          = "x"
	NetworkWeb        = "web"
)

// Network is one row of the networks table: what Earshot knows about a
// network outside the network's own package. Config validation, the example
// configuration, the reference table in docs/networks.md, the labels of the
// digest and the report, the source builders (listener/registry), the demo
// and the mention generator all read it.
type Network struct {
	Name  string // the value of network = "…" in a [[source]]
	Label string // the name people read: digest headings, report filters, docs
	// LabelKo is Label in Korean, for a Korean digest and report page
	// ("" = Label).
	LabelKo string
	Every   time.Duration // default poll interval
	Floor   time.Duration // shortest interval allowed
	// BaseURL is the default base_url ("" when the key does not apply, or
	// is required).
	BaseURL string
	// Keys are the network-specific keys that apply (the common keys
	// network, name, every, timeout and lookback always apply).
	Keys []string
	// Required are the Keys a source of the network must set (its check
	// function refuses a source without them).
	Required []string
	// Secrets are *_env keys that must be set; OptionalSecrets may be.
	Secrets, OptionalSecrets []string
	// Budget is the network's daily quota, nil when it has none.
	Budget *Budget
	// OwnHosts: the network's posts live on the publishers' own sites
	// (news, blogs, crawled forums), so their host names are a figure of
	// the report (top domains).
	OwnHosts bool
	// Fake is the package, from the module root, of the fake server that
	// replays the network's recorded responses (tests, demo).
	Fake string
	// Volume ranks the network by typical mention volume, 1 the busiest:
	// the order of the seeded mention generator's network skew. 0 = not
	// generated.
	Volume int
	// Example are the lines of its [[source]] in Example after network and
	// every; Starter sources are on in the example, the others commented
	// out (they need an account or a site).
	Example []string
	Starter bool
	// Engagement classes every engagement count the network's listener
	// gives (its Post.Engagement keys): interactions or exposure. A key
	// missing here counts in neither (ClassifyEngagement).
	Engagement map[string]EngagementClass
	// History is how far back a source's first poll can reach on the
	// network: the longest lookback its API honours (X's recent search: 7
	// days; MaxLookback when any age can be asked for). 0 = the network
	// returns no history a first poll could rely on (a feed lists its
	// latest items only, a crawl what the pages show). The report counts
	// a source's first poll at T as having collected from T − Backfill
	// (docs/report.md "Coverage and calls").
	History time.Duration

	// check validates the network-specific keys and fills their defaults.
	check func(v *validator, s *Source, sp string)
}

// Budget is a network's daily quota: daily_budget's default and range, in
// the network's unit, counted per day in Zone.
type Budget struct {
	Default int    // daily_budget when not set; 0 = daily_budget is required
	Max     int    // the largest daily_budget allowed
	Unit    string // what one unit of budget buys: "calls", "quota units"
	Why     string // why the budget is required (Default 0), for the error
	Zone    string // IANA zone of the budget day; "" = earshot.timezone
	// PerQuery is what one query costs per poll, at least (a YouTube
	// search.list is 100 quota units; a Naver search 1 call per kind);
	// 0 when it cannot be told in advance (X bills the posts returned).
	// QuotaWarnings reads it.
	PerQuery int
}

// networkTable lists the networks this build can poll, in the order they
// are shown. Adding a network is one row here (with its check function in
// networks_check.go), its package under listener/ and its builder in
// listener/registry.
var networkTable = []Network{
	{Name: NetworkHackerNews, History: MaxLookback, Engagement: map[string]EngagementClass{"points": Interaction, "num_comments": Interaction},
		Label: "Hacker News", LabelKo: "해커뉴스", Every: 5 * time.Minute, Floor: time.Minute,
		BaseURL: "https://hn.algolia.com", Keys: []string{"base_url", "queries", "tags"},
		Fake: "listener/replay", Volume: 3, Starter: true, check: checkHackerNews,
		Example: []string{
			`# Hacker News through the Algolia API (no account needed). Queries default`,
			`# to every brand term and handle.`,
			`tags = ["story", "comment"]`,
			`lookback = "72h"           # how far back the first fetch reaches (default 72h, up to 365d)`,
		}},
	{Name: NetworkRSS, Label: "News & blogs (RSS)", LabelKo: "뉴스·블로그 (RSS)", Every: 15 * time.Minute, Floor: 5 * time.Minute,
		Keys: []string{"urls", "max_items"}, Required: []string{"urls"}, OwnHosts: true, Fake: "listener/replay", Volume: 8, Starter: true,
		check: func(v *validator, s *Source, sp string) { v.feedURLs(s, sp); v.feedMaxItems(s, sp) },
		Example: []string{
			`# Any RSS, Atom or JSON feed, including Google News searches and Google Alerts.`,
			`name = "news-ko"`,
			`timeout = "20s"`,
			`urls = [`,
			`  "https://news.google.com/rss/search?q=%EC%95%84%ED%81%AC%EB%AF%B8&hl=ko&gl=KR&ceid=KR:ko",`,
			`  "https://acme.example/blog/feed.xml",`,
			`]`,
		}},
	{Name: NetworkReddit, History: MaxLookback, Engagement: map[string]EngagementClass{"score": Interaction, "num_comments": Interaction},
		Label: "Reddit", LabelKo: "레딧", Every: 5 * time.Minute, Floor: time.Minute,
		BaseURL:  "https://oauth.reddit.com",
		Keys:     []string{"base_url", "auth_url", "queries", "subreddits", "app_id", "username"},
		Required: []string{"app_id", "username"},
		Secrets:  []string{"client_id_env", "client_secret_env"}, Fake: "listener/reddit/redditfake", Volume: 1,
		check: checkReddit,
		Example: []string{
			`app_id = "earshot"                 # Reddit's required User-Agent names your app`,
			`username = "acme_marketing"        # ... and your Reddit account`,
			`client_id_env = "REDDIT_CLIENT_ID"`,
			`client_secret_env = "REDDIT_CLIENT_SECRET"`,
			`subreddits = ["technology", "gadgets"]   # default: all of Reddit`,
		}},
	{Name: NetworkMastodon, History: MaxLookback, Engagement: map[string]EngagementClass{"replies": Interaction, "reblogs": Interaction, "favourites": Interaction},
		Label: "Mastodon", LabelKo: "마스토돈", Every: 5 * time.Minute, Floor: time.Minute,
		Keys: []string{"base_url", "queries", "hashtags"}, Required: []string{"base_url"}, OptionalSecrets: []string{"token_env"},
		Fake: "listener/mastodon/mastodonfake", Volume: 6, check: checkMastodon,
		Example: []string{
			`base_url = "https://mastodon.social"     # the instance`,
			`hashtags = ["acme", "아크미"]            # public, no token needed`,
		}},
	{Name: NetworkBluesky, History: MaxLookback, Engagement: map[string]EngagementClass{"likes": Interaction, "reposts": Interaction, "replies": Interaction, "quotes": Interaction},
		Label: "Bluesky", LabelKo: "블루스카이", Every: 5 * time.Minute, Floor: time.Minute,
		BaseURL: "https://bsky.social", Keys: []string{"base_url", "queries", "identifier"}, Required: []string{"identifier"},
		Secrets: []string{"password_env"}, Fake: "listener/bluesky/blueskyfake", Volume: 5, check: checkBluesky,
		Example: []string{
			`identifier = "acme-listener.bsky.social"`,
			`password_env = "BSKY_APP_PASSWORD"        # an app password`,
		}},
	{Name: NetworkNaver, History: MaxLookback, Label: "Naver", LabelKo: "네이버", Every: 15 * time.Minute, Floor: 2 * time.Minute,
		BaseURL:  "https://openapi.naver.com",
		Keys:     []string{"base_url", "queries", "kinds", "id_header", "secret_header", "path_template", "daily_budget"},
		Secrets:  []string{"client_id_env", "client_secret_env"},
		Budget:   &Budget{Default: 25000, Max: 25000, Unit: "calls", Zone: "Asia/Seoul", PerQuery: 1},
		OwnHosts: true, Fake: "listener/naver/naverfake", Volume: 7, check: checkNaver,
		Example: []string{
			`client_id_env = "NAVER_CLIENT_ID"`,
			`client_secret_env = "NAVER_CLIENT_SECRET"`,
			`kinds = ["blog", "news", "cafearticle"]`,
		}},
	{Name: NetworkDaum, History: MaxLookback, Label: "Daum", LabelKo: "다음", Every: 15 * time.Minute, Floor: 2 * time.Minute,
		BaseURL:  "https://dapi.kakao.com",
		Keys:     []string{"base_url", "queries", "kinds", "daily_budget"},
		Secrets:  []string{"api_key_env"},
		Budget:   &Budget{Default: 30000, Max: 1_000_000, Unit: "calls", Zone: "Asia/Seoul", PerQuery: 1},
		OwnHosts: true, Fake: "listener/daum/daumfake", Volume: 9, check: checkDaum,
		Example: []string{
			`api_key_env = "KAKAO_REST_API_KEY"          # the app's REST API key (sent as KakaoAK)`,
			`kinds = ["blog", "cafe", "web", "vclip"]`,
			`daily_budget = 30000                        # calls per Korean day: set your app's quota`,
		}},
	{Name: NetworkYouTube, History: MaxLookback, Engagement: map[string]EngagementClass{"views": Exposure, "likes": Interaction, "comments": Interaction, "replies": Interaction},
		Label: "YouTube", LabelKo: "유튜브", Every: 30 * time.Minute, Floor: 10 * time.Minute,
		BaseURL: "https://www.googleapis.com", Keys: []string{"base_url", "queries", "daily_budget", "comments"},
		Secrets: []string{"api_key_env"},
		Budget:  &Budget{Default: 10000, Max: 1_000_000, Unit: "quota units", Zone: "America/Los_Angeles", PerQuery: 100},
		Fake:    "listener/youtube/youtubefake", Volume: 4, check: checkYouTube,
		Example: []string{
			`api_key_env = "YOUTUBE_API_KEY"`,
			`daily_budget = 10000                      # quota units per Pacific-time day`,
		}},
	{Name: NetworkX, History: 7 * 24 * time.Hour, Engagement: map[string]EngagementClass{"likes": Interaction, "reposts": Interaction, "replies": Interaction, "quotes": Interaction, "bookmarks": Interaction, "impressions": Exposure},
		Label: "X", LabelKo: "X", Every: 15 * time.Minute, Floor: 5 * time.Minute,
		BaseURL: "https://api.x.com", Keys: []string{"base_url", "queries", "daily_budget"},
		Secrets: []string{"bearer_token_env"},
		Budget:  &Budget{Max: 10_000_000, Unit: "post reads", Why: "reads are billed"},
		Fake:    "listener/x/xfake", Volume: 2, check: func(v *validator, s *Source, sp string) { v.queries(s, sp) },
		Example: []string{
			`bearer_token_env = "X_BEARER_TOKEN"`,
			`daily_budget = 500                        # posts read per day: reads are billed`,
		}},
	{Name: NetworkWeb, Label: "Web", LabelKo: "웹", Every: time.Hour, Floor: 10 * time.Minute,
		Keys: []string{"start_urls", "allowed_domains", "item_selector", "title_selector", "text_selector",
			"author_selector", "time_selector", "time_layout", "link_selector", "reply_selector", "follow_pattern", "max_pages",
			"delay", "parallelism", "max_body"},
		Required: []string{"start_urls", "item_selector"},
		OwnHosts: true, Fake: "listener/webcrawl/sitefake", check: checkWeb,
		Example: []string{
			`name = "forum"`,
			`start_urls = ["https://forum.example.com/c/phones"]`,
			`item_selector = "article.post"`,
			`text_selector = ".body"`,
			`link_selector = "h2 a"`,
			`time_selector = "time"`,
		}},
}

// Networks returns the networks table, in display order. The rows are
// copies: changing them changes nothing in config.
func Networks() []Network {
	out := make([]Network, len(networkTable))
	for i, n := range networkTable {
		n.Keys, n.Required = slices.Clone(n.Keys), slices.Clone(n.Required)
		n.Secrets, n.OptionalSecrets = slices.Clone(n.Secrets), slices.Clone(n.OptionalSecrets)
		n.Example = slices.Clone(n.Example)
		n.Engagement = maps.Clone(n.Engagement)
		if n.Budget != nil {
			b := *n.Budget
			n.Budget = &b
		}
		out[i] = n
	}
	return out
}

// NetworkNames are the names of the networks table, in display order.
func NetworkNames() []string {
	out := make([]string, len(networkTable))
	for i, n := range networkTable {
		out[i] = n.Name
	}
	return out
}

// LookupNetwork returns the row of the network called name.
func LookupNetwork(name string) (Network, bool) {
	for _, n := range networkTable {
		if n.Name == name {
			return n, true
		}
	}
	return Network{}, false
}

// NetworkLabel is the name people read for network: "Hacker News" for
// "hackernews"; an unknown name is returned as is.
func NetworkLabel(name string) string {
	if n, ok := LookupNetwork(name); ok {
		return n.Label
	}
	return name
}

// NetworkLabelIn is NetworkLabel in lang: LabelKo for "ko" where the table
// has one, else Label.
func NetworkLabelIn(name, lang string) string {
	if n, ok := LookupNetwork(name); ok && lang == "ko" && n.LabelKo != "" {
		return n.LabelKo
	}
	return NetworkLabel(name)
}

// networkKeys are the keys that apply to some networks only.
var networkKeys = func() []string {
	var out []string
	for _, r := range networkTable {
		for _, k := range slices.Concat(r.Keys, r.Secrets, r.OptionalSecrets) {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	for k := range secretKeys {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}()

// Backfill is how far back a first poll with the given lookback reaches
// on the network: lookback, capped by History.
func (n Network) Backfill(lookback time.Duration) time.Duration {
	return max(min(lookback, n.History), 0)
}

// RequiredKeys are the keys a source of the network must set: Required,
// the Secrets, and daily_budget when the budget has no default.
func (n Network) RequiredKeys() []string {
	out := slices.Concat(n.Required, n.Secrets)
	if n.Budget != nil && n.Budget.Default == 0 {
		out = append(out, "daily_budget")
	}
	return out
}
