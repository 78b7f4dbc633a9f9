package daemon

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// Background report building. The report page, the API and the digest
// are served by report.Cache, which hands back a report it built earlier
// while nothing the report read changed (docs/report.md, "Cached
// reports"). The builder keeps the default report — the last complete ISO
// week, the page's default and the digest's week, every network — built:
// after a change (the store's modification number moved, the config was
// reloaded, the day turned) it asks the cache, which rebuilds only when
// the change touched what that report reads. Builds are spaced by at
// least reportGap and ten times the last build's duration, so live
// ingest into the reported week costs at most a tenth of a core. A
// request in between is served by the cache's stale-while-revalidate
// rule (report.MaxStale): the report built last, marked stale, while one
// rebuild runs; the digest's request is exact. Warm always builds when
// the report is not exact.
const (
	reportFirst = 20 * time.Second // after start (the phrase tagger starts at 30 s)
	reportPoll  = 5 * time.Second  // between checks
	reportGap   = 30 * time.Second // at least between background builds
)

// reportWarmer makes sure one report is cached and current;
// report.Cache.Warm is it.
type reportWarmer func(ctx context.Context, req report.Request) (built bool, err error)

// runReports keeps the default weekly report built until ctx is done.
func (d *Daemon) runReports(ctx context.Context) {
	reportLoop(ctx, d.reports.Warm, d.store.ModSeq, d.Config, d.log, d.clock, sleepCtx)
}

// reportLoop is runReports with its parts passed in. A check is skipped
// while nothing it depends on moved since the last one: the store's
// modification number, the config and the day in its zone.
func reportLoop(ctx context.Context, warm reportWarmer, modSeq func() uint64, cfg func() *config.Config,
	log zerolog.Logger, clock func() time.Time, sleep func(context.Context, time.Duration) error) {
	var done *inputs
	wait := reportFirst
	for {
		if sleep(ctx, wait) != nil {
			return
		}
		wait = reportPoll
		c := cfg()
		if c == nil {
			continue
		}
		now := clock()
		cur := inputsAt(modSeq(), c, now)
		if done != nil && *done == cur {
			continue
		}
		t0 := time.Now()
		built, err := warm(ctx, report.Request{Config: c, Period: "week", Now: now})
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			log.Warn().Err(err).Msg("report: background build failed; retrying later")
			wait = reportGap
		case built:
			done = &cur
			took := time.Since(t0)
			wait = max(reportGap, 10*took)
			log.Debug().Dur("took", took).Msg("report: rebuilt the weekly report")
		default:
			done = &cur
		}
	}
}
