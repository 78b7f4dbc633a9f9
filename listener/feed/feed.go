package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Network is the value of Post.Network and Source.Network.
const Network = "rss"

// Defaults applied by New.
const (
	DefaultMaxItems = 500
	DefaultLookback = 72 * time.Hour
	// MaxSeen is how many item keys the cursor keeps per URL.
	MaxSeen = 2000
)

// Config configures a Source. Zero fields take the defaults above.
type Config struct {
	Name     string
	URLs     []string
	MaxItems int // per feed per fetch
	Lookback time.Duration
}

// Source polls feeds. It implements listener.Source.
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
	if cfg.MaxItems <= 0 {
		cfg.MaxItems = DefaultMaxItems
	}
	if cfg.Lookback <= 0 {
		cfg.Lookback = DefaultLookback
	}
	if clock == nil {
		clock = time.Now
	}
	return &Source{cfg: cfg, f: f, clock: clock}
}

// Name returns the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Network returns "rss".
func (s *Source) Network() string { return Network }

// cursor is the saved state, per feed URL.
type cursor struct {
	Feeds map[string]*feedState `json:"feeds"`
}

type feedState struct {
	ETag         string   `json:"etag,omitempty"`
	LastModified string   `json:"last_modified,omitempty"`
	Seen         []string `json:"seen,omitempty"` // oldest first
}

// Fetch implements listener.Source.
func (s *Source) Fetch(ctx context.Context, raw []byte) ([]listener.Post, []byte, error) {
	if s.f == nil {
		return nil, nil, errors.New("feed: no fetcher")
	}
	urls := cleanURLs(s.cfg.URLs)
	if len(urls) == 0 {
		return nil, nil, fmt.Errorf("feed %s: no urls configured", s.cfg.Name)
	}
	var cur cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("feed %s: bad cursor: %w", s.cfg.Name, err)
		}
	}
	next := cursor{Feeds: map[string]*feedState{}}
	var batch listener.Batch
	for _, u := range urls {
		old := cur.Feeds[u]
		got, st, err := s.fetchOne(ctx, u, old)
		if err != nil {
			batch.Fail(fmt.Errorf("feed %s: %s: %w", s.cfg.Name, u, err))
			if old != nil {
				next.Feeds[u] = old
			}
			continue
		}
		next.Feeds[u] = st
		batch.Add(got)
	}
	return batch.Result("feed "+s.cfg.Name, next)
}

// fetchOne fetches and parses one feed; old is nil on the first fetch.
func (s *Source) fetchOne(ctx context.Context, u string, old *feedState) ([]listener.Post, *feedState, error) {
	h := http.Header{"Accept": {"application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8"}}
	if old != nil {
		if old.ETag != "" {
			h.Set("If-None-Match", old.ETag)
		}
		if old.LastModified != "" {
			h.Set("If-Modified-Since", old.LastModified)
		}
	}
	resp, err := s.f.Get(ctx, u, h)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode == http.StatusNotModified {
		if old == nil {
			return nil, nil, errors.New("304 not modified to an unconditional request")
		}
		return nil, old, nil
	}
	now := s.clock().UTC()
	items, err := parse(resp.Body, u, now)
	if err != nil {
		return nil, nil, err
	}
	st := &feedState{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	seen := map[string]bool{}
	if old != nil {
		st.Seen = append(st.Seen, old.Seen...)
	}
	for _, k := range st.Seen {
		seen[k] = true
	}
	floor := now.Add(-s.cfg.Lookback)
	var posts []listener.Post
	var fresh []string
	for i, it := range items {
		if i >= s.cfg.MaxItems {
			break
		}
		if seen[it.NativeID] {
			continue
		}
		seen[it.NativeID] = true
		fresh = append(fresh, it.NativeID)
		if old == nil && it.Published.Before(floor) {
			continue
		}
		posts = append(posts, it)
	}
	// Feeds list newest first: append the fresh keys oldest first so that
	// trimming from the front drops the oldest.
	for i := len(fresh) - 1; i >= 0; i-- {
		st.Seen = append(st.Seen, fresh[i])
	}
	if n := len(st.Seen); n > MaxSeen {
		st.Seen = append([]string(nil), st.Seen[n-MaxSeen:]...)
	}
	return posts, st, nil
}

func cleanURLs(us []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range us {
		u = strings.TrimSpace(u)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	return out
}
