package naver

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
const Network = "naver"

// Defaults applied by New.
const (
	DefaultBaseURL      = "https://openapi.naver.com"
	DefaultPathTemplate = "/v1/search/{kind}.json"
	DefaultIDHeader     = "X-Naver-Client-Id"
	DefaultSecretHeader = "X-Naver-Client-Secret"
	DefaultDisplay      = 100
	DefaultMaxPages     = 10
	DefaultLookback     = 72 * time.Hour
	// DefaultDailyBudget is the Search API's allowance of calls per day.
	DefaultDailyBudget = 25000
	// MaxSeen is how many links the cursor keeps per query and kind.
	MaxSeen = kosearch.MaxSeen
	// maxStart is the API's largest start parameter.
	maxStart = 1000
)

// Kinds lists the searches Earshot knows, in default order.
var Kinds = []string{KindBlog, KindNews, KindCafe}

// Config configures a Source. Zero fields take the defaults above.
type Config struct {
	Name    string
	BaseURL string // default https://openapi.naver.com
	// PathTemplate is the search path with {kind} for blog, news or
	// cafearticle; NAVER API HUB uses "/search/v1/{kind}".
	PathTemplate string
	Queries      []string
	Kinds        []string // default all of Kinds
	// Accounts are brands' own Naver blogs (handle = blog id, as in
	// blog.naver.com/<id>); search results from them are marked Owned.
	Accounts []listener.Account

	ClientID, ClientSecret string
	IDHeader, SecretHeader string // default X-Naver-Client-Id / X-Naver-Client-Secret

	Display  int // results per call, 1..100 (default 100)
	MaxPages int // calls per query and kind per fetch, 1..10 (default 10)
	Lookback time.Duration
	// DailyBudget is the daily allowance of calls (default 25,000) the
	// caller's Budget should enforce; see Source.DailyBudget.
	DailyBudget int
}

// Source polls the Naver Search API. It implements listener.Source.
type Source struct {
	cfg    Config
	f      *httpx.Fetcher
	clock  func() time.Time
	budget listener.Budget
	owned  map[string]string // lowercased blog id -> brand
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
	if cfg.PathTemplate == "" {
		cfg.PathTemplate = DefaultPathTemplate
	}
	if !strings.HasPrefix(cfg.PathTemplate, "/") {
		cfg.PathTemplate = "/" + cfg.PathTemplate
	}
	if len(cfg.Kinds) == 0 {
		cfg.Kinds = Kinds
	}
	if cfg.IDHeader == "" {
		cfg.IDHeader = DefaultIDHeader
	}
	if cfg.SecretHeader == "" {
		cfg.SecretHeader = DefaultSecretHeader
	}
	if cfg.Display <= 0 {
		cfg.Display = DefaultDisplay
	}
	cfg.Display = min(cfg.Display, 100)
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

// Network returns "naver".
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
	return kosearch.Fetch(ctx, "naver "+s.cfg.Name, s.cfg.Queries, s.cfg.Kinds, raw, s.search, kosearch.StopAfter)
}

// check validates what Fetch needs before any call is made.
func (s *Source) check() error {
	switch {
	case s.f == nil:
		return errors.New("naver: no fetcher")
	case len(kosearch.CleanList(s.cfg.Queries)) == 0:
		return fmt.Errorf("naver %s: no queries configured", s.cfg.Name)
	case strings.TrimSpace(s.cfg.ClientID) == "":
		return fmt.Errorf("naver %s: no client id: set client_id_env to an environment variable holding it", s.cfg.Name)
	case strings.TrimSpace(s.cfg.ClientSecret) == "":
		return fmt.Errorf("naver %s: no client secret: set client_secret_env to an environment variable holding it", s.cfg.Name)
	case strings.Count(s.cfg.PathTemplate, "{kind}") != 1:
		return fmt.Errorf("naver %s: path template %q must contain {kind} once", s.cfg.Name, s.cfg.PathTemplate)
	}
	for _, k := range kosearch.CleanList(s.cfg.Kinds) {
		if k != KindBlog && k != KindNews && k != KindCafe {
			return fmt.Errorf("naver %s: unknown kind %q (want blog, news or cafearticle)", s.cfg.Name, k)
		}
	}
	return nil
}
