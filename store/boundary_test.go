package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot/query"
)

// Prune's contract (retention.go) is "published before the cut-off": a
// mention published exactly at the cut-off is kept by Prune and accepted
// by a later Commit; one nanosecond earlier is pruned and refused.
func TestRetentionCutoffIsExclusive(t *testing.T) {
	cut := t0.Add(10 * 24 * time.Hour)
	opts := testOpts()
	opts.Clock = func() time.Time { return cut.Add(24 * time.Hour) }
	s, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := func(id string, published time.Time) Mention {
		m := mk(id, "", "acme battery "+id, 0, "Acme")
		m.Published, m.Fetched = published, published
		return m
	}
	commitT(t, s, at("before", cut.Add(-time.Nanosecond)), at("at", cut), at("after", cut.Add(time.Nanosecond)))
	syncT(t, s)
	res, err := s.Prune(context.Background(), cut)
	if err != nil || res.Mentions != 1 {
		t.Fatalf("prune at %v = %+v, %v; want 1 mention pruned", cut, res, err)
	}
	for id, kept := range map[string]bool{"before": false, "at": true, "after": true} {
		if _, found, err := s.Get("hackernews:" + id); err != nil || found != kept {
			t.Errorf("%s the cut-off: found %v (%v), want %v", id, found, err, kept)
		}
	}
	// Commit after the prune: the same boundary.
	if r := commitT(t, s, at("late-before", cut.Add(-time.Nanosecond))); r.Added != 0 || r.Duplicates != 1 {
		t.Errorf("mention 1ns before the cut-off: %+v, want refused as a duplicate", r)
	}
	if r := commitT(t, s, at("late-at", cut)); r.Added != 1 {
		t.Errorf("mention exactly at the cut-off: %+v, want added", r)
	}
	syncT(t, s)
	if got := sortedIDs(find(t, s, SearchRequest{Query: term("acme")})); got != "after,at,late-at" {
		t.Errorf("searchable after prune: %s", got)
	}
}

// NEAR/n holds at exactly n positions apart in either order, and not at
// n+1, on the index path (the bleve candidates verified by nearM).
func TestSearchNearExactDistanceBothOrders(t *testing.T) {
	s := openT(t, t.TempDir())
	// word positions: zebra 0, quartz 3 (or the other way round).
	filler := func(k int) string {
		w := []string{"red", "green", "blue", "pink"}
		out := ""
		for i := range k {
			out += w[i] + " "
		}
		return out
	}
	var ms []Mention
	for k := 1; k <= 4; k++ {
		ms = append(ms,
			mk(fmt.Sprintf("zq%d", k), "", "zebra "+filler(k)+"quartz", k),
			mk(fmt.Sprintf("qz%d", k), "", "quartz "+filler(k)+"zebra", k))
	}
	commitT(t, s, ms...)
	syncT(t, s)
	// zq<k>/qz<k> have the two words k+1 positions apart.
	for _, c := range []struct {
		l, r string
		n    int
		want string
	}{
		{"zebra", "quartz", 3, "qz1,qz2,zq1,zq2"},
		{"quartz", "zebra", 3, "qz1,qz2,zq1,zq2"},
		{"zebra", "quartz", 2, "qz1,zq1"},
		{"quartz", "zebra", 2, "qz1,zq1"},
		{"zebra", "quartz", 5, "qz1,qz2,qz3,qz4,zq1,zq2,zq3,zq4"},
		{"zebra", "quartz", 1, ""},
	} {
		got := sortedIDs(find(t, s, SearchRequest{Query: query.Near{Left: query.Term{Text: c.l}, Right: query.Term{Text: c.r}, N: c.n}}))
		if got != c.want {
			t.Errorf("%s NEAR/%d %s → %q, want %q", c.l, c.n, c.r, got, c.want)
		}
	}
}
