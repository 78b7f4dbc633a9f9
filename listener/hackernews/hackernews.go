package hackernews

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Network is the value of Post.Network and Source.Network.
const Network = "hackernews"

// Defaults applied by New.
const (
	DefaultBaseURL     = "https://hn.algolia.com"
	DefaultHitsPerPage = 100
	DefaultMaxPages    = 10
	DefaultLookback    = 72 * time.Hour
	maxHitsPerPage     = 1000
	maxBoundaryIDs     = 10000
)

// Config configures a Source. Zero fields take the defaults above; Tags
// defaults to story and comment.
type Config struct {
	Name        string
	BaseURL     string
	Queries     []string
	Tags        []string
	HitsPerPage int
	MaxPages    int
	Lookback    time.Duration
}

// Source polls the HN Algolia API. It implements listener.Source.
type Source struct {
	cfg   Config
	f     *httpx.Fetcher
	clock func() time.Time
}

// New returns a Source; f does the HTTP, clock gives the time (time.Now when nil).
func New(cfg Config, f *httpx.Fetcher, clock func() time.Time) *Source {
	if cfg.Name == "" {
		cfg.Name = Network
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.HitsPerPage <= 0 {
		cfg.HitsPerPage = DefaultHitsPerPage
	}
	cfg.HitsPerPage = min(cfg.HitsPerPage, maxHitsPerPage)
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	if len(cfg.Tags) == 0 {
		cfg.Tags = []string{"story", "comment"}
	}
	if clock == nil {
		clock = time.Now
	}
	return &Source{cfg: cfg, f: f, clock: clock}
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "hackernews".
func (s *Source) Network() string { return Network }

// cursor is the saved state: per query, the newest second seen and the
// objectIDs already returned at that second.
type cursor struct {
	Queries map[string]queryState `json:"queries"`
}

type queryState struct {
	Since int64    `json:"since"`
	IDs   []string `json:"ids,omitempty"`
}

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if s.f == nil {
		return nil, nil, errors.New("hackernews: no fetcher")
	}
	queries := cleanQueries(s.cfg.Queries)
	if len(queries) == 0 {
		return nil, nil, fmt.Errorf("hackernews %s: no queries configured", s.cfg.Name)
	}
	var cur cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("hackernews %s: bad cursor: %w", s.cfg.Name, err)
		}
	}
	next := cursor{Queries: map[string]queryState{}}
	floor := s.clock().Add(-s.cfg.Lookback).Unix()

	var batch listener.Batch
	for i, q := range queries {
		st, had := cur.Queries[q]
		if !had {
			st = queryState{Since: floor}
		}
		hits, nst, err := s.fetchQuery(ctx, q, st)
		if err != nil {
			batch.Fail(fmt.Errorf("hackernews %s: query %q: %w", s.cfg.Name, q, err))
			if had {
				next.Queries[q] = st
			}
			if stopAfter(err) {
				for _, rest := range queries[i+1:] {
					if old, ok := cur.Queries[rest]; ok {
						next.Queries[rest] = old
					}
				}
				break
			}
			continue
		}
		next.Queries[q] = nst
		batch.Add(hits)
	}
	return batch.Result("hackernews "+s.cfg.Name, next)
}

// maxClockSkew is how far in the future a post's time may lie and still
// advance the cursor; later times are bad data (a clock, a parser) and
// would skip every post published until then.
const maxClockSkew = 10 * time.Minute

// stopAfter reports whether an error should end this Fetch: the server
// asked us to slow down, or the caller gave up.
func stopAfter(err error) bool {
	var he *listener.HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusTooManyRequests || he.RetryAfter > 0) {
		return true
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// fetchQuery pages through one query and returns its new posts and state.
func (s *Source) fetchQuery(ctx context.Context, q string, st queryState) ([]listener.Post, queryState, error) {
	boundary := make(map[string]bool, len(st.IDs))
	for _, id := range st.IDs {
		boundary[id] = true
	}
	next := queryState{Since: st.Since}
	nextIDs := map[string]bool{}
	for _, id := range st.IDs {
		nextIDs[id] = true
	}
	var posts []listener.Post
	seen := map[string]bool{}
	horizon := s.clock().Add(maxClockSkew).Unix()
	for page := 0; page < s.cfg.MaxPages; page++ {
		u := s.searchURL(q, st.Since, page)
		resp, err := s.f.Get(ctx, u, http.Header{"Accept": {"application/json"}})
		if err != nil {
			return nil, st, err
		}
		r, err := decodeResponse(resp.Body)
		if err != nil {
			return nil, st, fmt.Errorf("decode %s: %w", u, err)
		}
		for i := range r.Hits {
			h := &r.Hits[i]
			created, ok := h.created()
			if !ok || !validID(h.ObjectID) || seen[h.ObjectID] || created < st.Since {
				continue
			}
			if created == st.Since && boundary[h.ObjectID] {
				continue
			}
			seen[h.ObjectID] = true
			posts = append(posts, h.toPost(created))
			if created > horizon {
				continue // dated in the future: must not move the cursor past unseen posts
			}
			switch {
			case created > next.Since:
				next.Since = created
				nextIDs = map[string]bool{h.ObjectID: true}
			case created == next.Since:
				nextIDs[h.ObjectID] = true
			}
		}
		if page+1 >= r.NbPages || len(r.Hits) == 0 {
			break
		}
	}
	next.IDs = make([]string, 0, len(nextIDs))
	for id := range nextIDs {
		next.IDs = append(next.IDs, id)
	}
	sort.Strings(next.IDs)
	if len(next.IDs) > maxBoundaryIDs {
		next.IDs = next.IDs[len(next.IDs)-maxBoundaryIDs:]
	}
	return posts, next, nil
}

func (s *Source) searchURL(q string, since int64, page int) string {
	v := url.Values{}
	v.Set("query", q)
	if len(s.cfg.Tags) == 1 {
		v.Set("tags", s.cfg.Tags[0])
	} else {
		v.Set("tags", "("+strings.Join(s.cfg.Tags, ",")+")")
	}
	v.Set("numericFilters", "created_at_i>="+strconv.FormatInt(since, 10))
	v.Set("hitsPerPage", strconv.Itoa(s.cfg.HitsPerPage))
	v.Set("page", strconv.Itoa(page))
	return s.cfg.BaseURL + "/api/v1/search_by_date?" + v.Encode()
}

// cleanQueries trims, drops empty and duplicate queries, keeping order.
func cleanQueries(qs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range qs {
		q = strings.TrimSpace(q)
		if q == "" || seen[q] {
			continue
		}
		seen[q] = true
		out = append(out, q)
	}
	return out
}
