package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Network is the value of Post.Network and Source.Network.
const Network = "x"

// Defaults and limits applied by New.
const (
	DefaultBaseURL  = "https://api.x.com"
	DefaultPageSize = 100 // max_results; X allows 10..100 (search), 5..100 (timelines)
	DefaultMaxPages = 5   // per query or account per Fetch
	DefaultLookback = 72 * time.Hour
	maxMaxPages     = 100
	// searchWindow is how far back recent search reaches; start_time and
	// since_id must be newer. A minute of margin absorbs clock skew.
	searchWindow = 7*24*time.Hour - time.Minute
)

// Config configures a Source. Zero fields take the defaults above.
type Config struct {
	Name        string
	BaseURL     string
	BearerToken string
	Queries     []string           // X search queries, passed as written
	Accounts    []listener.Account // brand usernames whose timelines are read
	Lookback    time.Duration
	PageSize    int // max_results per request
	MaxPages    int // tweet requests per query or account per Fetch
	Logger      zerolog.Logger
}

// Source polls X API v2. It implements listener.Source.
type Source struct {
	cfg    Config
	f      *httpx.Fetcher
	clock  func() time.Time
	budget listener.Budget
	owned  map[string]string // lower-case username -> brand
}

// New returns a Source. f does the HTTP, clock gives the time (time.Now
// when nil), budget counts posts requested (nil = unlimited).
func New(cfg Config, f *httpx.Fetcher, clock func() time.Time, budget listener.Budget) *Source {
	if cfg.Name == "" {
		cfg.Name = Network
	}
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.PageSize <= 0 || cfg.PageSize > 100 {
		cfg.PageSize = DefaultPageSize
	}
	cfg.PageSize = max(cfg.PageSize, 10)
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	cfg.MaxPages = min(cfg.MaxPages, maxMaxPages)
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	if clock == nil {
		clock = time.Now
	}
	s := &Source{cfg: cfg, f: f, clock: clock, budget: budget, owned: map[string]string{}}
	for _, a := range cfg.Accounts {
		if h := handle(a.Handle); h != "" {
			if _, dup := s.owned[h]; !dup {
				s.owned[h] = a.Brand
			}
		}
	}
	return s
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "x".
func (s *Source) Network() string { return Network }

// cursor is the saved state: one chain per query and per account
// (lower-case username).
type cursor struct {
	Queries  map[string]*chain `json:"queries,omitempty"`
	Accounts map[string]*chain `json:"accounts,omitempty"`
}

// chain is the read position of one query or timeline. Everything newer
// than Since (or, without Since, published from SinceTime on) has been
// returned, except the gap below Until that an interrupted Fetch left:
// tweets in (Since, Until) are read first next time, then Since becomes
// Newest.
type chain struct {
	Since      string `json:"since_id,omitempty"`
	SinceTime  int64  `json:"since_time,omitempty"`
	Until      string `json:"until_id,omitempty"`
	Newest     string `json:"newest_id,omitempty"`
	NewestTime int64  `json:"newest_time,omitempty"`
	UserID     string `json:"user_id,omitempty"` // accounts: cached id
}

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if s.f == nil {
		return nil, nil, errors.New("x: no fetcher")
	}
	if strings.TrimSpace(s.cfg.BearerToken) == "" {
		return nil, nil, fmt.Errorf("x %s: no bearer token (set bearer_token_env)", s.cfg.Name)
	}
	queries := clean(s.cfg.Queries, strings.TrimSpace)
	accounts := clean(handles(s.cfg.Accounts), handle)
	if len(queries) == 0 && len(accounts) == 0 {
		return nil, nil, fmt.Errorf("x %s: no queries or accounts configured", s.cfg.Name)
	}
	var cur cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("x %s: bad cursor: %w", s.cfg.Name, err)
		}
	}
	now := s.clock()
	next := cursor{Queries: map[string]*chain{}, Accounts: map[string]*chain{}}
	run := &fetchRun{s: s, now: now, index: map[string]int{}}
	var errs []error
	progressed := 0
	stopped := false
	step := func(kind, key string, old *chain, dst map[string]*chain, do func(*chain) (bool, error)) {
		st := &chain{SinceTime: now.Add(-s.cfg.Lookback).Unix()}
		if old != nil {
			c := *old
			st = &c
		}
		if stopped {
			if old != nil {
				dst[key] = old
			}
			return
		}
		ok, err := do(st)
		if ok {
			progressed++
			dst[key] = st
		} else if old != nil {
			dst[key] = old
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("x %s: %s %q: %w", s.cfg.Name, kind, key, err))
			stopped = stopAll(err)
		}
	}
	for _, a := range accounts {
		step("account", a, cur.Accounts[a], next.Accounts, func(st *chain) (bool, error) {
			return run.account(ctx, a, st)
		})
	}
	for _, q := range queries {
		step("query", q, cur.Queries[q], next.Queries, func(st *chain) (bool, error) {
			return run.search(ctx, q, st)
		})
	}
	if progressed == 0 {
		return nil, nil, errors.Join(errs...)
	}
	b, err := json.Marshal(next)
	if err != nil {
		return nil, nil, fmt.Errorf("x %s: encode cursor: %w", s.cfg.Name, err)
	}
	return run.posts, b, errors.Join(errs...)
}

// handle normalises a username: no @, no spaces, lower case.
func handle(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

func handles(as []listener.Account) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, a.Handle)
	}
	return out
}

// clean normalises with norm and drops empty and duplicate entries, keeping order.
func clean(in []string, norm func(string) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range in {
		v = norm(v)
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	return out
}
