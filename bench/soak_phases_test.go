package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// Nearest rank: p = d[⌈q·n⌉ − 1] of the sorted values.
func TestNearestRank(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		var d []time.Duration
		for _, v := range vs {
			d = append(d, time.Duration(v)*time.Millisecond)
		}
		return d
	}
	var hundred, twenty []int
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, i)
	}
	for i := 1; i <= 20; i++ {
		twenty = append(twenty, i)
	}
	for _, c := range []struct {
		d    []time.Duration
		want [3]int // p50, p95, p99 in ms
	}{
		{ms(hundred...), [3]int{50, 95, 99}}, // ⌈50⌉, ⌈95⌉, ⌈99⌉
		{ms(twenty...), [3]int{10, 19, 20}},  // ⌈10⌉, ⌈19⌉, ⌈19.8⌉ = 20
		{ms(7), [3]int{7, 7, 7}},             // one value is every percentile
		{ms(1, 2, 3), [3]int{2, 3, 3}},       // ⌈1.5⌉ = 2, ⌈2.85⌉ = 3
		{nil, [3]int{0, 0, 0}},               // none: zero
	} {
		var l latencies
		// Added in reverse: pcts sorts.
		for i := len(c.d) - 1; i >= 0; i-- {
			l.add(c.d[i])
		}
		n, p := l.pcts()
		if n != len(c.d) {
			t.Errorf("count %d, want %d", n, len(c.d))
		}
		for i, q := range []string{"p50", "p95", "p99"} {
			if want := time.Duration(c.want[i]) * time.Millisecond; p[i] != want {
				t.Errorf("%d values: %s = %v, want %v", len(c.d), q, p[i], want)
			}
		}
	}
}

// Each kind's window starts 7 or 30 days and windowLead (10 h) before the
// soak's end, so that it cuts a week partition;
// "any time" has no from; only the faceted kind asks for facets.
func TestQueryWindows(t *testing.T) {
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	want := []struct{ from, facets string }{
		{"2026-11-22T14:00:00Z", "none"},
		{"2026-10-30T14:00:00Z", "none"},
		{"", "none"},
		{"2026-10-30T14:00:00Z", "brand,network,day"},
	}
	for k, q := range soakQueries {
		v := q.values("memory", end)
		if v.Get("q") != "memory" || v.Get("from") != want[k].from || v.Get("facets") != want[k].facets || v.Has("to") {
			t.Errorf("%s: %v, want from %q facets %q", q.name, v, want[k].from, want[k].facets)
		}
	}
	if soakQueries[0].target != 20*time.Millisecond || soakQueries[1].target != 20*time.Millisecond ||
		soakQueries[2].target != 100*time.Millisecond || soakQueries[3].target != 100*time.Millisecond {
		t.Errorf("targets %v are not issue 20's (20, 20, 100, 100 ms)", soakQueries)
	}
}

