package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/store"
)

// ReportOptions configures ReportTime.
type ReportOptions struct {
	Dir     string    // an existing data directory (a soak's -keep -dir)
	Reports int       // builds to time
	Now     time.Time // the reports' clock; zero = the soak stream's end
	Profile string    // when set, a CPU profile of the timed builds is written there
	Out     io.Writer
	Logger  zerolog.Logger
}

// ReportTime opens the store in o.Dir with the indexer off and times
// report.Build of the last complete week before o.Now, with the soak's
// configuration, o.Reports times: it prints the week's mentions, the p50
// and p95 build time (nearest rank) and the p50 CPU time per build; then
// the same request served by the report cache and rebuilt after a live
// mention in the week (cachedTime).
func ReportTime(ctx context.Context, o ReportOptions) error {
	if o.Dir == "" {
		return fmt.Errorf("report: -dir is required")
	}
	if o.Now.IsZero() {
		o.Now = soakStart.AddDate(0, 0, 52*7)
	}
	cfg, err := soakConfig()
	if err != nil {
		return fmt.Errorf("report config: %w", err)
	}
	st, err := store.Open(o.Dir, store.Options{Logger: o.Logger, NoIndexer: true})
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	req := report.Request{Config: cfg, Period: "week", Now: o.Now}
	// What the daemon's background tagger does first (daemon/phrases.go):
	// the week's phrase sample tagged and kept, so the timed builds below
	// read kept phrases as a daemon's reports do.
	u0, t0 := readUsage(), time.Now()
	warm, err := report.TagPhrases(ctx, st, req, 1<<20, nil)
	if err != nil {
		return fmt.Errorf("phrase tagger: %w", err)
	}
	fmt.Fprintf(o.Out, "phrase tagger: %d of the sample's %d mentions tagged in %s ms (CPU %s ms)\n", warm.Tagged, warm.Sample,
		ms1(time.Since(t0)), ms1(readUsage().cpu-u0.cpu))
	var lat, cpu latencies
	var r *report.Report
	if o.Profile != "" {
		stop, err := startCPUProfile(o.Profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	for range max(o.Reports, 1) {
		u0, t0 := readUsage(), time.Now()
		if r, err = report.Build(ctx, st, req); err != nil {
			return fmt.Errorf("weekly report: %w", err)
		}
		lat.add(time.Since(t0))
		cpu.add(readUsage().cpu - u0.cpu)
	}
	var week int64
	start, _ := time.Parse(time.RFC3339, r.Meta.Start)
	end, _ := time.Parse(time.RFC3339, r.Meta.End)
	err = st.Cells(ctx, start, end, func(c *store.Cell) error {
		if c.Brand == "" {
			week += c.Count
		}
		return nil
	})
	if err != nil {
		return err
	}
	n, p := lat.pcts()
	fmt.Fprintf(o.Out, "weekly report %s .. %s: %d mentions in the week, %d stored\n", start.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly), week, st.LastSeq())
	_, c := cpu.pcts()
	fmt.Fprintf(o.Out, "report.Build  %d builds  p50 %s ms  p95 %s ms  CPU p50 %s ms (the process's, GC included)\n", n, ms1(p[0]), ms1(p[1]), ms1(c[0]))
	return cachedTime(ctx, o, st, req, start)
}

// cachedTime times what a reader waits for with the daemon's report cache
// (analysis/report.Cache): served, the report built already and nothing
// it read changed since; and rebuilt, a live mention committed inside the
// week just before the request (it adds o.Reports "bench-live" mentions to
// the store).
func cachedTime(ctx context.Context, o ReportOptions, st *store.Store, req report.Request, weekStart time.Time) error {
	c := report.NewCache(st, st, report.CacheOptions{})
	if _, err := c.Warm(ctx, req); err != nil {
		return fmt.Errorf("weekly report: %w", err)
	}
	var served, rebuilt latencies
	for range max(o.Reports, 1) {
		t0 := time.Now()
		if _, err := c.Report(ctx, req); err != nil {
			return fmt.Errorf("weekly report: %w", err)
		}
		served.add(time.Since(t0))
	}
	exact := req // a build, not the stale report the cache would serve (docs/report.md, "Cached reports")
	exact.Exact = true
	for i := range max(o.Reports, 1) {
		m := store.Mention{ID: fmt.Sprintf("bench-live:%d:%d", o.Now.Unix(), st.LastSeq()), Network: "reddit", Kind: store.KindMention,
			Published: weekStart.Add(72*time.Hour + time.Duration(i)*time.Minute), Fetched: o.Now, Text: "a live mention",
			Brands: []string{req.Config.Brands[0].Name}, Lang: "en"}
		if _, err := st.Commit("bench-live", []store.Mention{m}, nil); err != nil {
			return fmt.Errorf("live mention: %w", err)
		}
		t0 := time.Now()
		if _, err := c.Report(ctx, exact); err != nil {
			return fmt.Errorf("weekly report: %w", err)
		}
		rebuilt.add(time.Since(t0))
	}
	s := c.Stats()
	n, p := served.pcts()
	fmt.Fprintf(o.Out, "report served %d requests  p50 %.3f ms  p95 %.3f ms (cache hit: nothing the week reads changed)\n", n,
		p[0].Seconds()*1000, p[1].Seconds()*1000)
	n, p = rebuilt.pcts()
	fmt.Fprintf(o.Out, "report rebuilt %d requests  p50 %s ms  p95 %s ms (a live mention in the week just before each)\n", n, ms1(p[0]), ms1(p[1]))
	fmt.Fprintf(o.Out, "report cache  %d hits, %d builds, %d found changed\n", s.Hits, s.Builds, s.Stale)
	return nil
}

// startCPUProfile starts a CPU profile written to path; stop ends it.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
