package store

import (
	"context"
	"testing"
	"time"

	"github.com/earshot/earshot/query"
)

// YieldToSearches waits while a search holds the gate and returns when it
// leaves; with a search holding it all along, it returns when its timeout
// fires (no starvation); with none, at once.
func TestYieldToSearches(t *testing.T) {
	s := openT(t, t.TempDir())
	fire := make(chan time.Time)
	waits := make(chan struct{}, 8)
	s.gate.onWait = func() { waits <- struct{}{} }
	s.gate.after = func(time.Duration) <-chan time.Time { return fire }
	s.YieldToSearches() // no search: must not wait
	select {
	case <-waits:
		t.Fatal("waited with no search in flight")
	default:
	}
	step := func(release func()) {
		t.Helper()
		done := make(chan struct{})
		go func() { s.YieldToSearches(); close(done) }()
		select {
		case <-waits:
		case <-done:
			t.Fatal("returned without waiting while a search held the gate")
		}
		select {
		case <-done:
			t.Fatal("returned while a search held the gate")
		default:
		}
		release()
		select {
		case <-done:
		case <-time.After(30 * time.Second): // a failure, not a measurement
			t.Fatal("still waiting after the search left or the timeout fired")
		}
	}
	leave := s.gate.enter()
	step(func() { fire <- time.Time{} }) // timeout while the search runs
	step(leave)                          // the search leaves
}

// Search and each page of SearchEach hold the gate and leave it after.
func TestSearchHoldsGate(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, wombats(1, 3)...)
	syncT(t, s)
	_, e0 := s.gate.state()
	n, err := s.SearchEach(context.Background(), SearchRequest{Query: query.Term{Text: "wombat"}}, 0, func(Mention) error {
		if in, _ := s.gate.state(); in != 0 { // fn runs outside: a slow export does not hold it
			t.Errorf("%d searches in flight inside SearchEach's fn, want 0", in)
		}
		return nil
	})
	in, e1 := s.gate.state()
	if err != nil || n != 3 || e1 == e0 || in != 0 {
		t.Fatalf("SearchEach: n=%d err=%v, entered %d times, %d in flight after", n, err, e1-e0, in)
	}
	got := countWombats(t, s)
	in, e2 := s.gate.state()
	if got != 3 || e2 == e1 || in != 0 {
		t.Fatalf("Search: found %d, entered %d times, %d in flight after", got, e2-e1, in)
	}
}