// The table's verdicts from hand-set figures: the bulk load's rate is the
// ingest figure in bulk mode, RSS is the maximum over the phases, idle rows
// carry no verdict.
func TestTargetRows(t *testing.T) {
	r := &soakRun{o: SoakOptions{Bulk: true, BulkBatch: 5000}, rate: 4000, bareRate: 4000, bareN: 100,
		bulkPhase: phase{mentions: 10000, dur: 2 * time.Second, maxRSS: 3 << 30, maxAnon: 1 << 30},
		livePhase: phase{mentions: 4000, dur: time.Second, maxRSS: 1 << 30, maxAnon: 2 << 30},
		sustained: 3900, startup: 2100 * time.Millisecond}
	for i := 1; i <= 20; i++ {
		r.lat[0].add(time.Duration(i) * time.Millisecond)    // p95 19 ms: met
		r.lat[1].add(time.Duration(i+1) * time.Millisecond)  // p95 20 ms: met (≤)
		r.lat[2].add(time.Duration(i+90) * time.Millisecond) // p95 109 ms: missed
		r.idle[3].add(time.Second)
		r.reports.add(time.Duration(i*10) * time.Millisecond)     // p95 190 ms: met
		r.served.add(time.Duration(i) * time.Millisecond / 10)    // p95 1.9 ms: met
		r.liveRep.lat.add(time.Duration(i*11) * time.Millisecond) // p95 209 ms: missed
	}
	r.liveRep.stale, r.liveRep.maxAge = 15, 3 // 15 of 20 stale
	got := map[string]string{}
	for _, row := range r.targetRows() {
		v := "-"
		if row.met != nil {
			v = map[bool]string{true: "ok", false: "MISSED"}[*row.met]
		}
		got[row.figure+"|"+row.mode] = row.measured + "|" + v
	}
	live := "while ingesting 4000/s through the pipeline"
	idle := "idle, one client, after reopening"
	for key, want := range map[string]string{
		"ingest, stored + indexed|bulk: Commit batches of 5000 + indexer":                                  "5000/s|ok",
		"ingest ÷ bare bleve|bare: first 100 mentions, one writer":                                         "1.25|ok",
		"live phase, stored + indexed|" + live:                                                             "3900/s|-",
		"keyword, 7 days p95 (p99)|" + live:                                                                "19.0 (20.0) ms, n=20|ok",
		"keyword, 30 days p95 (p99)|" + live:                                                               "20.0 (21.0) ms, n=20|ok",
		"keyword, any time p95 (p99)|" + live:                                                              "109.0 (110.0) ms, n=20|MISSED",
		"faceted, 30 days p95 (p99)|" + live:                                                               "0.0 (0.0) ms, n=0|MISSED",
		"faceted, 30 days p95 (p99)|" + idle:                                                               "1000.0 (1000.0) ms, n=20|-",
		"weekly report p95 (p50)|after the bulk load, idle, report.Build":                                  "190.0 (100.0) ms, n=20|ok",
		"weekly report served p95 (p50)|idle, report.Cache hit (week unchanged)":                           "1.9 (1.0) ms, n=20|ok",
		"weekly report as served p95 (p50)|while ingesting, report.Cache every 2s: 75% stale, max age 3 s": "209.0 (110.0) ms, n=20|MISSED",
		"VmRSS max (anonymous)|bulk load, weekly reports, live phase":                                      "3072 MiB (2048 MiB)|MISSED",
		"startup to first search|reopen until a search answers 200":                                        "2.1s|MISSED",
	} {
		if got[key] != want {
			t.Errorf("%s: %q, want %q", key, got[key], want)
		}
	}
}

// The VmRSS figure is the maximum over the bulk load, the weekly reports
// and the live phase, whichever of them is the largest.
func TestRSSMaxOverPhases(t *testing.T) {
	for i := range 3 {
		var ph [3]phase
		for j := range ph {
			ph[j] = phase{maxRSS: 1 << 30, maxAnon: 1 << 20}
		}
		ph[i] = phase{maxRSS: 5 << 30, maxAnon: 3 << 20}
		r := &soakRun{bulkPhase: ph[0], reportPhase: ph[1], livePhase: ph[2]}
		if r.maxRSSAll() != 5<<30 || r.maxAnonAll() != 3<<20 {
			t.Errorf("phase %d largest: maxRSSAll %d, maxAnonAll %d; want %d, %d", i, r.maxRSSAll(), r.maxAnonAll(), 5<<30, 3<<20)
		}
	}
}

