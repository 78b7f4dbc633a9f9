package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/store"
)

// liveReportEvery is how often the live phase's report client asks.
const liveReportEvery = 2 * time.Second

// liveReports is the weekly report as a reader gets it while the live
// phase ingests into the reported week: answer times, how many were
// served stale (report.Cache's stale-while-revalidate rule) and the
// oldest served.
type liveReports struct {
	lat    latencies
	mu     sync.Mutex
	stale  int
	maxAge int64 // seconds, Meta.StaleAge
}

// askReports asks the weekly report of the soak's "now" through one
// report.Cache (as the daemon serves the page and the API; the same
// request as the idle served row, soak_bulk.go) every liveReportEvery
// until ctx is done. The cache is warmed first, untimed, as the daemon's
// background builder has it.
func (r *soakRun) askReports(ctx context.Context, st *store.Store) {
	cfg, err := soakConfig()
	if err != nil {
		r.queryFailed(err.Error())
		return
	}
	c := report.NewCache(st, st, report.CacheOptions{Logger: r.log, Background: st.Background})
	defer c.Wait()
	req := report.Request{Config: cfg, Period: "week", Now: r.end}
	if _, err := c.Warm(ctx, req); err != nil {
		if ctx.Err() == nil {
			r.queryFailed("weekly report: " + err.Error())
		}
		return
	}
	tick := time.NewTicker(liveReportEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		t0 := time.Now()
		rep, err := c.Report(ctx, req)
		if err != nil {
			if ctx.Err() == nil {
				r.queryFailed("weekly report: " + err.Error())
			}
			continue
		}
		r.liveRep.lat.add(time.Since(t0))
		if rep.Meta.Stale {
			r.liveRep.mu.Lock()
			r.liveRep.stale++
			r.liveRep.maxAge = max(r.liveRep.maxAge, *rep.Meta.StaleAge)
			r.liveRep.mu.Unlock()
		}
	}
}

// liveReportRow is the weekly report as served while ingesting.
func (r *soakRun) liveReportRow() targetRow {
	cnt, p := r.liveRep.lat.pcts()
	r.liveRep.mu.Lock()
	stale, age := r.liveRep.stale, r.liveRep.maxAge
	r.liveRep.mu.Unlock()
	share := 0.0
	if cnt > 0 {
		share = 100 * float64(stale) / float64(cnt)
	}
	return targetRow{"weekly report as served p95 (p50)", fmt.Sprintf("%s (%s) ms, n=%d", ms1(p[1]), ms1(p[0]), cnt), "≤ " + ms0(soakTargetReport),
		fmt.Sprintf("while ingesting, report.Cache every %s: %.0f%% stale, max age %d s", liveReportEvery, share, age),
		ptr(cnt > 0 && p[1] <= soakTargetReport)}
}
