package digest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// bumpChanges is a store's modification record where every change
// touches every day: a report cached before a bump is out of date.
type bumpChanges struct{ seq atomic.Uint64 }

func (b *bumpChanges) ModSeq() uint64 { return b.seq.Load() }
func (b *bumpChanges) ChangedSince(_, _ time.Time, _ string, since uint64) bool {
	return since < b.seq.Load()
}

// The digest reads the daemon's report cache (report.Cache), which serves
// a reader a report whose data changed, marked stale, for up to
// report.MaxStale while it rebuilds: the digest's own request is exact, so
// with the week's report cached and changed 5 s ago it waits for a build.
func TestDigestNeverGetsAStaleReport(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	cfg := testConfig(t, dir, "", nil)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ch := &bumpChanges{}
	c := report.NewCache(st, ch, report.CacheOptions{Config: func() *config.Config { return cfg }, Clock: clock})
	defer c.Wait()
	r, err := New(Options{Config: cfg, Ledger: st, Build: c.Report, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	w := WeekOf(now.AddDate(0, 0, -7), cfg.Earshot.Location)
	ctx := context.Background()
	if _, err := r.Preview(ctx, w, config.Recipient{}); err != nil {
		t.Fatal(err)
	}
	ch.seq.Add(1)
	now = now.Add(5 * time.Second)
	if _, err := r.Preview(ctx, w, config.Recipient{}); err != nil {
		t.Fatal(err)
	}
	if s := c.Stats(); s.ServedStale != 0 || s.Builds != 2 {
		t.Errorf("cache %+v: the digest's second report should be a build, never served stale", s)
	}
}
