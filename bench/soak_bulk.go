package bench

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// phase is what one ingest phase did: mentions stored and indexed, the time
// until the last was indexed, and the RSS maxima sampled meanwhile.
type phase struct {
	mentions        int64
	dur             time.Duration
	maxRSS, maxAnon int64
	split           rssSplit // the resident set by map when it was at maxRSS
}

// rate is mentions per second of the phase; 0 when it did nothing.
func (p phase) rate() float64 {
	if p.dur <= 0 {
		return 0
	}
	return float64(p.mentions) / p.dur.Seconds()
}

// bulk commits the stream's first r.n mentions straight into the store
// (generated brands, topics and sentiment; no matcher, no enricher) in
// batches of BulkBatch with the background indexer on, and waits until
// the index holds them all. Its rate is the soak's ingest figure in bulk
// mode.
func (r *soakRun) bulk(ctx context.Context) error {
	opts := r.storeOptions()
	opts.BatchSize = r.o.IndexBatch
	st, err := store.Open(r.dir, opts)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(r.out, "bulk load: %d mentions, Commit batches of %d, indexer on (bleve batches of %s)\n", r.n, r.o.BulkBatch, indexBatchText(r.o.IndexBatch))
	start, use0 := time.Now(), readUsage()
	r.maxRSS, r.maxAnon, r.maxSplit = 0, 0, rssSplit{}
	last := start
	batch := make([]store.Mention, 0, r.o.BulkBatch)
	for i := 0; i < r.n; {
		m, ok := r.gen.Next()
		if !ok {
			return fmt.Errorf("bulk load: the stream ended after %d mentions", i)
		}
		batch = append(batch, m)
		i++
		if len(batch) < cap(batch) && i < r.n {
			continue
		}
		if _, err := st.Commit("bulk", batch, nil); err != nil {
			return fmt.Errorf("bulk load: %w", err)
		}
		batch = batch[:0]
		if err := ctx.Err(); err != nil {
			return err
		}
		if time.Since(last) >= r.every {
			last = time.Now()
			total, anon := r.sampleRSS()
			s := st.Stats()
			fmt.Fprintf(r.out, "%8s committed %9d (%6.0f/s), indexed %9d, RSS %s (anon %s)\n", time.Since(start).Round(time.Second),
				i, float64(i)/time.Since(start).Seconds(), s.IndexedSeq, mib(total), mib(anon))
		}
	}
	committed := time.Since(start)
	fmt.Fprintf(r.out, "bulk load: committed in %s; waiting for the index…\n", committed.Round(time.Second))
	done := make(chan error, 1)
	go func() { done <- st.Sync(ctx) }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("bulk load: wait for index: %w", err)
			}
			waiting = false
		case <-tick.C:
			r.sampleRSS()
		}
	}
	r.sampleRSS()
	r.bulkUse = readUsage().since(use0)
	r.bulkPhase = phase{mentions: int64(r.n), dur: time.Since(start), maxRSS: r.maxRSS, maxAnon: r.maxAnon, split: r.maxSplit}
	fmt.Fprintf(r.out, "bulk load: %d mentions stored and indexed in %s = %.0f/s (index caught up %s after the last commit)\n",
		r.n, r.bulkPhase.dur.Round(time.Second), r.bulkPhase.rate(), (r.bulkPhase.dur - committed).Round(time.Millisecond))
	// The weekly report reads the bulk load's 12 months, whose last week
	// holds its share of the stream: the live phase's posts would add
	// Rate × Live mentions to that week (7× its volume at 1M).
	if err := r.weekly(ctx, st, r.o.Reports); err != nil {
		return err
	}
	_, p := r.reports.pcts()
	_, q := r.served.pcts()
	fmt.Fprintf(r.out, "weekly report: %d builds, p50 %s p95 %s ms; served by the report cache p50 %s p95 %s ms\n\n",
		r.o.Reports, ms1(p[0]), ms1(p[1]), ms1(q[0]), ms1(q[1]))
	return nil
}

func indexBatchText(n int) string {
	if n == 0 {
		return "the store's default"
	}
	return fmt.Sprint(n)
}

// soakConfig is the configuration the weekly report reads: the soak's
// brands (the first is the own brand) and the pipeline's topics.
func soakConfig() (*config.Config, error) {
	var b strings.Builder
	for _, t := range soakTopics {
		fmt.Fprintf(&b, "[[topic]]\nname = %q\nquery = %q\n", t[0], t[1])
	}
	for i, br := range soakBrands {
		fmt.Fprintf(&b, "[[brand]]\nname = %q\nown = %t\n", br, i == 0)
	}
	return config.Parse([]byte(b.String()), "soak.toml", nil)
}

// weekly builds the weekly report of the last complete week before the
// stream's end (report.Build over the store), n times, and records each
// build's time; then asks the daemon's report cache (report.Cache, built
// once) for it n times, nothing in the week changing meanwhile, and
// records each answer's time (served).
func (r *soakRun) weekly(ctx context.Context, st *store.Store, n int) error {
	cfg, err := soakConfig()
	if err != nil {
		return fmt.Errorf("weekly report config: %w", err)
	}
	req := report.Request{Config: cfg, Period: "week", Now: r.end}
	r.maxRSS, r.maxAnon, r.maxSplit = 0, 0, rssSplit{}
	for range n {
		t0 := time.Now()
		if _, err := report.Build(ctx, st, req); err != nil {
			return fmt.Errorf("weekly report: %w", err)
		}
		r.reports.add(time.Since(t0))
		r.sampleRSS()
	}
	if n > 0 {
		c := report.NewCache(st, st, report.CacheOptions{})
		if _, err := c.Warm(ctx, req); err != nil {
			return fmt.Errorf("weekly report: %w", err)
		}
		for range n {
			t0 := time.Now()
			if _, err := c.Report(ctx, req); err != nil {
				return fmt.Errorf("weekly report: %w", err)
			}
			r.served.add(time.Since(t0))
		}
		if s := c.Stats(); s.Builds != 1 {
			return fmt.Errorf("weekly report: the cache built %d times, want once", s.Builds)
		}
	}
	r.reportPhase = phase{maxRSS: r.maxRSS, maxAnon: r.maxAnon, split: r.maxSplit}
	return nil
}

// diskEntry is the size of one file or directory of the data directory;
// Part marks a partition: a directory inside an index directory that holds
// several.
type diskEntry struct {
	Name  string
	Bytes int64
	Part  bool
}

// diskUsage sizes each entry of dir, and each subdirectory of a directory
// that holds more than one (the index's partitions, whatever the store
// names them), sorted by name.
func diskUsage(dir string) ([]diskEntry, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []diskEntry
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		n, err := treeBytes(p)
		if err != nil {
			return nil, err
		}
		out = append(out, diskEntry{Name: e.Name(), Bytes: n})
		if !e.IsDir() {
			continue
		}
		subs, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		subs = slices.DeleteFunc(subs, func(s os.DirEntry) bool { return !s.IsDir() })
		if len(subs) < 2 {
			continue
		}
		for _, s := range subs {
			n, err := treeBytes(filepath.Join(p, s.Name()))
			if err != nil {
				return nil, err
			}
			out = append(out, diskEntry{Name: e.Name() + "/" + s.Name(), Bytes: n, Part: true})
		}
	}
	return out, nil
}

// treeBytes is the total size of the regular files under p.
func treeBytes(p string) (int64, error) {
	var n int64
	err := filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}
