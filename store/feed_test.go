package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func feedDocs(first, n int) []indexFields {
	d := make([]indexFields, n)
	for i := range d {
		d[i].ID = fmt.Sprintf("t:%d", first+i)
	}
	return d
}

func wantRun(t *testing.T, docs []indexFields, last uint64, from, to int) {
	t.Helper()
	if to < from {
		if last != 0 || docs != nil {
			t.Fatalf("got %d docs up to %d, want none", len(docs), last)
		}
		return
	}
	if last != uint64(to) || len(docs) != to-from+1 {
		t.Fatalf("got %d docs up to %d, want %d..%d", len(docs), last, from, to)
	}
	for i, d := range docs {
		if want := fmt.Sprintf("t:%d", from+i); d.ID != want {
			t.Fatalf("doc %d is %s, want %s", i, d.ID, want)
		}
	}
}

func TestFeedTakesOnlyTheRunAfterTheWatermark(t *testing.T) {
	f := feed{max: 100}
	g := f.generation()
	f.push(g, 11, feedDocs(11, 5)) // out of order: 11..15 before 1..10
	f.push(g, 1, feedDocs(1, 10))
	f.push(g, 20, feedDocs(20, 3)) // 16..19 missing: only in the log

	docs, last := f.take(0, 4)
	wantRun(t, docs, last, 1, 4)
	docs, last = f.take(last, 100)
	wantRun(t, docs, last, 5, 15)
	docs, last = f.take(15, 100) // gap at 16
	wantRun(t, docs, last, 1, 0)
	docs, last = f.take(20, 100) // log read 16..20: the rest of 20..22
	wantRun(t, docs, last, 21, 22)
	if f.n != 0 || len(f.batches) != 0 {
		t.Fatalf("feed holds %d docs in %d batches after draining", f.n, len(f.batches))
	}
}

func TestFeedDropsWhenFullOrReset(t *testing.T) {
	f := feed{max: 10}
	g := f.generation()
	f.push(g, 1, feedDocs(1, 8))
	f.push(g, 9, feedDocs(9, 3)) // would exceed max: dropped
	docs, last := f.take(8, 100)
	wantRun(t, docs, last, 1, 0)
	if f.n != 0 {
		t.Fatalf("stale batch kept: n = %d", f.n)
	}

	f.push(g, 12, feedDocs(12, 2))
	f.reset()
	f.push(g, 14, feedDocs(14, 2)) // read its generation before the reset
	docs, last = f.take(11, 100)
	wantRun(t, docs, last, 1, 0)

	var off feed // max 0: disabled (NoIndexer)
	off.push(off.generation(), 1, feedDocs(1, 1))
	docs, last = off.take(0, 100)
	wantRun(t, docs, last, 1, 0)
}

// TestCommitWaitsForALaggingIndexer: with the indexer held, a Commit beyond
// the lag limit waits until the indexer moves, and a failing indexer does
// not hold commits at all.
func TestCommitWaitsForALaggingIndexer(t *testing.T) {
	s := openT(t, t.TempDir())
	s.lagLimit, s.maxWait = 5, time.Hour
	s.indexMu.Lock() // the indexer cannot take a step
	locked := true
	defer func() {
		if locked {
			s.indexMu.Unlock()
		}
	}()
	if _, err := s.Commit("t", feedMentions(0, 6), nil); err != nil { // lag 0 → 6
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Commit("t", feedMentions(6, 1), nil)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("commit beyond the lag limit returned at once (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	s.indexMu.Unlock()
	locked = false
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.watermark.Load(); got != 7 {
		t.Fatalf("watermark %d, want 7", got)
	}

	// A failing indexer: commits go on regardless of the lag.
	s.indexMu.Lock()
	locked = true
	s.signalProgress(errors.New("bleve is broken"))
	go func() {
		for _, first := range []int{7, 17} {
			if _, err := s.Commit("t", feedMentions(first, 10), nil); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("commits wait for a failing indexer")
	}
}

func feedMentions(first, n int) []Mention {
	ms := make([]Mention, n)
	for i := range ms {
		ms[i] = mk(fmt.Sprintf("w%d", first+i), "", "lag test", 1, "Acme")
	}
	return ms
}
