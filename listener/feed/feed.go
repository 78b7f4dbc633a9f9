package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Network is the value of Post.Network and Source.Network.
const Network = "rss"

// Defaults applied by New.
const (
	// DefaultMaxItems is the per-poll cap: the new items one fetch returns
	// per feed URL (config key max_items, whose default is
	// config.DefaultFeedMaxItems; a test keeps them equal).
	DefaultMaxItems = 500
	DefaultLookback = 72 * time.Hour
)

// Config configures a Source. Zero fields take the defaults above.
type Config struct {
	Name string
	URLs []string
	// MaxItems caps the new items one fetch returns per URL, newest first;
	// the others are left for the next fetches and reported as a
	// listener.Warning ("N items skipped").
	MaxItems int
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
	limit := perFeed(len(urls))
	var batch listener.Batch
	for _, u := range urls {
		old := cur.Feeds[u]
		got, st, skipped, err := s.fetchOne(ctx, u, old, limit)
		if err != nil {
			batch.Fail(fmt.Errorf("feed %s: %s: %w", s.cfg.Name, u, err))
			if old != nil {
				next.Feeds[u] = old
			}
			continue
		}
		next.Feeds[u] = st
		batch.Add(got)
		if skipped > 0 {
			batch.Warn(fmt.Sprintf("feed %s: %s: %d items skipped (max_items %d per poll; the newest were read, the rest come in the next polls)", s.cfg.Name, u, skipped, s.cfg.MaxItems))
		}
	}
	return batch.Result("feed "+s.cfg.Name, next)
}

// fetchOne fetches and parses one feed; old is nil on the first fetch.
// It returns the new items, newest first and at most MaxItems, the URL's
// next state keeping at most limit records, and how many new items the
// cap left out.
func (s *Source) fetchOne(ctx context.Context, u string, old *feedState, limit int) ([]listener.Post, *feedState, int, error) {
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
		return nil, nil, 0, err
	}
	if resp.StatusCode == http.StatusNotModified {
		if old == nil {
			return nil, nil, 0, errors.New("304 not modified to an unconditional request")
		}
		return nil, old, 0, nil
	}
	now := s.clock().UTC()
	items, err := parseFeed(resp.Body, resp.Header.Get("Content-Type"), u, now)
	if err != nil {
		return nil, nil, 0, err
	}
	newestFirst(items)
	seen := load(old, now, now.Add(-s.cfg.Lookback))
	var posts []listener.Post
	skipped := 0
	for _, it := range items {
		switch {
		case seen.has(it.NativeID, it.legacy):
			if it.PublishedEstimated { // still in the feed: keep it seen
				seen.mark(it.NativeID, now)
			}
		case !it.PublishedEstimated && it.Published.Unix() <= seen.floor:
			// old: before the first fetch's lookback, or older than
			// what the bounded records remember
		case len(posts) >= s.cfg.MaxItems:
			skipped++
		default:
			seen.mark(it.NativeID, it.Published)
			posts = append(posts, it.Post)
		}
	}
	return posts, seen.save(resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), limit), skipped, nil
}

// newestFirst orders items by date, newest first; undated items (dated
// now) come first, and items of one date keep the feed's order.
func newestFirst(items []item) {
	sort.SliceStable(items, func(i, j int) bool { return items[i].Published.After(items[j].Published) })
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
