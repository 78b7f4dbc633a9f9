package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// replyScenario is an owned reply per order the networks deliver them in:
// before its parent in one batch, after it in one batch, before it
// across polls (the parent a poll later), after it across polls, and one
// whose parent never arrives.
func replyScenario() [][]Mention {
	m := func(id string, minutes int, kind, replyTo string) Mention {
		x := mk(id, "", "acme "+id, 0, "Acme")
		x.Published = t0.Add(time.Duration(minutes) * time.Minute)
		x.Kind, x.ReplyTo, x.SentimentLabel = kind, replyTo, "neutral"
		return x
	}
	return [][]Mention{
		{ // poll 1: reply 2 before parent 1 (30 min); parent 3 then reply 4 (10 min); reply 5 to 6 (next poll)
			m("2", 30, KindOwned, "hackernews:1"), m("1", 0, KindMention, ""),
			m("3", 0, KindMention, ""), m("4", 10, KindOwned, "hackernews:3"),
			m("5", 120, KindOwned, "hackernews:6"),
		},
		{ // poll 2: parent 6 (60 min before reply 5); reply 7 to parent 3 (45 min); reply 8 to a post never stored
			m("6", 60, KindMention, ""), m("7", 45, KindOwned, "hackernews:3"), m("8", 50, KindOwned, "hackernews:99"),
		},
	}
}

