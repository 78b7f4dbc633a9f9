package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// mkc is mk with counts, as networks with a lookup send them.
func mkc(id, title, text string, hours int, brands ...string) Mention {
	m := mk(id, title, text, hours, brands...)
	m.Engagement = map[string]int64{"points": int64(hours)}
	return m
}

// refreshAt reads what is due at now and answers every due mention with
// counts, as a refresher would.
func refreshAt(t *testing.T, s *Store, now time.Time, counts map[string]int64) RefreshResult {
	t.Helper()
	due, err := s.DueRefreshes(now, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var rs []Refreshed
	for _, d := range due {
		rs = append(rs, Refreshed{Key: d.Key, ID: d.ID, Outcome: RefreshUpdated, Counts: counts, At: now})
	}
	res, err := s.ApplyRefreshes(rs)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func dueIDs(t *testing.T, s *Store, now time.Time) []string {
	t.Helper()
	due, err := s.DueRefreshes(now, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range due {
		out = append(out, d.ID+"@"+d.At.Sub(d.Published).String())
	}
	return out
}

// A post first read 10 minutes after publication with 0 points is
// refreshed at exactly the ages of RefreshAges; its cell follows each read.
func TestRefreshScheduleAndRollupsFollow(t *testing.T) {
	s := openT(t, t.TempDir())
	m := mkc("1", "Acme phone", "acme is fine", 0, "Acme")
	m.Fetched = m.Published.Add(10 * time.Minute)
	m.Engagement, m.EngagementTotal = map[string]int64{"points": 0, "num_comments": 0}, 0
	commitT(t, s, m)
	hour := t0.Format("15")
	if got := dueIDs(t, s, t0.Add(time.Hour-time.Nanosecond)); len(got) != 0 {
		t.Fatalf("due before 1 h: %v", got)
	}
	ages := []string{"1h0m0s", "6h0m0s", "24h0m0s", "72h0m0s", "168h0m0s"}
	for i, age := range ages {
		at := t0.Add(RefreshAges[i])
		if got := dueIDs(t, s, at); !reflect.DeepEqual(got, []string{"hackernews:1@" + age}) {
			t.Fatalf("step %d: due = %v, want [hackernews:1@%s]", i, got, age)
		}
		pts := int64(10 * (i + 1))
		res := refreshAt(t, s, at, map[string]int64{"points": pts, "num_comments": 1})
		if res.Updated != 1 || res.Changed != 1 {
			t.Fatalf("step %d: %+v", i, res)
		}
		c := cellsOf(t, s)[hour+"|hackernews|Acme|mention"]
		if c.Count != 1 || c.Engagement != pts+1 {
			t.Fatalf("step %d: cell %+v, want count 1 engagement %d", i, c, pts+1)
		}
		if all := cellsOf(t, s)[hour+"|hackernews||mention"]; all.Engagement != pts+1 {
			t.Fatalf("step %d: all-brands cell %+v", i, all)
		}
	}
	if got := dueIDs(t, s, t0.Add(30*24*time.Hour)); len(got) != 0 {
		t.Fatalf("due after the last age: %v", got)
	}
	got, _, err := s.Get(m.ID)
	if err != nil || got.EngagementTotal != 51 || !got.EngagementAt.Equal(t0.Add(7*24*time.Hour)) {
		t.Fatalf("stored mention: %+v %v", got, err)
	}
	// The search index sorts by the new total.
	syncT(t, s)
	other := mkc("2", "Acme tablet", "acme again", 1, "Acme")
	other.Engagement, other.EngagementTotal = map[string]int64{"points": 40}, 40
	commitT(t, s, other)
	syncT(t, s)
	if r := find(t, s, SearchRequest{Query: term("acme"), Sort: SortEngagement}); !reflect.DeepEqual(ids(r), []string{"1", "2"}) {
		t.Fatalf("engagement sort after refresh: %v", ids(r))
	}
}

// A backfilled post (first read at 30 h) is refreshed at 72 h and 7 days
// only; a refresh done late schedules the first age after it.
func TestRefreshScheduleSkipsPassedAges(t *testing.T) {
	s := openT(t, t.TempDir())
	m := mkc("1", "t", "acme", 0, "Acme")
	m.Fetched = t0.Add(30 * time.Hour)
	commitT(t, s, m)
	if got := dueIDs(t, s, t0.Add(71*time.Hour)); len(got) != 0 {
		t.Fatalf("due before 72 h: %v", got)
	}
	// The daemon was down: the 72 h refresh runs at 100 h, the next is 7 d.
	refreshAt(t, s, t0.Add(100*time.Hour), map[string]int64{"points": 3})
	if got := dueIDs(t, s, t0.Add(167*time.Hour)); len(got) != 0 {
		t.Fatalf("due before 7 d: %v", got)
	}
	if got := dueIDs(t, s, t0.Add(168*time.Hour)); len(got) != 1 {
		t.Fatalf("not due at 7 d: %v", got)
	}
	old := mkc("2", "t", "acme", 0, "Acme")
	old.Fetched = t0.Add(8 * 24 * time.Hour)
	noCounts := mkc("3", "t", "acme", 0, "Acme")
	noCounts.Engagement = nil
	commitT(t, s, old, noCounts)
	if got := dueIDs(t, s, t0.Add(365*24*time.Hour)); len(got) != 1 || got[0] != "hackernews:1@168h0m0s" {
		t.Fatalf("mentions read after the last age or without counts were scheduled: %v", got)
	}
}

// Applying the same outcomes twice changes nothing; a failed lookup is
// retried later and the mention keeps its counts; one failing past its
// last age is given up, never deleted.
func TestRefreshIdempotentAndRetried(t *testing.T) {
	s := openT(t, t.TempDir())
	m := mkc("1", "t", "acme", 0, "Acme")
	m.Fetched = t0.Add(time.Minute)
	commitT(t, s, m)
	due, err := s.DueRefreshes(t0.Add(time.Hour), nil, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due %v %v", due, err)
	}
	fail := []Refreshed{{Key: due[0].Key, ID: due[0].ID, Outcome: RefreshFailed, RetryAt: t0.Add(90 * time.Minute)}}
	if res, err := s.ApplyRefreshes(fail); err != nil || res.Retried != 1 {
		t.Fatalf("failed lookup: %+v %v", res, err)
	}
	if got := dueIDs(t, s, t0.Add(89*time.Minute)); len(got) != 0 {
		t.Fatalf("retried before RetryAt: %v", got)
	}
	due, _ = s.DueRefreshes(t0.Add(90*time.Minute), nil, 10)
	if len(due) != 1 {
		t.Fatalf("the failed mention is not retried: %v", due)
	}
	ok := []Refreshed{{Key: due[0].Key, ID: due[0].ID, Outcome: RefreshUpdated, Counts: map[string]int64{"points": 7}, At: t0.Add(90 * time.Minute)}}
	if _, err := s.ApplyRefreshes(ok); err != nil {
		t.Fatal(err)
	}
	before := dumpRollups(t, s)
	res, err := s.ApplyRefreshes(ok)
	if err != nil || res.Unmatched != 1 || res.Updated != 0 {
		t.Fatalf("repeated outcome: %+v %v", res, err)
	}
	if after := dumpRollups(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("a repeated outcome changed the rollups:\n%v\n%v", before, after)
	}
	// Fail at every later age until past the last one: given up, kept.
	for now := t0.Add(6 * time.Hour); ; now = now.Add(12 * time.Hour) {
		due, _ = s.DueRefreshes(now, nil, 10)
		if len(due) == 0 {
			if now.Before(t0.Add(8 * 24 * time.Hour)) {
				continue
			}
			break
		}
		res, err := s.ApplyRefreshes([]Refreshed{{Key: due[0].Key, ID: due[0].ID, Outcome: RefreshFailed, RetryAt: now.Add(12 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		if res.GivenUp == 1 {
			break
		}
	}
	if got, found, _ := s.Get(m.ID); !found || got.EngagementTotal != 7 {
		t.Fatalf("mention after failures: %+v found=%v", got, found)
	}
	if got := dueIDs(t, s, t0.Add(365*24*time.Hour)); len(got) != 0 {
		t.Fatalf("still scheduled after giving up: %v", got)
	}
}

// Rollups after refreshes equal a rebuild from the log, and pruning a
// refreshed mention takes exactly its current counts away.
func TestRefreshRebuildAndPruneAgree(t *testing.T) {
	s := openT(t, t.TempDir())
	ms := rollupFixture()
	for i := range ms {
		ms[i].Engagement = map[string]int64{"points": ms[i].EngagementTotal}
	}
	commitT(t, s, ms...)
	refreshAt(t, s, t0.Add(6*time.Hour), map[string]int64{"points": 100, "num_comments": 20})
	refreshAt(t, s, t0.Add(30*time.Hour), map[string]int64{"points": 250, "num_comments": 21})
	inc := dumpRollups(t, s)
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if reb := dumpRollups(t, s); !reflect.DeepEqual(inc, reb) {
		t.Fatalf("rebuild differs from incremental refreshes:\nincremental %v\nrebuild     %v", inc, reb)
	}
	if _, err := s.Prune(context.Background(), t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for k, c := range cellsOf(t, s) {
		if c.Count != 0 || c.Engagement != 0 || c.Reach != 0 {
			t.Errorf("cell %s after pruning everything: %+v", k, c)
		}
	}
}

func TestNextRefresh(t *testing.T) {
	for _, c := range []struct {
		read time.Duration
		want time.Duration
		ok   bool
	}{{0, time.Hour, true}, {time.Hour - 1, time.Hour, true}, {time.Hour, 6 * time.Hour, true},
		{71 * time.Hour, 72 * time.Hour, true}, {168 * time.Hour, 0, false}, {-time.Hour, time.Hour, true}} {
		got, ok := nextRefresh(t0, t0.Add(c.read))
		if ok != c.ok || (ok && !got.Equal(t0.Add(c.want))) {
			t.Errorf("nextRefresh(read at %s) = %s %v, want %s %v", c.read, got.Sub(t0), ok, c.want, c.ok)
		}
	}
}
