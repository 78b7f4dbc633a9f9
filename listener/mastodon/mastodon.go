package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Network is the value of Post.Network and Source.Network.
const Network = "mastodon"

// Defaults applied by New.
const (
	DefaultLimit    = 40 // statuses per page; also Mastodon's maximum
	DefaultMaxPages = 10 // pages per timeline per Fetch
	DefaultLookback = 72 * time.Hour
	maxLimit        = 40
	maxPagesCap     = 100
)

// Errors callers (and health reports) can test for with errors.Is.
var (
	// ErrHashtagTimelinesDisabled: the instance does not serve public
	// hashtag timelines to this client (401/422, or its instance
	// configuration says they are restricted while the timeline is empty).
	ErrHashtagTimelinesDisabled = errors.New("public hashtag timelines are disabled")
	// ErrSearchNeedsToken: full-text queries are configured but no token;
	// they are skipped. Reported by the first Fetch of a Source only.
	ErrSearchNeedsToken = errors.New("full-text search needs an access token")
)

// Config configures a Source. BaseURL is the instance, e.g.
// "https://mastodon.social" (a path prefix is kept).
type Config struct {
	Name     string
	BaseURL  string
	Hashtags []string // public hashtag timelines (with or without "#")
	Queries  []string // full-text search; used only when Token is set
	Accounts []listener.Account
	// Token is a user access token (scopes read:statuses, read:search,
	// read:accounts); optional. It enables Queries and is sent with every
	// request, so instances that restrict timelines to users also work.
	Token    string
	Lookback time.Duration
	Limit    int // statuses per page (default and maximum 40)
	MaxPages int // pages per timeline per Fetch (default 10)
}

// Source polls one Mastodon instance. It implements listener.Source.
type Source struct {
	cfg   Config
	f     *httpx.Fetcher
	clock func() time.Time
	host  string

	mu           sync.Mutex
	accountIDs   map[string]string // normalised handle -> account id
	tokenWarned  bool
	instanceSeen bool   // instance configuration fetched once
	hashtagFeeds string // "public", "authenticated", "disabled" or ""
}

// New returns a Source; f does the HTTP, clock gives the time (time.Now
// when nil). Mastodon has no daily budget, only rolling rate limits, so
// New takes no listener.Budget.
func New(cfg Config, f *httpx.Fetcher, clock func() time.Time) *Source {
	if cfg.Name == "" {
		cfg.Name = Network
	}
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	cfg.Token = strings.TrimSpace(cfg.Token)
	if cfg.Limit <= 0 || cfg.Limit > maxLimit {
		cfg.Limit = DefaultLimit
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	cfg.MaxPages = min(cfg.MaxPages, maxPagesCap)
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	if clock == nil {
		clock = time.Now
	}
	host := cfg.BaseURL
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return &Source{cfg: cfg, f: f, clock: clock, host: host, accountIDs: map[string]string{}}
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "mastodon".
func (s *Source) Network() string { return Network }

// cursor is the saved state: per timeline key ("tag:x", "search:q",
// "account:name") the newest status id returned (the next min_id).
type cursor struct {
	Timelines map[string]string `json:"timelines"`
}

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if s.f == nil {
		return nil, nil, errors.New("mastodon: no fetcher")
	}
	if !isHTTP(s.cfg.BaseURL) {
		return nil, nil, fmt.Errorf("mastodon %s: base_url %q is not an http(s) url", s.cfg.Name, s.cfg.BaseURL)
	}
	var cur cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("mastodon %s: bad cursor: %w", s.cfg.Name, err)
		}
		for k, id := range cur.Timelines {
			if !validID(id) {
				return nil, nil, fmt.Errorf("mastodon %s: bad cursor: timeline %q has id %q", s.cfg.Name, k, id)
			}
		}
	}
	var errs []error
	jobs := s.jobs()
	if len(s.cfg.Queries) > 0 && s.cfg.Token == "" && s.warnNoTokenOnce() {
		errs = append(errs, fmt.Errorf("mastodon %s: %d queries skipped: %w on %s (set token_env)", s.cfg.Name, len(cleanList(s.cfg.Queries, false)), ErrSearchNeedsToken, s.host))
	}
	if len(jobs) == 0 {
		errs = append(errs, fmt.Errorf("mastodon %s: nothing to poll: configure hashtags, accounts, or queries with token_env", s.cfg.Name))
		return nil, nil, errors.Join(errs...)
	}
	floor := snowflakeAt(s.clock().Add(-s.cfg.Lookback))
	next := cursor{Timelines: map[string]string{}}
	var posts []listener.Post
	index := map[string]int{}
	ok := 0
	for i, j := range jobs {
		minID, had := cur.Timelines[j.key]
		if !had {
			minID = floor
		}
		got, newest, err := s.fetchTimeline(ctx, j, minID)
		if newest != "" {
			next.Timelines[j.key] = newest
			ok++
		} else if had {
			next.Timelines[j.key] = minID
		}
		for _, p := range got {
			if k, dup := index[p.NativeID]; dup {
				if p.Owned && !posts[k].Owned {
					posts[k] = p
				}
				continue
			}
			index[p.NativeID] = len(posts)
			posts = append(posts, p)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("mastodon %s: %s: %w", s.cfg.Name, j.key, err))
			if stopAfter(err) {
				for _, rest := range jobs[i+1:] {
					if old, had := cur.Timelines[rest.key]; had {
						next.Timelines[rest.key] = old
					}
				}
				break
			}
		}
	}
	if ok == 0 {
		return nil, nil, errors.Join(errs...)
	}
	b, err := json.Marshal(next)
	if err != nil {
		return nil, nil, fmt.Errorf("mastodon %s: encode cursor: %w", s.cfg.Name, err)
	}
	return posts, b, errors.Join(errs...)
}

func (s *Source) warnNoTokenOnce() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tokenWarned {
		return false
	}
	s.tokenWarned = true
	return true
}

// stopAfter reports whether an error should end this Fetch: the server
// asked us to wait, or the caller gave up.
func stopAfter(err error) bool {
	var he *listener.HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusTooManyRequests || he.RetryAfter > 0) {
		return true
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
