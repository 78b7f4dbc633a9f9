package reddit

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Network is the value of Post.Network and Source.Network.
const Network = "reddit"

// Defaults applied by New.
const (
	DefaultBaseURL  = "https://oauth.reddit.com"
	DefaultAuthURL  = "https://www.reddit.com"
	DefaultPageSize = 100
	DefaultMaxPages = 10
	DefaultLookback = 72 * time.Hour
	DefaultVersion  = "0.1.0"
	maxPageSize     = 100
	maxBoundaryIDs  = 1000
)

// ErrCredentials is wrapped by every error caused by rejected credentials.
var ErrCredentials = errors.New("reddit: client_id_env / client_secret_env credentials rejected")

// Config configures a Source. Zero fields take the defaults above; Platform
// defaults to runtime.GOOS.
type Config struct {
	Name     string
	BaseURL  string // API base, default https://oauth.reddit.com
	AuthURL  string // token endpoint base, default https://www.reddit.com
	Queries  []string
	Accounts []listener.Account // handles are Reddit usernames ("u/" optional)
	// Subreddits restricts the searches (names without "r/"); empty = all.
	Subreddits []string
	Lookback   time.Duration

	ClientID, ClientSecret string

	// User-Agent parts: "<Platform>:<AppID>:<Version> (by /u/<Username>)".
	AppID, Username, Version, Platform string

	PageSize int // listing limit, 1..100
	MaxPages int // pages per chain and Fetch
}

var (
	subredditRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_]{1,20}$`)
	usernameRe  = regexp.MustCompile(`^[A-Za-z0-9_-]{3,20}$`)
)

// Validate reports the first configuration problem New cannot default away.
func (c Config) Validate() error {
	if strings.TrimSpace(c.ClientID) == "" || strings.TrimSpace(c.ClientSecret) == "" {
		return errors.New("reddit: client id and secret are required (client_id_env, client_secret_env)")
	}
	if strings.TrimSpace(c.AppID) == "" || strings.ContainsAny(c.AppID, ": ") {
		return errors.New("reddit: app_id is required for the User-Agent and may not contain ':' or spaces")
	}
	if !usernameRe.MatchString(cleanHandle(c.Username)) {
		return fmt.Errorf("reddit: username %q is not a Reddit username (needed for the User-Agent)", c.Username)
	}
	for _, u := range []string{c.BaseURL, c.AuthURL} {
		if u == "" {
			continue
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("reddit: bad url %q", u)
		}
	}
	for _, s := range c.Subreddits {
		if !subredditRe.MatchString(strings.TrimPrefix(strings.TrimSpace(s), "r/")) {
			return fmt.Errorf("reddit: bad subreddit name %q", s)
		}
	}
	for _, a := range c.Accounts {
		if !usernameRe.MatchString(cleanHandle(a.Handle)) {
			return fmt.Errorf("reddit: account %q of brand %q is not a Reddit username", a.Handle, a.Brand)
		}
	}
	if len(cleanList(c.Queries)) == 0 && len(c.Accounts) == 0 {
		return errors.New("reddit: no queries and no accounts")
	}
	if c.PageSize < 0 || c.PageSize > maxPageSize {
		return fmt.Errorf("reddit: page size %d outside 1..%d", c.PageSize, maxPageSize)
	}
	return nil
}

// UserAgent is the User-Agent Reddit's API rules ask for.
func (c Config) UserAgent() string {
	platform, version := c.Platform, c.Version
	if platform == "" {
		platform = runtime.GOOS
	}
	if version == "" {
		version = DefaultVersion
	}
	return fmt.Sprintf("%s:%s:%s (by /u/%s)", platform, c.AppID, version, cleanHandle(c.Username))
}

// Source polls Reddit. It implements listener.Source and is safe for
// concurrent use.
type Source struct {
	cfg    Config
	f      *httpx.Fetcher
	clock  func() time.Time
	budget listener.Budget
	ua     string

	mu     sync.Mutex // guards the fields below
	token  string
	expiry time.Time
	about  map[string]profile // lowercased username -> profile
}

// New returns a Source; f does the HTTP, clock gives the time (time.Now
// when nil), budget may be nil (unlimited). Call cfg.Validate first: Fetch
// reports an invalid Config as an error.
func New(cfg Config, f *httpx.Fetcher, clock func() time.Time, budget listener.Budget) *Source {
	if cfg.Name == "" {
		cfg.Name = Network
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.AuthURL = strings.TrimRight(cfg.AuthURL, "/")
	if cfg.AuthURL == "" {
		cfg.AuthURL = DefaultAuthURL
	}
	if cfg.PageSize <= 0 || cfg.PageSize > maxPageSize {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	cfg.Queries = cleanList(cfg.Queries)
	subs := make([]string, 0, len(cfg.Subreddits))
	for _, s := range cfg.Subreddits {
		subs = append(subs, strings.TrimPrefix(strings.TrimSpace(s), "r/"))
	}
	cfg.Subreddits = cleanList(subs)
	if clock == nil {
		clock = time.Now
	}
	return &Source{cfg: cfg, f: f, clock: clock, budget: budget, ua: cfg.UserAgent(), about: map[string]profile{}}
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "reddit".
func (s *Source) Network() string { return Network }

// cleanHandle strips "/u/", "u/" and "@" from a username.
func cleanHandle(h string) string {
	h = strings.TrimSpace(h)
	h = strings.TrimPrefix(h, "/")
	h = strings.TrimPrefix(h, "u/")
	return strings.TrimPrefix(h, "@")
}

// cleanList trims, drops empty and duplicate entries, keeping order.
func cleanList(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range in {
		q = strings.TrimSpace(q)
		if q == "" || seen[q] {
			continue
		}
		seen[q] = true
		out = append(out, q)
	}
	return out
}
