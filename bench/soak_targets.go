package bench

import (
	"fmt"
	"time"
)

// ingestRate is the soak's ingest figure: the bulk load's rate in bulk mode
// (Commit + indexer, no pipeline), else the pipeline's sustained rate.
func (r *soakRun) ingestRate() float64 {
	if r.o.Bulk {
		return r.bulkPhase.rate()
	}
	return r.sustained
}

// targetRow is one line of the targets table: a figure, its target and
// whether it met it (met == nil: no target, informational).
type targetRow struct {
	figure, measured, target, mode string
	met                            *bool
}

func ptr(b bool) *bool { return &b }

// targetRows are the soak's figures beside issue 20's targets, each saying
// which phase measured it.
func (r *soakRun) targetRows() []targetRow {
	ingestMode, liveMode := "pipeline, as fast as it goes", "while ingesting (pipeline, as fast as it goes)"
	if r.o.Bulk {
		ingestMode = fmt.Sprintf("bulk: Commit batches of %d + indexer", r.o.BulkBatch)
		if r.o.IndexBatch > 0 {
			ingestMode += fmt.Sprintf(" (bleve batches of %d)", r.o.IndexBatch)
		}
		liveMode = fmt.Sprintf("while ingesting %.0f/s through the pipeline", r.rate)
	}
	rows := []targetRow{{"ingest, stored + indexed", fmt.Sprintf("%.0f/s", r.ingestRate()), fmt.Sprintf("≥ %.0f/s", soakTargetRate), ingestMode, ptr(r.ingestRate() >= soakTargetRate)}}
	if r.o.Reuse {
		rows = []targetRow{{"ingest, stored + indexed", "—", fmt.Sprintf("≥ %.0f/s", soakTargetRate), "not measured: -reuse skipped the bulk load", nil}}
	}
	if r.bareRate > 0 && !r.o.Reuse {
		ratio := r.ingestRate() / r.bareRate
		rows = append(rows, targetRow{"ingest ÷ bare bleve", fmt.Sprintf("%.2f", ratio), fmt.Sprintf("≥ %.2f", soakTargetRatio),
			fmt.Sprintf("bare: first %d mentions, one writer", r.bareN), ptr(ratio >= soakTargetRatio)})
	}
	if r.o.Bulk {
		rows = append(rows, targetRow{"live phase, stored + indexed", fmt.Sprintf("%.0f/s", r.sustained), fmt.Sprintf("%.0f/s offered", r.rate), liveMode, nil})
	}
	for k, q := range soakQueries {
		for _, ph := range []struct {
			l    *latencies
			mode string
			live bool
		}{{&r.lat[k], liveMode, true}, {&r.idle[k], "idle, one client, after reopening", false}} {
			cnt, p := ph.l.pcts()
			row := targetRow{figure: q.name + " p95 (p99)", measured: fmt.Sprintf("%s (%s) ms, n=%d", ms1(p[1]), ms1(p[2]), cnt), mode: ph.mode}
			if ph.live && q.target > 0 {
				row.target, row.met = "≤ "+ms0(q.target), ptr(cnt > 0 && p[1] <= q.target)
			}
			rows = append(rows, row)
		}
	}
	cnt, p := r.reports.pcts()
	rows = append(rows,
		targetRow{"weekly report p95 (p50)", fmt.Sprintf("%s (%s) ms, n=%d", ms1(p[1]), ms1(p[0]), cnt), "≤ " + ms0(soakTargetReport), r.reportMode(), ptr(cnt > 0 && p[1] <= soakTargetReport)},
		r.servedRow(),
		r.liveReportRow(),
		targetRow{"VmRSS max (anonymous)", mib(r.maxRSSAll()) + " (" + mib(r.maxAnonAll()) + ")", "≤ " + mib(soakTargetRSS), "bulk load, weekly reports, live phase", ptr(r.maxRSSAll() <= soakTargetRSS)},
		targetRow{"startup to first search", r.startup.Round(time.Millisecond).String(), "≤ " + soakTargetStartup.String(), "reopen until a search answers 200", ptr(r.startup <= soakTargetStartup)},
	)
	if !r.o.NoReindex {
		rows = append(rows, targetRow{"reindex", r.reindex.Round(time.Second).String(), "", "Store.Reindex, idle", nil})
	}
	rows = append(rows, targetRow{"on disk: bbolt, index", mib(r.stats.DBBytes) + ", " + mib(r.stats.IndexBytes), "", "Store.Stats at the end", nil})
	return rows
}

// reportMode says which store the weekly reports read.
func (r *soakRun) reportMode() string {
	if r.o.Bulk {
		return "after the bulk load, idle, report.Build"
	}
	return "after reopening, idle, report.Build"
}

// servedRow is the weekly report as a reader gets it when nothing in its
// week changed since the daemon built it: served by report.Cache
// (docs/performance.md, "Weekly report": while live posts land in the
// week, a request is a build).
func (r *soakRun) servedRow() targetRow {
	cnt, p := r.served.pcts()
	return targetRow{"weekly report served p95 (p50)", fmt.Sprintf("%s (%s) ms, n=%d", ms1(p[1]), ms1(p[0]), cnt), "≤ " + ms0(soakTargetReport),
		"idle, report.Cache hit (week unchanged)", ptr(cnt > 0 && p[1] <= soakTargetReport)}
}

// maxRSSAll and maxAnonAll are the maxima over the bulk load, the weekly
// reports after it and the live phase.
func (r *soakRun) maxRSSAll() int64 {
	return max(r.bulkPhase.maxRSS, r.reportPhase.maxRSS, r.livePhase.maxRSS)
}
func (r *soakRun) maxAnonAll() int64 {
	return max(r.bulkPhase.maxAnon, r.reportPhase.maxAnon, r.livePhase.maxAnon)
}

// printTargets prints the targets table.
func (r *soakRun) printTargets() {
	fmt.Fprintf(r.out, "\n== figures against issue 20's targets (%d mentions stored) ==\n", r.stats.Mentions)
	fmt.Fprintf(r.out, "%-30s %-26s %-12s %-7s %s\n", "figure", "measured", "target", "verdict", "measured how")
	for _, row := range r.targetRows() {
		v := ""
		if row.met != nil {
			v = "ok"
			if !*row.met {
				v = "MISSED"
			}
		}
		fmt.Fprintf(r.out, "%-30s %-26s %-12s %-7s %s\n", row.figure, row.measured, row.target, v, row.mode)
	}
}

func ms0(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }
