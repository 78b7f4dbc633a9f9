package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

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
//
// Stale while revalidate: a report whose data changed is still served, at
// once and marked stale (Meta.Stale, Meta.StaleAge), while it was built at
// most MaxStale ago, and one rebuild of its key starts in the background;
// an older or missing report is built while the request waits, and
// concurrent requests for one key wait for one build. A Request with
// Exact never gets a stale report (the digest, ?fresh=1, Warm).

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

// MaxStale is how long after a build started its report may still be
// served once data it read changed (marked stale, while a rebuild runs).
const MaxStale = 60 * time.Second

// A background rebuild starts only once the stale report's build started
// at least rebuildTimes build durations ago (at most MaxStale/2), so
// readers asking often cost at most about 1/rebuildTimes of the build's
// CPU while posts keep landing in the report's days.
const rebuildTimes = 10

// CacheOptions configure a Cache; every field may be left zero.
type CacheOptions struct {
	Config func() *config.Config // the configuration when a request carries none
	Clock  func() time.Time      // how old a report is; time.Now when nil
	Logger zerolog.Logger        // failed background rebuilds
	// Background runs a background rebuild and each goroutine it starts
	// (with one tagging worker instead of GOMAXPROCS): the daemon passes
	// store.Store.Background, a lowered thread priority. Nil: as a
	// request's build.
	Background func(func())
}

// Cache builds reports like Builder and keeps the last CacheSize, served
// again while still exact, or stale for at most MaxStale while it rebuilds
// them; it implements web.Reporter.
type Cache struct {
	src     Source
	changes Changes
	o       CacheOptions

	mu      sync.Mutex
	entries []*cached            // most recently used first
	flights map[cacheKey]*flight // the newest build under way of each key
	stats   CacheStats
	running sync.WaitGroup // builds under way (Wait)
}

// CacheStats counts what a Cache did.
type CacheStats struct {
	Hits, Builds, Stale int64 // served exact, built (in the background too), found but invalid
	// ServedStale were served marked stale; Background of the builds ran
	// in the background; Joined requests waited for a build another
	// request had started.
	ServedStale, Background, Joined int64
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
	modSeq uint64        // read before the build
	asOf   time.Time     // the clock when modSeq was read
	took   time.Duration // the build's duration, by the clock
	reads  []timeRange   // what Build read, merged
	owned  []timeRange   // what it read of owned posts only (the reply grace)
	cover  string        // coverageKey of the records it read
	failed bool          // a background rebuild of it failed: no other starts (c.mu)
}

// flight is one build under way; e and err are set when done is closed.
type flight struct {
	modSeq uint64
	done   chan struct{}
	e      *cached
	err    error
}

// NewCache returns a Cache reading src, asking changes.
func NewCache(src Source, changes Changes, o CacheOptions) *Cache {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return &Cache{src: src, changes: changes, o: o, flights: map[cacheKey]*flight{}}
}

// Stats returns the counts so far.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Wait returns when no build is under way (background rebuilds go on
// after the request that started them returned).
func (c *Cache) Wait() { c.running.Wait() }

// Report serves the report req asks for: the cached one when nothing it
// depends on changed; else, unless req.Exact, the cached one marked stale
// when it is at most MaxStale old (and a rebuild starts); else a build
// (then kept).
func (c *Cache) Report(ctx context.Context, req Request) (*Report, error) {
	rep, _, err := c.report(ctx, req)
	return rep, err
}

// Warm makes sure the report req asks for is cached and current; built
// says whether it had to build it (the daemon's background builder).
func (c *Cache) Warm(ctx context.Context, req Request) (built bool, err error) {
	req.Exact = true
	_, built, err = c.report(ctx, req)
	return built, err
}

func (c *Cache) report(ctx context.Context, req Request) (*Report, bool, error) {
	if req.Config == nil && c.o.Config != nil {
		req.Config = c.o.Config()
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
		if age := c.o.Clock().Sub(e.asOf); !req.Exact && age <= MaxStale {
			c.revalidate(ctx, key, req, e)
			c.count(func(s *CacheStats) { s.ServedStale++ })
			return staleCopy(e.rep, age), false, nil
		}
	}
	return c.build(ctx, key, req)
}

