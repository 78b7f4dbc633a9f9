package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// A materialised report: Cache keeps the last few reports it built and
// serves one again while nothing it was built from changed
// (docs/report.md, "Cached reports"). What a report depends on, and how
// the cache knows each stayed the same:
//
//   - the request: period, resolved window (start, end, comparison start,
//     all three derived from End or Now), networks — the cache key;
//   - the configuration: the very *config.Config it was built with (a
//     reload makes a new one) — in the key;
//   - Now, beyond the window: whether the window is still in progress
//     (the "partial" note) — in the key; Meta.Generated says when the
//     served report was built;
//   - the store's data: every range Build read, recorded as it read it
//     (recorder), checked with Changes.ChangedSince against the
//     modification number read before the build (the ranges it read of
//     owned posts only, the reply grace, against owned posts' changes);
//     the mention bodies it read by ID are recorded by their published
//     hour;
//   - the coverage records, read again and compared (a few records).
//
// Meta.Watermark of a served report is the store's LastSeq read before the
// check, as a fresh Build would write it: nothing up to it changed a
// range the report read.

// Changes is what a Cache asks its store; *store.Store implements it.
type Changes interface {
	// ModSeq is the last modification number; ChangedSince reports
	// whether any change after since may touch [from, to): anything
	// when kind is "", owned posts' facts and paired replies when it is
	// store.KindOwned.
	ModSeq() uint64
	ChangedSince(from, to time.Time, kind string, since uint64) bool
}

// CacheSize is how many reports a Cache keeps (least recently used out).
const CacheSize = 6

// Cache builds reports like Builder and keeps the last CacheSize, served
// again while still exact; it implements web.Reporter.
type Cache struct {
	src     Source
	changes Changes
	config  func() *config.Config

	mu      sync.Mutex
	entries []*cached // most recently used first
	stats   CacheStats
}

// CacheStats counts what a Cache did.
type CacheStats struct {
	Hits, Builds, Stale int64 // served, built, found but invalid
}

// cacheKey is everything of a request, resolved, that the key compares.
type cacheKey struct {
	cfg                   *config.Config
	period                string
	start, end, prevStart time.Time
	networks              string
	partial               bool
}

type cached struct {
	key    cacheKey
	rep    *Report
	modSeq uint64      // read before the build
	reads  []timeRange // what Build read, merged
	owned  []timeRange // what it read of owned posts only (the reply grace)
	cover  string      // coverageKey of the records it read
}

// NewCache returns a Cache reading src, asking changes; cfg returns the
// configuration when a request carries none.
func NewCache(src Source, changes Changes, cfg func() *config.Config) *Cache {
	return &Cache{src: src, changes: changes, config: cfg}
}

// Stats returns the counts so far.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Report serves the report req asks for: the cached one when nothing it
// depends on changed, else a fresh Build (then kept).
func (c *Cache) Report(ctx context.Context, req Request) (*Report, error) {
	rep, _, err := c.report(ctx, req)
	return rep, err
}

// Warm makes sure the report req asks for is cached and current; built
// says whether it had to build it (the daemon's background builder).
func (c *Cache) Warm(ctx context.Context, req Request) (built bool, err error) {
	_, built, err = c.report(ctx, req)
	return built, err
}

func (c *Cache) report(ctx context.Context, req Request) (*Report, bool, error) {
	if req.Config == nil && c.config != nil {
		req.Config = c.config()
	}
	key, err := keyOf(req)
	if err != nil {
		return nil, false, err
	}
	watermark := c.src.LastSeq() // before the check, as Build reads it
	if e := c.lookup(key); e != nil {
		ok, err := c.valid(ctx, e)
		if err != nil {
			return nil, false, err
		}
		if ok {
			out := *e.rep
			out.Meta.Watermark = watermark
			c.count(func(s *CacheStats) { s.Hits++ })
			return &out, false, nil
		}
		c.count(func(s *CacheStats) { s.Stale++ })
	}
	e := &cached{key: key, modSeq: c.changes.ModSeq()} // before any read
	rec := &recorder{Source: c.src}
	rep, err := Build(ctx, rec, req)
	if err != nil {
		return nil, false, err
	}
	e.rep, e.reads, e.owned, e.cover = rep, merged(rec.reads), merged(rec.owned), coverageKey(rec.recs, req.Config)
	c.keep(e)
	c.count(func(s *CacheStats) { s.Builds++ })
	out := *rep
	return &out, true, nil
}

func (c *Cache) count(f func(*CacheStats)) {
	c.mu.Lock()
	f(&c.stats)
	c.mu.Unlock()
}

// keyOf resolves req as Build will.
func keyOf(req Request) (cacheKey, error) {
	w, err := resolve(&req)
	if err != nil {
		return cacheKey{}, err
	}
	filter, err := networkFilter(req.Networks)
	if err != nil {
		return cacheKey{}, err
	}
	k := cacheKey{cfg: req.Config, period: req.Period, start: w.start, end: w.end, prevStart: w.prevStart,
		partial: !req.Now.IsZero() && req.Now.Before(w.end)}
	for _, n := range filter {
		k.networks += n + ","
	}
	return k, nil
}

// lookup returns the entry of key, moved to the front, or nil.
func (c *Cache) lookup(key cacheKey) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e
		}
	}
	return nil
}

// keep puts e in front, replacing an entry of its key, dropping the least
// recently used beyond CacheSize.
func (c *Cache) keep(e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = slices.DeleteFunc(c.entries, func(x *cached) bool { return x.key == e.key })
	c.entries = slices.Insert(c.entries, 0, e)
	if len(c.entries) > CacheSize {
		c.entries = c.entries[:CacheSize]
	}
}

// valid reports whether nothing e was built from changed.
func (c *Cache) valid(ctx context.Context, e *cached) (bool, error) {
	for _, r := range e.reads {
		if c.changes.ChangedSince(r.from, r.to, "", e.modSeq) {
			return false, nil
		}
	}
	for _, r := range e.owned {
		if c.changes.ChangedSince(r.from, r.to, store.KindOwned, e.modSeq) {
			return false, nil
		}
	}
	recs, err := c.src.Coverage(ctx)
	if err != nil {
		return false, err
	}
	return coverageKey(recs, e.key.cfg) == e.cover, nil
}

// coverageKey is all Build takes from the coverage records: when each
// network was collected from (coverage) and the configured sources that
// never completed a poll (unpolledNotes).
func coverageKey(recs map[string]store.SourceCoverage, cfg *config.Config) string {
	col := coverage(recs, cfg.Sources)
	var b strings.Builder
	for _, n := range config.NetworkNames() {
		if from, ok := col[n]; ok {
			fmt.Fprintf(&b, "%s@%d;", n, from.UnixNano())
		}
	}
	for _, n := range unpolledNotes(recs, cfg.Sources) {
		fmt.Fprintf(&b, "unpolled %s %v;", n.Network, n.Args)
	}
	return b.String()
}
