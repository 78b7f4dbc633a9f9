package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"time"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/store"
)

// bareBatch is the bleve batch of the baseline: the store's default.
const bareBatch = 1000

func (r *soakRun) header() {
	fmt.Fprintf(r.out, "%8s %9s %9s %9s %9s %17s %24s %9s\n", "elapsed", "mentions", "rate/s", "avg/s", "idx lag", "RSS (anon)", "keyword p50/p95/p99 ms", "facet p95")
}

// progress prints one line: totals, the rate since the last line, lag, RSS
// and the query latencies so far.
func (r *soakRun) progress(st *store.Store, start, last time.Time, lastAdded int64) {
	now := time.Now()
	added := r.added.Load()
	rate := float64(added-lastAdded) / max(now.Sub(last).Seconds(), 1e-9)
	avg := float64(added) / max(now.Sub(start).Seconds(), 1e-9)
	cur, anon := r.sampleRSS()
	_, kw := r.lat[0].pcts()
	_, fc := r.lat[1].pcts()
	s := st.Stats()
	fmt.Fprintf(r.out, "%8s %9d %9.0f %9.0f %9d %17s %24s %9s\n", now.Sub(start).Round(time.Second), added, rate, avg,
		s.IndexLag, mib(cur)+" ("+mib(anon)+")", fmt.Sprintf("%s/%s/%s", ms1(kw[0]), ms1(kw[1]), ms1(kw[2])), ms1(fc[1]))
}

// bare measures bleve batch indexing of the stream's first sample mentions
// with the store's mapping: the baseline for the ingest rate.
func (r *soakRun) bare(ctx context.Context, sample int) error {
	g := gen.New(r.genOptions(r.n))
	n := 0
	next := func() (store.Mention, bool) {
		if n == sample {
			return store.Mention{}, false
		}
		n++
		return g.Next()
	}
	fmt.Fprintf(r.out, "\nbare bleve baseline: %d mentions generated as it goes, batches of %d, one writer…\n", sample, bareBatch)
	use0 := readUsage()
	rate, err := BareIndexRate(ctx, r.dir, next, bareBatch)
	if err != nil {
		return err
	}
	r.bareRate, r.bareUse, r.bareN = rate, readUsage().since(use0), n
	return nil
}