// diskUsage sizes each entry and lists the partitions of a directory that
// holds several; a directory with one subdirectory is not partitioned.
func TestDiskUsage(t *testing.T) {
	dir := t.TempDir()
	write := func(p string, n int) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("earshot.db", 10)
	write("index/2026-10/store/a", 5)
	write("index/2026-11/b", 7)
	write("index/meta", 3)
	write("single/only/c", 4)
	got, err := diskUsage(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []diskEntry{{"earshot.db", 10, false}, {"index", 15, false}, {"index/2026-10", 5, true}, {"index/2026-11", 7, true}, {"single", 4, false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diskUsage = %v, want %v", got, want)
	}
}

// A bulk soak at N = 2,000: the bulk load commits the 12-month stream, the
// live phase adds Rate × Live posts of the last day through the pipeline,
// and the phases account for every stored mention; the idle searches and
// weekly reports run as many times as asked. No timing is asserted.
func TestSoakBulkPhases(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	o := SoakOptions{N: 2000, Clients: 2, Batch: 100, Sources: 2, Every: 200 * time.Millisecond, Dir: dir, Keep: true, Seed: 1,
		Bulk: true, BulkBatch: 700, Rate: 1000, Live: time.Second, IdleQueries: 3, Reports: 2, NoReindex: true,
		Out: &out, Logger: zerolog.Nop()}
	r, err := soak(context.Background(), o)
	if err != nil {
		t.Fatalf("soak: %v\n%s", err, out.String())
	}
	if r.bulkPhase.mentions != 2000 || r.livePhase.mentions != 1000 || r.stats.Mentions != 3000 || r.posts.Load() != 1000 {
		t.Errorf("bulk %d + live %d (of %d posts) mentions, store holds %d; want 2000 + 1000 = 3000",
			r.bulkPhase.mentions, r.livePhase.mentions, r.posts.Load(), r.stats.Mentions)
	}
	if r.bulkPhase.dur <= 0 || r.livePhase.dur <= 0 || r.bulkPhase.maxRSS <= 0 {
		t.Errorf("phases not timed or sampled: %+v %+v", r.bulkPhase, r.livePhase)
	}
	for k, q := range soakQueries {
		if n, _ := r.idle[k].pcts(); n != 3 {
			t.Errorf("%s: %d idle searches, want 3", q.name, n)
		}
	}
	if n, _ := r.reports.pcts(); n != 2 {
		t.Errorf("%d weekly reports, want 2", n)
	}
	if r.reindex != 0 || strings.Contains(out.String(), "reindexing") {
		t.Error("-no-reindex reindexed")
	}
	s := out.String()
	for _, want := range []string{"bulk load (Commit, batches of 700)", "2000 stored and indexed", "posts fetched 1000, mentions stored 1000",
		"figures against issue 20's targets (3000 mentions stored)", "keyword, 7 days p95 (p99)", "weekly report p95 (p50)", "earshot.db"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	// The live posts are the last day's, with their own ids.
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	live := 0
	err = st.Range(context.Background(), r.end.Add(-24*time.Hour), r.end, func(m store.Mention) error {
		if strings.HasPrefix(m.NativeID, "live") {
			live++
		}
		return nil
	})
	if err != nil || live != 1000 {
		t.Errorf("%d live mentions in the last day (err %v), want 1000", live, err)
	}
	st.Close()

	// -reuse: the live phase again on the kept store, with ids of its own:
	// 1000 more mentions, no bulk load; an empty directory is refused.
	out.Reset()
	o.Reuse, o.Reports, o.IdleQueries = true, 0, 0
	r, err = soak(context.Background(), o)
	if err != nil {
		t.Fatalf("soak -reuse: %v\n%s", err, out.String())
	}
	if r.bulkPhase.mentions != 0 || r.livePhase.mentions != 1000 || r.stats.Mentions != 4000 {
		t.Errorf("-reuse: bulk %d + live %d mentions, store holds %d; want 0 + 1000, 4000", r.bulkPhase.mentions, r.livePhase.mentions, r.stats.Mentions)
	}
	if s := out.String(); !strings.Contains(s, "not measured: -reuse skipped the bulk load") || strings.Contains(s, "bulk load:") {
		t.Errorf("-reuse output:\n%s", s)
	}
	o.Dir = t.TempDir()
	if _, err := soak(context.Background(), o); err == nil || !strings.Contains(err.Error(), "-reuse: no store") {
		t.Errorf("-reuse of an empty directory: %v", err)
	}
}
