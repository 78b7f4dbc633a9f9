package cluster

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// TestRefreshesAndCoverageReachEveryNode: a poll's coverage and an
// engagement refresh, made on node a, reach node b through the stream;
// b's store numbers its mentions differently (a mention of its own came
// first), so the refresh's schedule key is translated to b's.
func TestRefreshesAndCoverageReachEveryNode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url := standalone(t)
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	pub := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	mention := func(id string) store.Mention {
		return store.Mention{ID: "x:" + id, Network: "x", Source: "s1", NativeID: id, Text: "acme", Kind: store.KindMention,
			Published: pub, Fetched: pub.Add(time.Minute), Engagement: map[string]int64{"likes": 1}, Brands: []string{"Acme"}}
	}
	stores := map[string]*store.Store{}
	nodes := map[string]*Node{}
	for _, name := range []string{"a", "b"} {
		n, _ := openNode(t, url, name, "h")
		st, err := store.Open(t.TempDir(), store.Options{Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if name == "b" { // b's sequence numbers are one ahead of a's
			m := mention("local")
			m.Source = "other"
			if _, err := st.Commit("", []store.Mention{m}, nil); err != nil {
				t.Fatal(err)
			}
		}
		fctx, fcancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); _ = n.Follow(fctx, st) }()
		t.Cleanup(func() { fcancel(); <-done })
		stores[name], nodes[name] = st, n
	}
	a, b := stores["a"], stores["b"]

	sink := nodes["a"].Sink(a)
	if _, err := sink.Cursor("s1"); err != nil {
		t.Fatal(err)
	}
	var ms []store.Mention
	for i := range 3 {
		ms = append(ms, mention(fmt.Sprint(i)))
	}
	cov := store.SourceCoverage{Network: "x", Began: pub.Add(time.Hour), Lookback: 48 * time.Hour}
	if _, err := sink.CommitPoll("s1", ms, []byte("c1"), cov); err != nil {
		t.Fatal(err)
	}
	covOf := func(st *store.Store) map[string]store.SourceCoverage {
		c, err := st.Coverage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	waitFor(ctx, t, "the coverage on both nodes", func() bool {
		_, okA := covOf(a)["s1"]
		_, okB := covOf(b)["s1"]
		return okA && okB
	})
	waitFor(ctx, t, "the mentions on both nodes", func() bool { return a.Stats().Mentions == 3 && b.Stats().Mentions == 4 })
	if ca, cb := covOf(a)["s1"], covOf(b)["s1"]; ca.Lookback != cov.Lookback || cb.Lookback != cov.Lookback || !ca.Began.Equal(cb.Began) {
		t.Errorf("coverage a %+v, b %+v, want lookback %v on both, the same began", ca, cb, cov.Lookback)
	}

	// The refresher (node a) reads its schedule and applies a lookup's counts.
	rst := nodes["a"].RefreshStore(a)
	due, err := rst.DueRefreshes(pub.Add(365*24*time.Hour), nil, 100)
	if err != nil || len(due) != 3 {
		t.Fatalf("due on a: %d, %v", len(due), err)
	}
	var rs []store.Refreshed
	for _, d := range due {
		rs = append(rs, store.Refreshed{Key: d.Key, ID: d.ID, Outcome: store.RefreshUpdated, Counts: map[string]int64{"likes": 99}, At: pub.Add(2 * time.Hour)})
	}
	res, err := rst.ApplyRefreshes(rs)
	if err != nil || res.Updated != 3 {
		t.Fatalf("apply on a: %+v, %v", res, err)
	}
	likes := func(st *store.Store) map[string]int64 {
		out := map[string]int64{}
		for i := range 3 {
			m, ok, err := st.Get(fmt.Sprintf("x:%d", i))
			if err != nil || !ok {
				t.Fatalf("get: %v %v", ok, err)
			}
			out[m.ID] = m.Engagement["likes"]
		}
		return out
	}
	want := map[string]int64{"x:0": 99, "x:1": 99, "x:2": 99}
	if got := likes(a); !maps.Equal(got, want) {
		t.Errorf("a: %v, want %v", got, want)
	}
	waitFor(ctx, t, "the refreshed counts on b", func() bool { return maps.Equal(likes(b), want) })
	// b's schedule moved on too: what a refreshed is no longer due on b.
	for _, st := range []*store.Store{a, b} {
		d, err := st.DueRefreshes(pub.Add(2*time.Hour), nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range d {
			if x.ID != "x:local" {
				t.Errorf("still due at once after the refresh: %s", x.ID)
			}
		}
	}
}

// refreshTail refreshes one stored mention through tn's refresh store
// (likes = 99; the counter's mentions carry no counts, so one is given a
// schedule entry by hand first: every node commits it) and returns its id.
func (c *testCluster) refreshTail(ctx context.Context, tn *testNode) string {
	c.t.Helper()
	base := c.srcs[0].base
	m := store.Mention{ID: "x:tail", Network: "x", Source: "tail", NativeID: "tail", Text: "Acme", Kind: store.KindMention,
		Published: base, Fetched: base.Add(time.Minute), Engagement: map[string]int64{"likes": 1}, Brands: []string{"Acme"}}
	if _, err := tn.node.publish(ctx, []store.Mention{m}); err != nil {
		c.t.Fatal(err)
	}
	waitFor(ctx, c.t, "the tail mention on the refresher", func() bool { _, ok, _ := tn.st.Get(m.ID); return ok })
	rst := tn.node.RefreshStore(tn.st)
	due, err := rst.DueRefreshes(base.Add(365*24*time.Hour), nil, 10)
	if err != nil || len(due) != 1 {
		c.t.Fatalf("due: %v %v", due, err)
	}
	if _, err := rst.ApplyRefreshes([]store.Refreshed{{Key: due[0].Key, ID: m.ID, Outcome: store.RefreshUpdated,
		Counts: map[string]int64{"likes": 99}, At: base.Add(2 * time.Hour)}}); err != nil {
		c.t.Fatal(err)
	}
	return m.ID
}

// engagement is node i's likes of mention id (-1: not stored).
func (c *testCluster) engagement(i int, id string) int64 {
	m, ok, err := c.nodes[i].st.Get(id)
	if err != nil || !ok {
		return -1
	}
	return m.Engagement["likes"]
}
