package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Network is the value of Post.Network and Source.Network.
const Network = "bluesky"

// Defaults and limits applied by New.
const (
	DefaultBaseURL  = "https://bsky.social"
	DefaultPageSize = 100
	DefaultMaxPages = 5
	DefaultLookback = 72 * time.Hour
	DefaultOverlap  = 10 * time.Minute
	maxPageSize     = 100 // the lexicon's limit maximum
	maxSeen         = 5000
)

// Config configures a Source. Zero fields take the defaults above.
type Config struct {
	Name    string
	BaseURL string // the PDS (or AppView) serving /xrpc; default https://bsky.social
	// Identifier is the handle or e-mail that logs in; Password its app
	// password. Empty Identifier: requests go unauthenticated, which the
	// AppView allows for author feeds and refuses (403) for search.
	Identifier string
	Password   string
	Queries    []string
	Accounts   []listener.Account // Handle: "acme.bsky.social" or a DID
	Lookback   time.Duration
	PageSize   int // limit per request, 1..100
	MaxPages   int // per query or account per Fetch
	// Overlap is how far before the newest post seen the next Fetch asks
	// again, for posts indexed late; the URIs seen in it are skipped.
	Overlap time.Duration
}

// Source polls Bluesky. It implements listener.Source and is safe for
// concurrent use; the login session is cached across Fetches.
type Source struct {
	cfg    Config
	f      *httpx.Fetcher
	clock  func() time.Time
	budget listener.Budget

	mu          sync.Mutex
	sess        *session
	loginErr    error
	loginFailed time.Time
	logins      atomic.Int64 // createSession calls, for tests
}

// New returns a Source. f does the HTTP; clock gives the time (time.Now
// when nil); budget, when not nil, is charged one unit per request.
func New(cfg Config, f *httpx.Fetcher, clock func() time.Time, budget listener.Budget) *Source {
	if cfg.Name == "" {
		cfg.Name = Network
	}
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.Identifier = strings.TrimPrefix(strings.TrimSpace(cfg.Identifier), "@")
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	cfg.PageSize = min(cfg.PageSize, maxPageSize)
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	if cfg.Overlap <= 0 {
		cfg.Overlap = DefaultOverlap
	}
	if clock == nil {
		clock = time.Now
	}
	return &Source{cfg: cfg, f: f, clock: clock, budget: budget}
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "bluesky".
func (s *Source) Network() string { return Network }

// cursor is the saved state, per query and per account (lower-cased handle).
type cursor struct {
	Queries  map[string]*feedState `json:"queries,omitempty"`
	Accounts map[string]*feedState `json:"accounts,omitempty"`
}

// feedState: Since is the newest post time seen; Seen holds the URIs of
// posts within Overlap of Since, with their time in Unix milliseconds.
type feedState struct {
	Since time.Time        `json:"since"`
	Seen  map[string]int64 `json:"seen,omitempty"`
}

// endpoint is one query or one account to poll.
type endpoint struct {
	key     string // cursor key
	query   string
	account *listener.Account
}

func (e endpoint) String() string {
	if e.account != nil {
		return fmt.Sprintf("account %q", e.account.Handle)
	}
	return fmt.Sprintf("query %q", e.query)
}

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if s.f == nil {
		return nil, nil, errors.New("bluesky: no fetcher")
	}
	eps := s.endpoints()
	if len(eps) == 0 {
		return nil, nil, fmt.Errorf("bluesky %s: no queries or accounts configured", s.cfg.Name)
	}
	var cur cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("bluesky %s: bad cursor: %w", s.cfg.Name, err)
		}
	}
	next := cursor{Queries: map[string]*feedState{}, Accounts: map[string]*feedState{}}
	old := func(e endpoint) (*feedState, map[string]*feedState) {
		if e.account != nil {
			return cur.Accounts[e.key], next.Accounts
		}
		return cur.Queries[e.key], next.Queries
	}
	var batch listener.Batch
	for i, e := range eps {
		st, dst := old(e)
		got, nst, err := s.fetchEndpoint(ctx, e, st)
		if err != nil {
			batch.Fail(fmt.Errorf("bluesky %s: %s: %w", s.cfg.Name, e, err))
			if st != nil {
				dst[e.key] = st
			}
			if stopAfter(err) {
				for _, rest := range eps[i+1:] {
					if st, dst := old(rest); st != nil {
						dst[rest.key] = st
					}
				}
				break
			}
			continue
		}
		dst[e.key] = nst
		batch.Add(got)
	}
	return batch.Result("bluesky "+s.cfg.Name, next)
}

// endpoints lists accounts first (so a brand's own post found by a query
// too is returned as Owned), then queries; blanks and duplicates dropped.
func (s *Source) endpoints() []endpoint {
	var eps []endpoint
	seen := map[string]bool{}
	for i := range s.cfg.Accounts {
		a := s.cfg.Accounts[i]
		a.Handle = strings.TrimPrefix(strings.TrimSpace(a.Handle), "@")
		key := strings.ToLower(a.Handle)
		if key == "" || seen["a:"+key] {
			continue
		}
		seen["a:"+key] = true
		eps = append(eps, endpoint{key: key, account: &a})
	}
	for _, q := range s.cfg.Queries {
		q = strings.TrimSpace(q)
		if q == "" || seen["q:"+q] {
			continue
		}
		seen["q:"+q] = true
		eps = append(eps, endpoint{key: q, query: q})
	}
	return eps
}

// stopAfter reports whether an error should end this Fetch: the server
// asked us to slow down, the budget is spent, the login was refused, or
// the caller gave up.
func stopAfter(err error) bool {
	var he *listener.HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusTooManyRequests || he.RetryAfter > 0) {
		return true
	}
	var be *listener.BudgetError
	return errors.As(err, &be) || errors.Is(err, errLogin) || errors.Is(err, errSession) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