// staleCopy is rep marked stale, age after its build started; its
// watermark stays the build's.
func staleCopy(rep *Report, age time.Duration) *Report {
	out := *rep
	secs := int64(age / time.Second)
	out.Meta.Stale, out.Meta.StaleAge = true, &secs
	return &out
}

// revalidate starts a background rebuild of key unless a build of it is
// under way, the last background rebuild of e failed, or e's build
// started less than rebuildTimes build durations ago.
func (c *Cache) revalidate(ctx context.Context, key cacheKey, req Request, e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.failed || c.flights[key] != nil || c.o.Clock().Sub(e.asOf) < min(rebuildTimes*e.took, MaxStale/2) {
		return
	}
	c.start(ctx, key, req, e)
}

// build waits for a build of key: one under way, when it serves req (an
// exact request only one that started after every change it could see),
// else one it starts.
func (c *Cache) build(ctx context.Context, key cacheKey, req Request) (*Report, bool, error) {
	seq := c.changes.ModSeq() // every change this request could see
	c.mu.Lock()
	f, joined := c.flights[key], true
	if f == nil || req.Exact && f.modSeq < seq {
		f, joined = c.start(ctx, key, req, nil), false
	} else {
		c.stats.Joined++
	}
	c.mu.Unlock()
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	if f.err != nil {
		return nil, false, f.err
	}
	if joined {
		// The flight's start vouches for the store's data; the coverage
		// records are not numbered: compare them.
		recs, err := c.src.Coverage(ctx)
		if err != nil {
			return nil, false, err
		}
		if coverageKey(recs, key.cfg) != f.e.cover {
			c.mu.Lock()
			f = c.start(ctx, key, req, nil)
			c.mu.Unlock()
			<-f.done
			if f.err != nil {
				return nil, false, f.err
			}
		} else if !req.Exact && f.modSeq < seq {
			// it started before a change this request saw
			if ok, err := c.valid(ctx, f.e); err != nil {
				return nil, false, err
			} else if !ok {
				c.count(func(s *CacheStats) { s.ServedStale++ })
				return staleCopy(f.e.rep, c.o.Clock().Sub(f.e.asOf)), true, nil
			}
		}
	}
	out := *f.e.rep
	return &out, true, nil
}

// start starts a build of key (c.mu held) and registers it as the key's
// newest; stale is the entry a background rebuild replaces (nil: a
// request waits for this build). The build runs to its end even when
// the request that started it leaves: its report is kept.
func (c *Cache) start(ctx context.Context, key cacheKey, req Request, stale *cached) *flight {
	f := &flight{modSeq: c.changes.ModSeq(), done: make(chan struct{})} // before any read
	asOf := c.o.Clock()
	c.flights[key] = f
	c.running.Add(1)
	go func() {
		defer c.running.Done()
		e := &cached{key: key, modSeq: f.modSeq, asOf: asOf}
		rec := &recorder{Source: c.src}
		bctx, run := context.WithoutCancel(ctx), asIs
		if stale != nil && c.o.Background != nil { // no one waits for it
			bctx, run = withRunner(bctx, runner{run: c.o.Background, workers: 1}), c.o.Background
		}
		var rep *Report
		var err error
		run(func() { rep, err = Build(bctx, rec, req) })
		if err == nil {
			e.rep, e.reads, e.owned, e.cover = rep, merged(rec.reads), merged(rec.owned), coverageKey(rec.recs, req.Config)
			e.took = c.o.Clock().Sub(asOf)
		}
		c.mu.Lock()
		if c.flights[key] == f {
			delete(c.flights, key)
		}
		if err == nil {
			c.keep(e)
			c.stats.Builds++
			if stale != nil {
				c.stats.Background++
			}
		} else if stale != nil {
			stale.failed = true
		}
		f.e, f.err = e, err
		c.mu.Unlock()
		close(f.done)
		if err != nil && stale != nil {
			c.o.Logger.Warn().Err(err).Str("period", key.period).Time("start", key.start).
				Msg("report: background rebuild failed; the report is served stale until it is a minute old, then built by a request")
		}
	}()
	return f
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

// keep puts e in front (c.mu held), replacing an entry of its key built
// from older data (a build that started earlier and ended later does not
// replace a newer one), dropping the least recently used beyond
// CacheSize.
func (c *Cache) keep(e *cached) {
	for _, x := range c.entries {
		if x.key == e.key && x.modSeq > e.modSeq {
			return
		}
	}
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