// restart reopens the store and the API (the store was closed at the end of
// ingest) and times it until /healthz answers and a search works, then
// rebuilds the index with Reindex.
func (r *soakRun) restart(ctx context.Context) error {
	start := time.Now()
	st, err := store.Open(r.dir, r.storeOptions())
	if err != nil {
		return fmt.Errorf("reopen: %w", err)
	}
	defer st.Close()
	base, stopAPI, err := serveAPI(ctx, st, r.version)
	if err != nil {
		return err
	}
	defer stopAPI()
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		if err := getJSONTo(ctx, client, base+"/healthz", nil); err == nil {
			break
		}
		if time.Since(start) > time.Minute {
			return fmt.Errorf("reopen: /healthz did not answer within a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := getJSONTo(ctx, client, base+"/api/search?q="+soakTerms[0], nil); err != nil {
		return fmt.Errorf("search after reopen: %w", err)
	}
	r.startup = time.Since(start)
	fmt.Fprintf(r.out, "reopened: serving searches after %s\n", r.startup.Round(time.Millisecond))
	// The soak's searches on the idle store, one client, the kinds in
	// turn: the baseline for the latencies measured while ingesting.
	rng := rand.New(rand.NewPCG(uint64(r.seed), 99))
	for i := range r.o.IdleQueries * nQueryKinds {
		k := i % nQueryKinds
		v := soakQueries[k].values(soakTerms[rng.IntN(len(soakTerms))], r.end)
		t0 := time.Now()
		if err := getJSONTo(ctx, client, base+"/api/search?"+v.Encode(), nil); err != nil {
			return fmt.Errorf("idle search: %w", err)
		}
		r.idle[k].add(time.Since(t0))
	}
	if !r.o.Bulk {
		if err := r.weekly(ctx, st, r.o.Reports); err != nil {
			return err
		}
	}
	if !r.o.NoReindex {
		fmt.Fprintln(r.out, "reindexing…")
		start = time.Now()
		if err := st.Reindex(ctx); err != nil {
			return err
		}
		r.reindex = time.Since(start)
	}
	r.stats = st.Stats()
	r.disk, err = diskUsage(r.dir)
	return err
}

// printSummary prints the figures against the targets; failed search
// requests make the soak fail, missed targets are reported.
func (r *soakRun) printSummary() error {
	w := r.out
	added := r.added.Load()
	fmt.Fprintf(w, "\n== soak summary ==\n")
	if r.o.Bulk {
		fmt.Fprintf(w, "bulk load (Commit, batches of %d)   %8.0f mentions/s: %d stored and indexed in %s\n",
			r.o.BulkBatch, r.bulkPhase.rate(), r.bulkPhase.mentions, r.bulkPhase.dur.Round(time.Second))
		fmt.Fprintf(w, "bulk load, per mention               %s\n", r.bulkUse.describe(r.bulkPhase.mentions))
		fmt.Fprintf(w, "max RSS during bulk load            %8s (anonymous %s)\n", mib(r.bulkPhase.maxRSS), mib(r.bulkPhase.maxAnon))
		fmt.Fprintf(w, "  at the max: %s\n", r.bulkPhase.split)
		fmt.Fprintf(w, "max RSS after a weekly report       %8s (anonymous %s)\n", mib(r.reportPhase.maxRSS), mib(r.reportPhase.maxAnon))
		fmt.Fprintf(w, "  at the max: %s\n", r.reportPhase.split)
		fmt.Fprintf(w, "live phase through the pipeline, paced at %.0f/s:\n", r.rate)
	}
	fmt.Fprintf(w, "posts fetched %d, mentions stored %d (%.1f%% matched a brand, topic or handle)\n",
		r.posts.Load(), added, 100*float64(added)/max(float64(r.posts.Load()), 1))
	fmt.Fprintf(w, "commit rate (pipeline → bbolt)      %8.0f mentions/s over %s\n", r.commitRate, r.commitDur.Round(time.Second))
	fmt.Fprintf(w, "index caught up after last commit   %8s\n", r.catchUp.Round(time.Millisecond))
	fmt.Fprintf(w, "sustained ingest (stored+indexed)   %8.0f mentions/s over %s\n", r.sustained, r.ingestDur.Round(time.Second))
	if r.bareRate > 0 {
		fmt.Fprintf(w, "bare bleve batch indexing           %8.0f docs/s (%d mentions); ingest/bare = %.2f\n",
			r.bareRate, r.bareN, r.ingestRate()/r.bareRate)
	}
	fmt.Fprintf(w, "ingest, per mention                  %s (searches included)\n", r.ingestUse.describe(added))
	if r.bareRate > 0 {
		fmt.Fprintf(w, "bare bleve, per document             %s\n", r.bareUse.describe(int64(r.bareN)))
	}
	fmt.Fprintf(w, "max RSS during ingest               %8s (anonymous memory: max %s; the rest is file pages: bbolt's and bleve's memory maps)\n",
		mib(r.maxRSS), mib(r.maxAnon))
	fmt.Fprintf(w, "  at the max: %s\n", r.livePhase.split)
	for k, q := range soakQueries {
		cnt, p := r.lat[k].pcts()
		fmt.Fprintf(w, "%-17s while ingesting  %6d requests, p50 %s p95 %s p99 %s ms\n", q.name, cnt, ms1(p[0]), ms1(p[1]), ms1(p[2]))
	}
	for k, q := range soakQueries {
		cnt, p := r.idle[k].pcts()
		fmt.Fprintf(w, "%-17s idle store       %6d requests, p50 %s p95 %s p99 %s ms (one client, after reopening)\n", q.name, cnt, ms1(p[0]), ms1(p[1]), ms1(p[2]))
	}
	cnt, p := r.reports.pcts()
	fmt.Fprintf(w, "weekly report (report.Build)        %6d builds,   p50 %s p95 %s ms\n", cnt, ms1(p[0]), ms1(p[1]))
	fmt.Fprintf(w, "startup to serving (%d mentions)   %8s\n", r.stats.Mentions, r.startup.Round(time.Millisecond))
	if !r.o.NoReindex {
		fmt.Fprintf(w, "reindex of %d mentions            %8s\n", r.stats.Mentions, r.reindex.Round(time.Second))
	}
	fmt.Fprintf(w, "on disk: bbolt %s, index %s (Stats, at the end)\n", mib(r.stats.DBBytes), mib(r.stats.IndexBytes))
	for _, e := range r.disk {
		indent := "  "
		if e.Part {
			indent = "    "
		}
		fmt.Fprintf(w, "%s%-40s %s\n", indent, e.Name, mib(e.Bytes))
	}
	r.printTargets()
	if n := r.qErrors.Load(); n > 0 {
		last, _ := r.qLastErr.Load().(string)
		return fmt.Errorf("soak: %d search requests failed; last: %s", n, last)
	}
	return nil
}

// sampleRSS reads the RSS and records the maxima.
func (r *soakRun) sampleRSS() (total, anon int64) {
	total, anon = rss()
	if total > r.maxRSS {
		r.maxSplit = readSmaps()
	}
	r.maxRSS, r.maxAnon = max(r.maxRSS, total), max(r.maxAnon, anon)
	return total, anon
}

func ms1(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func mib(b int64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func qpsText(q float64) string {
	if q == 0 {
		return "closed loop"
	}
	return fmt.Sprintf("%.0f queries/s in all", q)
}

func rateText(r float64) string {
	if r == 0 {
		return "as fast as the pipeline takes them"
	}
	return fmt.Sprintf("paced at %.0f posts/s", r)
}

func cpuCount() int { return runtime.NumCPU() }
