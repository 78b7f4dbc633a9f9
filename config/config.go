package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/query"
)

// Config is a validated Earshot configuration. Load returns one only when
// every check passed; the zero value is not useful.
type Config struct {
	Earshot Earshot  `toml:"earshot"`
	Brands  []Brand  `toml:"brand"`
	Topics  []Topic  `toml:"topic"`
	Sources []Source `toml:"source"`
	// Sentiment tunes sentiment scoring for the user's industry.
	Sentiment Sentiment `toml:"sentiment"`
	// Goals are the S.M.A.R.T. targets the competitive report tracks.
	Goals []Goal `toml:"goal"`
	// Digest is the weekly competitor digest e-mail (see digest.go).
	Digest Digest `toml:"digest"`
	// Alerts are the [[alert]] rules and AlertChannels the
	// [[alert_channel]] destinations they name (see alert.go).
	Alerts        []Alert        `toml:"alert"`
	AlertChannels []AlertChannel `toml:"alert_channel"`
	// Cluster joins this node to other Earshot nodes over NATS JetStream
	// (see cluster.go); off by default.
	Cluster Cluster `toml:"cluster"`

	// File is the path the configuration was loaded from ("" for built-in ones).
	File string `toml:"-"`
}

// Earshot holds daemon-wide settings.
type Earshot struct {
	DataDir  string `toml:"data_dir"`  // default "./earshot-data"
	Listen   string `toml:"listen"`    // default "127.0.0.1:8089"
	Timezone string `toml:"timezone"`  // IANA name, default "UTC"
	LogLevel string `toml:"log_level"` // debug|info|warn|error, default "info"
	// LogFormat is "auto" (console text on a terminal, JSON lines
	// otherwise), "json" or "console"; default "auto".
	LogFormat string `toml:"log_format"`
	// Contact is a URL or e-mail put in the User-Agent of every request so
	// that site owners can reach the operator ("Earshot/0.1 (+contact)").
	Contact string `toml:"contact"`
	// APITokenEnv names the environment variable holding the bearer token
	// the HTTP API requires. Required when Listen is not a loopback address.
	// Secrets never appear in the file itself.
	APITokenEnv string `toml:"api_token_env"`
	// Retention is how long mentions are kept, counted from their published
	// time ("400d"); the daemon prunes older ones daily. 0 (the default)
	// keeps them forever. At least 1d.
	Retention Duration `toml:"retention"`
	// AllowedHosts are host names (optionally host:port) the HTTP server
	// answers to besides the listen address and digest.base_url's host; a
	// request naming any other Host is refused (DNS rebinding).
	AllowedHosts []string `toml:"allowed_hosts"`
	// TrustedProxies are the CIDR prefixes of reverse proxies whose
	// X-Forwarded-For and X-Forwarded-Proto headers are believed.
	TrustedProxies []string `toml:"trusted_proxies"`

	Location *time.Location `toml:"-"` // resolved from Timezone
	APIToken string         `toml:"-"` // resolved from APITokenEnv; "" when unset
}

// Brand is the own brand (Own = true, exactly one) or a competitor.
type Brand struct {
	Name string `toml:"name"`
	Own  bool   `toml:"own"`
	// Terms are aliases in any script ("Acme", "아크미"); Name is always a term too.
	Terms []string `toml:"terms"`
	// Exclude lists phrases that veto a match ("acme road runner").
	Exclude []string `toml:"exclude"`
	// Handles maps a network name to the brand's own accounts on it.
	Handles map[string][]string `toml:"handles"`
	// Domains the brand owns (links to them are traffic the brand gets).
	Domains []string `toml:"domains"`
}

// AllTerms returns Name followed by Terms, without duplicates.
func (b Brand) AllTerms() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range append([]string{b.Name}, b.Terms...) {
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// Sentiment holds industry rulesets: terms that score differently for this
// user ("killer feature" positive, "sick" positive for a gaming brand).
type Sentiment struct {
	Overrides []Override `toml:"override"`
}

// Override gives Term (a word or phrase) a valence on VADER's scale, -4
// (most negative) to +4 (most positive); 0 makes it neutral. With Brands
// set, the override applies only to mentions of those brands.
type Override struct {
	Term   string   `toml:"term"`
	Score  float64  `toml:"score"`
	Brands []string `toml:"brands"`
}

// Topic is a named query in the query language (see package query).
type Topic struct {
	Name  string `toml:"name"`
	Query string `toml:"query"`

	Parsed query.Node `toml:"-"` // set by Load
}

// Source is one thing to poll. Network-specific keys are documented beside
// each field; a key that does not apply to the source's network is an error.
// Secrets are never written in the file: keys ending in _env name an
// environment variable, whose value Load puts in Secrets under the key's
// name without "_env" (client_secret_env -> Secrets["client_secret"]).
type Source struct {
	Network string   `toml:"network"` // one of the Network* constants
	Name    string   `toml:"name"`    // unique; defaults to network, or network-N
	Every   Duration `toml:"every"`   // poll interval; floor per network
	Timeout Duration `toml:"timeout"` // per fetch, default 30s
	BaseURL string   `toml:"base_url"`
	// Lookback is how far back the first fetch of a source reaches (default
	// 72h); later fetches continue from the saved cursor.
	Lookback Duration `toml:"lookback"`

	// hackernews, reddit, mastodon (full-text, needs a token), bluesky,
	// naver, youtube, x: search queries; default: every brand term.
	Queries []string `toml:"queries"`
	// hackernews: "story", "comment" (default both).
	Tags []string `toml:"tags"`
	// rss: feed URLs (RSS, Atom, JSON Feed; Google News and Alerts included).
	URLs []string `toml:"urls"`
	// rss: the per-poll cap, new items returned per feed URL per fetch,
	// newest first (default 500, 1 to 10,000); the rest wait for the next
	// polls and are reported in the source's health.
	MaxItems int `toml:"max_items"`

	// reddit: subreddits to search within (default: all of Reddit).
	Subreddits []string `toml:"subreddits"`
	// reddit: the app id and Reddit username for the required User-Agent
	// "<platform>:<app id>:<version> (by /u/<username>)".
	AppID    string `toml:"app_id"`
	Username string `toml:"username"`
	// reddit: token endpoint base (default https://www.reddit.com).
	AuthURL string `toml:"auth_url"`

	// mastodon: hashtags whose public timelines to follow (no auth needed).
	Hashtags []string `toml:"hashtags"`

	// bluesky: the account handle or e-mail used to log in (the app password
	// comes from password_env).
	Identifier string `toml:"identifier"`

	// naver: which searches: "blog", "news", "cafearticle" (default all);
	// daum: "blog", "cafe", "web", "vclip" (default all).
	Kinds []string `toml:"kinds"`
	// naver: header names for the credentials (NAVER API HUB uses
	// X-NCP-APIGW-API-KEY-ID / X-NCP-APIGW-API-KEY).
	IDHeader     string `toml:"id_header"`
	SecretHeader string `toml:"secret_header"`
	// naver: the search path, {kind} standing for blog/news/cafearticle
	// (default "/v1/search/{kind}.json"; "/search/v1/{kind}" on API HUB).
	PathTemplate string `toml:"path_template"`

	// naver and daum (calls), youtube (quota units), x (post reads): the daily
	// budget, kept across restarts.
	DailyBudget int `toml:"daily_budget"`

	// youtube: also fetch comment threads of matched videos (default true).
	Comments *bool `toml:"comments"`

	// web: a site crawled with CSS selectors.
	StartURLs      []string `toml:"start_urls"`
	AllowedDomains []string `toml:"allowed_domains"`
	ItemSelector   string   `toml:"item_selector"`   // one post per match
	TitleSelector  string   `toml:"title_selector"`  // inside the item
	TextSelector   string   `toml:"text_selector"`   // inside the item
	AuthorSelector string   `toml:"author_selector"` // inside the item
	TimeSelector   string   `toml:"time_selector"`   // inside the item; datetime attr or text
	TimeLayout     string   `toml:"time_layout"`     // Go layout for the text; default RFC 3339 and common forms
	LinkSelector   string   `toml:"link_selector"`   // inside the item; href is the permalink
	ReplySelector  string   `toml:"reply_selector"`  // inside the item; href of the post it answers
	FollowPattern  string   `toml:"follow_pattern"`  // regexp of links to follow (pagination)
	MaxPages       int      `toml:"max_pages"`       // per fetch, default 20
	Delay          Duration `toml:"delay"`           // between requests to one domain, default 2s
	Parallelism    int      `toml:"parallelism"`     // per domain, default 1
	MaxBody        int64    `toml:"max_body"`        // bytes, default 5 MB

	// Secret references: the name of an environment variable each.
	ClientIDEnv     string `toml:"client_id_env"`     // reddit, naver
	ClientSecretEnv string `toml:"client_secret_env"` // reddit, naver
	TokenEnv        string `toml:"token_env"`         // mastodon (optional: enables full-text search)
	PasswordEnv     string `toml:"password_env"`      // bluesky app password
	APIKeyEnv       string `toml:"api_key_env"`       // youtube, daum
	BearerTokenEnv  string `toml:"bearer_token_env"`  // x

	Secrets map[string]string `toml:"-"` // resolved by Load
}

// Duration is a time.Duration that decodes from TOML strings like "15m",
// "72h" or "14d" (a day is 24 hours; "1d12h" works too).
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	s := string(b)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.ParseUint(s[:i], 10, 16)
		if err != nil {
			return fmt.Errorf("time: invalid duration %q", s)
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			*d = Duration(days)
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(days + v)
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }
