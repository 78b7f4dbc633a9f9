package report

import (
	"context"
	"runtime"
)

// How a build runs its work: every goroutine it starts (the phrase
// sample, the word counts, the tagging workers) and the build itself run
// through run, with up to workers tagging workers. A request's build runs
// as it is with GOMAXPROCS workers; a background rebuild (Cache) through
// CacheOptions.Background with one worker, so that work no one waits for
// takes neither the CPU nor the Go schedulers searches and ingest need
// (docs/report.md, "Cached reports").
type runner struct {
	run     func(func())
	workers int
}

type runnerKey struct{}

// withRunner returns ctx carrying r for the build it is passed to.
func withRunner(ctx context.Context, r runner) context.Context {
	return context.WithValue(ctx, runnerKey{}, r)
}

// runnerOf is the runner ctx carries, or a request's: as it is, GOMAXPROCS
// workers.
func runnerOf(ctx context.Context) runner {
	if r, ok := ctx.Value(runnerKey{}).(runner); ok {
		return r
	}
	return runner{run: asIs, workers: runtime.GOMAXPROCS(0)}
}

// asIs calls f.
func asIs(f func()) { f() }

// goRun starts f in a goroutine of wg through r.
func (r runner) goRun(wg interface{ Go(func()) }, f func()) {
	wg.Go(func() { r.run(f) })
}
