package store

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// openGather opens a store whose indexer gathers batches of 10 for an hour:
// only a full batch or Sync gets anything indexed during a test.
func openGather(t *testing.T) *Store {
	t.Helper()
	o := testOpts()
	o.BatchSize, o.IndexGather = 10, time.Hour
	s, err := Open(t.TempDir(), o)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// awaitWatermark waits until the indexer has indexed up to seq, failing
// after a minute.
func awaitWatermark(t *testing.T, s *Store, seq uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for s.watermark.Load() < seq {
		s.progressMu.Lock()
		ch := s.progress
		s.progressMu.Unlock()
		if s.watermark.Load() >= seq {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("watermark %d, want %d: the indexer did not index a full batch", s.watermark.Load(), seq)
		}
	}
}

func TestIndexerGathersUntilABatchWaits(t *testing.T) {
	s := openGather(t)
	for i := range 3 {
		commitT(t, s, mk("g"+strconv.Itoa(i), "gather", "one commit of one mention", i))
	}
	// Three of a batch of ten wait; the gather time is an hour. (A broken
	// gather indexes them within milliseconds; a correct one never does.)
	time.Sleep(300 * time.Millisecond)
	if wm := s.watermark.Load(); wm != 0 {
		t.Fatalf("watermark %d after 3 of a batch of 10: the indexer did not gather", wm)
	}
	for i := 3; i < 10; i++ {
		commitT(t, s, mk("g"+strconv.Itoa(i), "gather", "one commit of one mention", i))
	}
	awaitWatermark(t, s, 10) // a full batch: indexed without Sync
	res := find(t, s, SearchRequest{Query: term("gather")})
	if res.Total != 10 {
		t.Fatalf("search found %d of the 10 gathered mentions", res.Total)
	}
}

func TestSyncDoesNotWaitForTheGather(t *testing.T) {
	s := openGather(t)
	commitT(t, s, mk("s1", "flush", "less than a batch", 1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Sync(ctx); err != nil { // the gather would take an hour
		t.Fatalf("sync waited for the gather: %v", err)
	}
	if res := find(t, s, SearchRequest{Query: term("flush")}); res.Total != 1 {
		t.Fatalf("search after Sync found %d, want 1", res.Total)
	}
	// A second Sync after a later commit flushes again.
	commitT(t, s, mk("s2", "flush", "less than a batch", 2))
	if err := s.Sync(ctx); err != nil {
		t.Fatalf("second sync: %v", err)
	}
	if res := find(t, s, SearchRequest{Query: term("flush")}); res.Total != 2 {
		t.Fatalf("search after the second Sync found %d, want 2", res.Total)
	}
}

func TestCloseIndexesWhatWasGathered(t *testing.T) {
	o := testOpts()
	o.BatchSize, o.IndexGather = 10, time.Hour
	dir := t.TempDir()
	s, err := Open(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	commitT(t, s, mk("c1", "closing", "gathered when the store closes", 1))
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select { // Close must not wait out the hour
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Close waited for the gather")
	}
	if s.watermark.Load() != 1 {
		t.Fatalf("watermark %d after Close, want 1: Close left the gathered mention unindexed", s.watermark.Load())
	}
}

// A Prune that takes every mention the indexer has not reached yet (here:
// still gathering) leaves nothing to index; the watermark must still reach
// the log's last sequence, or Sync waits for ever.
func TestSyncAfterPruningTheUnindexedTail(t *testing.T) {
	s := openGather(t)
	commitT(t, s, mk("p1", "pruned", "before the cut-off", 1), mk("p2", "pruned", "before the cut-off", 2))
	if _, err := s.Prune(context.Background(), t0.Add(30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Sync(ctx); err != nil {
		t.Fatalf("sync after pruning the unindexed tail: %v", err)
	}
	if res := find(t, s, SearchRequest{Query: term("pruned")}); res.Total != 0 {
		t.Fatalf("search found %d pruned mentions", res.Total)
	}
}
