package youtube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/rs/zerolog"
)

// Network is the value of Post.Network and Source.Network.
const Network = "youtube"

// Defaults applied by New.
const (
	DefaultBaseURL          = "https://www.googleapis.com"
	DefaultLookback         = 72 * time.Hour
	DefaultDailyQuota       = 10000 // units; the Budget enforces it
	DefaultMaxPages         = 2     // search pages per query (100 units each)
	DefaultCommentPages     = 2     // comment thread pages per video or channel
	DefaultMaxCommentVideos = 20    // matched videos whose comments are followed
	maxPagesCap             = 20
	maxCommentVideosCap     = 500
	maxQueries              = 100
	maxAccounts             = 50
)

// Config configures a Source. Zero fields take the defaults above.
type Config struct {
	Name     string
	BaseURL  string // default https://www.googleapis.com
	APIKey   string // sent as key=; required
	Queries  []string
	Accounts []listener.Account // Handle: a channel id (UC...) or a @handle without the @
	Lookback time.Duration
	// SkipComments turns off comment threads of matched videos and of the
	// accounts' channels (config comments = false).
	SkipComments     bool
	MaxPages         int // search and uploads pages per chain and fetch
	PageSize         int // maxResults of search and uploads pages (default and cap 50)
	CommentPages     int
	MaxCommentVideos int
	Logger           zerolog.Logger
}

// Source polls the YouTube Data API v3. It implements listener.Source.
type Source struct {
	cfg    Config
	f      *httpx.Fetcher
	clock  func() time.Time
	budget listener.Budget
	// authors caches channel titles, handles and subscriber counts of the
	// channels posts come from (fillAuthors).
	authors authorCache
}

// New returns a Source. f does the HTTP; clock gives the time (time.Now when
// nil); budget holds the daily quota in units (nil = unlimited) and should
// reset at midnight QuotaZone.
func New(cfg Config, f *httpx.Fetcher, clock func() time.Time, budget listener.Budget) *Source {
	if cfg.Name == "" {
		cfg.Name = Network
	}
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.APIKey = strings.TrimSpace(cfg.APIKey)
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	cfg.MaxPages = clamp(cfg.MaxPages, DefaultMaxPages, maxPagesCap)
	cfg.PageSize = clamp(cfg.PageSize, 50, 50)
	cfg.CommentPages = clamp(cfg.CommentPages, DefaultCommentPages, maxPagesCap)
	cfg.MaxCommentVideos = clamp(cfg.MaxCommentVideos, DefaultMaxCommentVideos, maxCommentVideosCap)
	if clock == nil {
		clock = time.Now
	}
	return &Source{cfg: cfg, f: f, clock: clock, budget: budget}
}

func clamp(v, def, hi int) int {
	if v <= 0 {
		return def
	}
	return min(v, hi)
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "youtube".
func (s *Source) Network() string { return Network }

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if s.f == nil {
		return nil, nil, errors.New("youtube: no fetcher")
	}
	if s.cfg.APIKey == "" {
		return nil, nil, fmt.Errorf("youtube %s: no api key (set api_key_env)", s.cfg.Name)
	}
	queries := clean(s.cfg.Queries, maxQueries)
	accounts := cleanAccounts(s.cfg.Accounts)
	if len(queries) == 0 && len(accounts) == 0 {
		return nil, nil, fmt.Errorf("youtube %s: no queries or accounts configured", s.cfg.Name)
	}
	var cur cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("youtube %s: bad cursor: %w", s.cfg.Name, err)
		}
	}
	r := newRun(s, cur, queries, accounts)
	r.fetchAccounts(ctx, accounts)
	for _, q := range queries {
		r.fetchQuery(ctx, q)
	}
	r.enrichVideos(ctx)
	if !s.cfg.SkipComments {
		r.fetchComments(ctx, accounts)
	}
	r.fillTitles(ctx)
	r.fillAuthors(ctx)

	err := errors.Join(r.errs...)
	if r.ok == 0 {
		return nil, nil, err
	}
	trimVideos(r.next.Videos, s.cfg.MaxCommentVideos)
	b, merr := json.Marshal(r.next)
	if merr != nil {
		return nil, nil, fmt.Errorf("youtube %s: encode cursor: %w", s.cfg.Name, merr)
	}
	return r.posts, b, err
}

// clean trims, drops empty and duplicate strings, keeping order, at most n.
func clean(in []string, n int) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range in {
		q = strings.TrimSpace(q)
		if q == "" || seen[q] || len(out) == n {
			continue
		}
		seen[q] = true
		out = append(out, q)
	}
	return out
}

func cleanAccounts(in []listener.Account) []listener.Account {
	seen := map[string]bool{}
	var out []listener.Account
	for _, a := range in {
		a.Handle = strings.TrimPrefix(strings.TrimSpace(a.Handle), "@")
		if a.Handle == "" || seen[a.Handle] || len(out) == maxAccounts {
			continue
		}
		seen[a.Handle] = true
		out = append(out, a)
	}
	return out
}
