package daum

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/kosearch"
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
	MaxSeen = kosearch.MaxSeen
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

// cursor and searchState are the saved state (see listener/kosearch).
type (
	cursor      = kosearch.Cursor
	searchState = kosearch.State
)

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if err := s.check(); err != nil {
		return nil, nil, err
	}
	return kosearch.Fetch(ctx, "daum "+s.cfg.Name, s.cfg.Queries, s.cfg.Kinds, raw, s.search, kosearch.StopAfter)
}

// check validates what Fetch needs before any call is made.
func (s *Source) check() error {
	switch {
	case s.f == nil:
		return errors.New("daum: no fetcher")
	case len(kosearch.CleanList(s.cfg.Queries)) == 0:
		return fmt.Errorf("daum %s: no queries configured", s.cfg.Name)
	case strings.TrimSpace(s.cfg.APIKey) == "":
		return fmt.Errorf("daum %s: no REST API key: set api_key_env to an environment variable holding it", s.cfg.Name)
	}
	for _, k := range kosearch.CleanList(s.cfg.Kinds) {
		if _, ok := limits[k]; !ok {
			return fmt.Errorf("daum %s: unknown kind %q (want blog, cafe, web or vclip)", s.cfg.Name, k)
		}
	}
	return nil
}
