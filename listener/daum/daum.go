package daum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Network is the value of Post.Network and Source.Network.
const Network = "daum"

// Search kinds.
const (
	KindBlog  = "blog"
	KindCafe  = "cafe"
	KindWeb   = "web"
	KindVClip = "vclip"
)

// Kinds lists the searches Earshot knows, in default order.
var Kinds = []string{KindBlog, KindCafe, KindWeb, KindVClip}

// Defaults applied by New, and the API's limits.
const (
	DefaultBaseURL  = "https://dapi.kakao.com"
	DefaultSize     = 50
	DefaultMaxPages = 10
	DefaultLookback = 72 * time.Hour
	// DefaultDailyBudget is the calls per day Earshot assumes when the
	// configuration names none (the networks table's default).
	DefaultDailyBudget = 30000
	// MaxSeen is how many URLs the cursor keeps per query and kind.
	MaxSeen = 2000
	// overlap is how far before the newest date already seen a later poll
	// still reads, for results indexed late.
	overlap = 48 * time.Hour
)

// limits are the API's largest size and page per kind.
var limits = map[string]struct{ size, page int }{
	KindBlog: {50, 50}, KindCafe: {50, 50}, KindWeb: {50, 50}, KindVClip: {30, 15},
}

// Config configures a Source. Zero fields take the defaults above.
type Config struct {
	Name     string
	BaseURL  string // default https://dapi.kakao.com
	Queries  []string
	Kinds    []string // default all of Kinds
	APIKey   string   // the app's REST API key, sent as "KakaoAK <key>"
	Accounts []listener.Account
	Size     int // results per call, 1..50 (vclip: at most 30; default 50)
	MaxPages int // calls per query and kind per fetch (default 10)
	Lookback time.Duration
	// DailyBudget is the daily allowance of calls the caller's Budget
	// should enforce (default DefaultDailyBudget).
	DailyBudget int
}

// Source polls the Daum search API. It implements listener.Source.
type Source struct {
	cfg    Config
	f      *httpx.Fetcher
	clock  func() time.Time
	budget listener.Budget
	owned  map[string]string // lowercased handle -> brand
}

// New returns a Source; f does the HTTP, clock gives the time (time.Now when
// nil), budget is charged one unit before every call (nil: unlimited).
func New(cfg Config, f *httpx.Fetcher, clock func() time.Time, budget listener.Budget) *Source {
	if cfg.Name == "" {
		cfg.Name = Network
	}
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if len(cfg.Kinds) == 0 {
		cfg.Kinds = Kinds
	}
	if cfg.Size <= 0 {
		cfg.Size = DefaultSize
	}
	cfg.Size = min(cfg.Size, DefaultSize)
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	if cfg.DailyBudget <= 0 {
		cfg.DailyBudget = DefaultDailyBudget
	}
	if clock == nil {
		clock = time.Now
	}
	owned := map[string]string{}
	for _, a := range cfg.Accounts {
		if h := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(a.Handle, "@"))); h != "" {
			owned[h] = a.Brand
		}
	}
	return &Source{cfg: cfg, f: f, clock: clock, budget: budget, owned: owned}
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "daum".
func (s *Source) Network() string { return Network }

// DailyBudget is the daily call allowance the caller's Budget should have.
func (s *Source) DailyBudget() int { return s.cfg.DailyBudget }

// cursor is the saved state: per kind, per query.
type cursor struct {
	Searches map[string]map[string]*searchState `json:"searches"`
}

type searchState struct {
	// Newest is the latest publication instant seen.
	Newest time.Time `json:"newest,omitzero"`
	// Seen are the URLs already returned, oldest first, at most MaxSeen.
	Seen []string `json:"seen,omitempty"`
}

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if err := s.check(); err != nil {
		return nil, nil, err
	}
	var cur cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("daum %s: bad cursor: %w", s.cfg.Name, err)
		}
	}
	next := cursor{Searches: map[string]map[string]*searchState{}}
	keep := func(kind, q string, st *searchState) {
		if st == nil {
			return
		}
		if next.Searches[kind] == nil {
			next.Searches[kind] = map[string]*searchState{}
		}
		next.Searches[kind][q] = st
	}
	var batch listener.Batch // returns a URL found by several searches once
	stopped := false
	for _, q := range cleanList(s.cfg.Queries) {
		for _, kind := range cleanList(s.cfg.Kinds) {
			old := cur.Searches[kind][q]
			if stopped {
				keep(kind, q, old)
				continue
			}
			got, st, err := s.search(ctx, kind, q, old)
			if err != nil {
				batch.Fail(fmt.Errorf("daum %s: %s %q: %w", s.cfg.Name, kind, q, err))
				keep(kind, q, old)
				stopped = stopAfter(err)
				continue
			}
			keep(kind, q, st)
			batch.Add(got)
		}
	}
	return batch.Result("daum "+s.cfg.Name, next)
}

// check validates what Fetch needs before any call is made.
func (s *Source) check() error {
	switch {
	case s.f == nil:
		return errors.New("daum: no fetcher")
	case len(cleanList(s.cfg.Queries)) == 0:
		return fmt.Errorf("daum %s: no queries configured", s.cfg.Name)
	case strings.TrimSpace(s.cfg.APIKey) == "":
		return fmt.Errorf("daum %s: no REST API key: set api_key_env to an environment variable holding it", s.cfg.Name)
	}
	for _, k := range cleanList(s.cfg.Kinds) {
		if _, ok := limits[k]; !ok {
			return fmt.Errorf("daum %s: unknown kind %q (want blog, cafe, web or vclip)", s.cfg.Name, k)
		}
	}
	return nil
}

// cleanList trims, drops empty and duplicate entries, keeping order.
func cleanList(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
