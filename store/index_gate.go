package store

import (
	"sync"
	"time"
)

// The search gate: every search holds it while it runs (enter/leave), and
// background work that should not compete with searches for the 2 cores
// (the weekly report's phrase tagging) calls YieldToSearches between small
// steps: it waits while any search holds the gate, at most maxYield per
// call, so that work always progresses whatever the search load. The
// indexer and the ingest pipeline do not yield: measured, doing so made
// the tail of searches while ingesting worse (docs/performance.md
// "Searches before writes").
const maxYield = 20 * time.Millisecond

// searchGate counts the searches in flight.
type searchGate struct {
	mu      sync.Mutex
	n       int           // searches in flight
	entered uint64        // searches ever entered
	idle    chan struct{} // closed while n == 0

	max   time.Duration                        // longest yield
	after func(time.Duration) <-chan time.Time // time.After; tests replace it
	// onWait, when set (tests), runs when a yield starts waiting.
	onWait func()
}

func newSearchGate() *searchGate {
	idle := make(chan struct{})
	close(idle)
	return &searchGate{idle: idle, max: maxYield, after: time.After}
}

// enter marks a search in flight until the returned leave is called (once).
func (g *searchGate) enter() (leave func()) {
	g.mu.Lock()
	if g.n == 0 {
		g.idle = make(chan struct{})
	}
	g.n++
	g.entered++
	g.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			g.n--
			if g.n == 0 {
				close(g.idle)
			}
			g.mu.Unlock()
		})
	}
}

// state returns the searches in flight and the number ever entered.
func (g *searchGate) state() (inFlight int, entered uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n, g.entered
}

// yield waits until no search is in flight, at most g.max, or until stop is
// closed.
func (g *searchGate) yield(stop <-chan struct{}) {
	g.mu.Lock()
	idle, busy := g.idle, g.n > 0
	g.mu.Unlock()
	if !busy {
		return
	}
	if g.onWait != nil {
		g.onWait()
	}
	select {
	case <-idle:
	case <-g.after(g.max):
	case <-stop:
	}
}

// YieldToSearches waits while a search is in flight, at most maxYield. It
// returns at once when no search runs or the store is closed.
func (s *Store) YieldToSearches() {
	s.gate.yield(s.stop)
}