// TestRepliesPairInAnyOrder: every reply whose parent is stored counts,
// in whatever order and poll the two arrive, and a rebuild from the log
// gives the same cells and facts.
func TestRepliesPairInAnyOrder(t *testing.T) {
	s := openT(t, t.TempDir())
	for _, poll := range replyScenario() {
		commitT(t, s, poll...)
	}
	// Replies 2 (30 min), 4 (10 min), 5 (60 min), 7 (45 min) are paired;
	// 8 is not. All owned posts sit in hours 0 (2, 4, 7, 8) and 2 (5).
	cells := cellsOf(t, s)
	h0 := cells[t0.Format("15")+"|hackernews|Acme|owned"]
	if h0.Count != 4 || h0.Replies != 3 || h0.ResponseSeconds != (30+10+45)*60 {
		t.Errorf("hour 0 owned cell = %+v, want 4 posts, 3 replies, 5100 s", h0)
	}
	h2 := cells[t0.Add(2*time.Hour).Format("15")+"|hackernews|Acme|owned"]
	if h2.Count != 1 || h2.Replies != 1 || h2.ResponseSeconds != 60*60 {
		t.Errorf("hour 2 owned cell = %+v, want 1 reply of 3600 s", h2)
	}
	paired := map[string]time.Duration{}
	if err := s.Facts(context.Background(), t0.Add(-time.Hour), t0.Add(3*time.Hour), func(f *Fact) error {
		if !f.ParentPublished.IsZero() {
			paired[f.ID] = f.Published.Sub(f.ParentPublished)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"hackernews:2": 30 * time.Minute, "hackernews:4": 10 * time.Minute,
		"hackernews:5": time.Hour, "hackernews:7": 45 * time.Minute}
	if !reflect.DeepEqual(paired, want) {
		t.Errorf("paired replies = %v, want %v", paired, want)
	}
	before := dumpRollups(t, s)
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := dumpRollups(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("rebuild differs from incremental:\nbefore %v\nafter  %v", before, after)
	}
}

// TestPruneUnpairsAndRebuildAgrees prunes a parent stored after its reply:
// the reply loses its response time (as a rebuild would never pair it), and
// a prune of the waiting reply leaves no orphan behind.
func TestPruneUnpairsAndRebuildAgrees(t *testing.T) {
	s := openT(t, t.TempDir())
	reply := mk("2", "", "sorry", 0, "Acme")
	reply.Kind, reply.ReplyTo, reply.Published = KindOwned, "hackernews:1", t0.Add(10*24*time.Hour)
	parent := mk("1", "", "acme broke", 0, "Acme")
	commitT(t, s, reply)
	commitT(t, s, parent)
	if c := cellsOf2(t, s, reply.Published); c.Replies != 1 || c.ResponseSeconds != 10*24*3600 {
		t.Fatalf("paired reply cell = %+v", c)
	}
	if _, err := s.Prune(context.Background(), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if c := cellsOf2(t, s, reply.Published); c.Count != 1 || c.Replies != 0 || c.ResponseSeconds != 0 {
		t.Errorf("reply cell after its parent was pruned = %+v", c)
	}
	before := dumpRollups(t, s)
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := dumpRollups(t, s); !reflect.DeepEqual(before, after) {
		t.Errorf("rebuild differs after prune:\nbefore %v\nafter  %v", before, after)
	}
	if _, err := s.Prune(context.Background(), t0.Add(11*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := bucketLen(t, s, bucketOrphans); n != 0 {
		t.Errorf("%d orphan records left after every reply was pruned", n)
	}
}

// TestEngagementSplitStoredAndDerivedOnRead: Commit stores interactions
// and exposure by the networks table; an old record whose total summed
// every count reads with the split.
func TestEngagementSplitStoredAndDerivedOnRead(t *testing.T) {
	s := openT(t, t.TempDir())
	m := mk("1", "", "acme", 0, "Acme")
	m.Network, m.ID = "x", "x:1"
	// likes 3 + reposts 2 + replies 1 + quotes 0 + bookmarks 4 = 10 interactions; 98,012 impressions.
	m.Engagement = map[string]int64{"likes": 3, "reposts": 2, "replies": 1, "quotes": 0, "bookmarks": 4, "impressions": 98012}
	m.EngagementTotal = 98022 // what ingest summed before the split
	commitT(t, s, m)
	got, ok, err := s.Get("x:1")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if got.EngagementTotal != 10 || got.Exposure == nil || *got.Exposure != 98012 {
		t.Errorf("stored interactions %d exposure %v, want 10 and 98012", got.EngagementTotal, got.Exposure)
	}
	c := cellsOf2(t, s, m.Published)
	if c.Engagement != 10 || c.Exposure != 98012 || c.ExposureKnown != 1 || c.ReachKnown != 0 {
		t.Errorf("cell = %+v", c)
	}
	var old Mention // written before the split: total of every count, no exposure field
	if err := old.UnmarshalJSON([]byte(`{"id":"x:2","network":"x","engagement":{"impressions":500,"likes":7},"engagement_total":507}`)); err != nil {
		t.Fatal(err)
	}
	if old.EngagementTotal != 7 || old.Exposure == nil || *old.Exposure != 500 {
		t.Errorf("old record reads interactions %d exposure %v, want 7 and 500", old.EngagementTotal, old.Exposure)
	}
	// A network that gives no exposure: exposure unknown (nil), not 0.
	hn := Mention{Network: "hackernews", Engagement: map[string]int64{"points": 5, "num_comments": -1}}
	hn.DeriveEngagement()
	if hn.EngagementTotal != 5 || hn.Exposure != nil {
		t.Errorf("hackernews = %d, %v; want 5 and nil", hn.EngagementTotal, hn.Exposure)
	}
}

// cellsOf2 is the hackernews Acme owned-or-mention cell of the hour of at.
func cellsOf2(t *testing.T, s *Store, at time.Time) Cell {
	t.Helper()
	var out Cell
	err := s.Cells(context.Background(), at.Truncate(time.Hour), at.Truncate(time.Hour).Add(time.Hour), func(c *Cell) error {
		if c.Brand == "Acme" {
			out = *c
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// bucketLen counts the records of a bucket.
func bucketLen(t *testing.T, s *Store, name []byte) int {
	t.Helper()
	n := 0
	if err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(name).ForEach(func(_, _ []byte) error { n++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return n
}
