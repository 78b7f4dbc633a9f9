package refresh

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/fakecount"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/store"
)

func openStore(t *testing.T, now func() time.Time) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), Clock: now, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// commitPosts stores what src fetches at now, as the ingest pipeline
// would (every post a mention of Acme).
func commitPosts(t *testing.T, st *store.Store, src lookupSource, now time.Time) []store.Mention {
	t.Helper()
	posts, _, err := src.Fetch(context.Background(), nil)
	if err != nil && len(posts) == 0 {
		t.Fatal(err)
	}
	var ms []store.Mention
	for _, p := range posts {
		m := store.Mention{ID: p.Network + ":" + p.NativeID, Network: p.Network, Source: src.Name(), NativeID: p.NativeID,
			URL: p.URL, Text: p.Text, Kind: store.KindMention, Author: p.Author, Published: p.Published, Fetched: now,
			Engagement: p.Engagement, Brands: []string{"Acme"}}
		if p.ReplyTo != "" {
			m.ReplyTo = p.Network + ":" + p.ReplyTo
		}
		ms = append(ms, m)
	}
	if _, err := st.Commit(src.Name(), ms, nil); err != nil {
		t.Fatal(err)
	}
	return ms
}

// engagementCells sums the all-brands cells' engagement of the network.
func engagementCells(t *testing.T, st *store.Store, network string) int64 {
	t.Helper()
	var sum int64
	err := st.Cells(context.Background(), time.Unix(0, 0), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), func(c *store.Cell) error {
		if c.Brand == "" && c.Network == network {
			sum += c.Engagement
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// Posts fetched from the Reddit fake are refreshed at the scheduled ages
// as the hours go by: each refresh reads the fake's grown counts, the
// rollups follow the stored counts, nothing is looked up twice for one
// age, and a rebuild from the log gives the same rollups.
func TestRefreshFollowsScheduleEndToEnd(t *testing.T) {
	c := networkCases[1] // reddit
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	src := c.build(t, now)
	st := openStore(t, now)
	ms := commitPosts(t, st, src, at)
	r := New(Options{Store: st, Targets: []Target{{Source: src.Name(), Network: "reddit", Lookup: src}}, Clock: now, MaxCalls: 100})
	lookups := 0
	for end := at.Add(9 * 24 * time.Hour); at.Before(end); at = at.Add(time.Hour) {
		tick, err := r.RunOnce(context.Background())
		if err != nil || len(tick.Errors) > 0 {
			t.Fatalf("%s: %v %v", at, err, tick.Errors)
		}
		lookups += tick.Result.Updated + tick.Result.Gone
	}
	var want, stored int64
	for _, m := range ms {
		got, _, err := st.Get(m.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored += got.EngagementTotal
		// Refreshed at most at 7 days, the fake's counts stop at 7 days:
		// what is stored is the grown count of the last refresh age.
		last := m.Published.Add(store.RefreshAges[len(store.RefreshAges)-1])
		if m.Fetched.Sub(m.Published) >= store.RefreshAges[len(store.RefreshAges)-1] {
			continue
		}
		if got.EngagementAt.Before(last) || got.EngagementAt.After(last.Add(time.Hour)) {
			t.Errorf("%s: last read at %s, want within an hour after %s", m.ID, got.EngagementAt, last)
		}
		if s, ok := m.Engagement["score"]; ok && got.Engagement["score"] != fakecount.Grow(s, m.Published, got.EngagementAt) {
			t.Errorf("%s: score %d, want %d", m.ID, got.Engagement["score"], fakecount.Grow(s, m.Published, got.EngagementAt))
		}
		want += got.EngagementTotal
	}
	if lookups == 0 || want == 0 {
		t.Fatalf("nothing refreshed (%d lookups)", lookups)
	}
	if cells := engagementCells(t, st, "reddit"); cells != stored {
		t.Errorf("cells say %d, stored mentions %d", cells, stored)
	}
	before := engagementCells(t, st, "reddit")
	if err := st.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := engagementCells(t, st, "reddit"); after != before {
		t.Errorf("rebuild gives %d, incremental refreshes %d", after, before)
	}
	if due, _ := st.DueRefreshes(at.Add(365*24*time.Hour), nil, 10); len(due) != 0 {
		t.Errorf("still scheduled after 9 days: %d", len(due))
	}
}

// stubLookup answers with canned results, failing while fail is set.
type stubLookup struct {
	batch int
	fail  error
	calls [][]string
}

func (s *stubLookup) LookupBatch() int { return s.batch }

func (s *stubLookup) LookupCounts(_ context.Context, refs []listener.Ref, b listener.Budget) (map[string]map[string]int64, error) {
	var ids []string
	out := map[string]map[string]int64{}
	for _, r := range refs {
		ids = append(ids, r.NativeID)
	}
	s.calls = append(s.calls, ids)
	if s.fail != nil {
		return out, s.fail
	}
	for _, r := range refs {
		if b != nil {
			if err := b.Take(1); err != nil {
				return out, err
			}
		}
		out[r.NativeID] = map[string]int64{"likes": 100}
	}
	return out, nil
}

func seed(t *testing.T, st *store.Store, network string, n int, pub time.Time) {
	t.Helper()
	var ms []store.Mention
	for i := range n {
		id := fmt.Sprint(i + 1)
		ms = append(ms, store.Mention{ID: network + ":" + id, Network: network, Source: "src", NativeID: id, Text: "acme",
			Kind: store.KindMention, Published: pub, Fetched: pub.Add(time.Minute), Engagement: map[string]int64{"likes": 0},
			Brands: []string{"Acme"}})
	}
	if _, err := st.Commit("src", ms, nil); err != nil {
		t.Fatal(err)
	}
}

// A failing lookup loses nothing: the mentions are retried after
// RetryAfter and refreshed once the network answers.
func TestFailedLookupRetried(t *testing.T) {
	pub := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := pub.Add(time.Hour)
	now := func() time.Time { return at }
	st := openStore(t, now)
	seed(t, st, "bluesky", 3, pub)
	lk := &stubLookup{batch: 25, fail: errors.New("connection reset")}
	r := New(Options{Store: st, Targets: []Target{{Source: "src", Network: "bluesky", Lookup: lk}}, Clock: now})
	tick, err := r.RunOnce(context.Background())
	if err != nil || tick.Result.Retried != 3 || len(tick.Errors) != 1 {
		t.Fatalf("failing tick: %+v %v", tick, err)
	}
	at = at.Add(DefaultRetryAfter - time.Minute)
	if tick, _ := r.RunOnce(context.Background()); tick.Calls != 0 {
		t.Fatalf("retried before RetryAfter: %+v", tick)
	}
	lk.fail = nil
	at = at.Add(time.Minute)
	tick, err = r.RunOnce(context.Background())
	if err != nil || tick.Result.Updated != 3 {
		t.Fatalf("retry: %+v %v", tick, err)
	}
	for i := 1; i <= 3; i++ {
		m, ok, _ := st.Get(fmt.Sprintf("bluesky:%d", i))
		if !ok || m.Engagement["likes"] != 100 {
			t.Errorf("mention %d after retry: %+v", i, m)
		}
	}
}

// The refresh spends only its budget share and at most MaxCalls calls a
// tick; what the budget could not pay for waits for the budget's reset.
func TestBudgetAndCallCapRespected(t *testing.T) {
	pub := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := pub.Add(time.Hour)
	now := func() time.Time { return at }
	st := openStore(t, now)
	seed(t, st, "x", 10, pub)
	b := &listenertest.Budget{Limit: 4, Resets: pub.Add(24 * time.Hour)}
	lk := &stubLookup{batch: 3}
	r := New(Options{Store: st, Targets: []Target{{Source: "src", Network: "x", Lookup: lk, Budget: b}}, Clock: now, MaxCalls: 3})
	tick, err := r.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if b.Used > b.Limit || tick.Result.Updated != 4 || tick.Result.Retried != 2 || tick.Calls != 2 {
		t.Fatalf("budget %d/%d, tick %+v calls %v", b.Used, b.Limit, tick, lk.calls)
	}
	// The 4 never asked stay due; the 2 refused by the budget wait for its reset.
	due, _ := st.DueRefreshes(at, nil, 100)
	if len(due) != 4 {
		t.Fatalf("due after the tick: %d, want 4 (never asked)", len(due))
	}
	due, _ = st.DueRefreshes(b.Resets, nil, 100)
	atReset := 0
	for _, d := range due {
		if d.At.Equal(b.Resets) {
			atReset++
		}
	}
	if len(due) != 10 || atReset != 2 {
		t.Fatalf("due at the budget reset: %d (%d retried then), want 10 (2)", len(due), atReset)
	}
	// A cap of 2 calls of 3 ids: 6 of the 10 in one tick, the rest later.
	b.Limit, b.Used = 100, 0
	lk.calls = nil
	r2 := New(Options{Store: st, Targets: []Target{{Source: "src", Network: "x", Lookup: lk, Budget: b}}, Clock: func() time.Time { return b.Resets }, MaxCalls: 1})
	if tick, _ := r2.RunOnce(context.Background()); tick.Calls != 1 || tick.Result.Updated != 3 {
		t.Fatalf("capped tick: %+v", tick)
	}
}

// Share gives refreshes a tenth of a budget and polling the rest.
func TestShare(t *testing.T) {
	for limit, want := range map[int]int{0: 0, 1: 0, 2: 1, 10: 1, 500: 50, 10000: 1000} {
		if got := Share(limit); got != want {
			t.Errorf("Share(%d) = %d, want %d", limit, got, want)
		}
	}
}

// Mentions of a network no source can look up are answered gone: their
// counts stay and their schedule advances.
func TestNoTargetAdvances(t *testing.T) {
	pub := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := pub.Add(time.Hour)
	now := func() time.Time { return at }
	st := openStore(t, now)
	seed(t, st, "mastodon", 2, pub)
	r := New(Options{Store: st, Clock: now})
	tick, err := r.RunOnce(context.Background())
	if err != nil || tick.Result.Gone != 2 {
		t.Fatalf("%+v %v", tick, err)
	}
	due, _ := st.DueRefreshes(pub.Add(6*time.Hour), nil, 10)
	var ages []string
	for _, d := range due {
		ages = append(ages, d.At.Sub(pub).String())
	}
	sort.Strings(ages)
	if !reflect.DeepEqual(ages, []string{"6h0m0s", "6h0m0s"}) {
		t.Fatalf("next ages %v", ages)
	}
}
