package store

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/earshot/earshot/query"
)

// fakeThreads keeps a nice value per goroutine-visible thread: get and set
// act on the calling thread's entry (keyed by threadID), so a test sees
// which threads were raised and whether each was set back.
type fakeThreads struct {
	mu     sync.Mutex
	nice   map[int]int
	raises int   // sets below the base
	found  int   // gets that found the thread below the base
	failAt int   // the set call (1-based) that fails with EPERM; 0: none
	sets   int   // set calls so far
	err    error // returned by set at failAt
}

func (f *fakeThreads) get() (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.nice[threadID()]
	if n < 0 {
		f.found++
	}
	return n, nil
}

func (f *fakeThreads) set(n int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets++
	if f.sets == f.failAt {
		return f.err
	}
	if n < 0 {
		f.raises++
	}
	if f.nice == nil {
		f.nice = map[int]int{}
	}
	f.nice[threadID()] = n
	return nil
}

// raised returns the threads left at a nice value other than 0.
func (f *fakeThreads) raised() map[int]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int]int{}
	for tid, n := range f.nice {
		if n != 0 {
			out[tid] = n
		}
	}
	return out
}

// A search over two week partitions with facets raises one thread, the
// searching goroutine's, and runs both partitions' searches and the facet
// count on it (nested runs that find it raised); with the partitions
// through the alias (seqParts 1) each partition's goroutine raises its
// own. SearchEach (a
// walk, an export) raises none. No thread is left raised.
func TestSearchRunsRaised(t *testing.T) {
	s := openFourMonths(t, t.TempDir())
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	ft := &fakeThreads{}
	s.prio = newSearchPriority(DefaultSearchPriority, ft)
	if _, err := s.SearchPriority(); err != nil {
		t.Fatal(err)
	}
	// 7 days over W14/W15: two partitions (TestWindowSearchesOnlyItsPartitions).
	week := SearchRequest{From: day(4, 3, 0), To: day(4, 10, 0)}
	for _, c := range []struct {
		seqParts      int
		raises, found int // threads raised; runs that found theirs raised
	}{
		{seqPartsDefault, 1, 3}, // the search; both partitions in turn and the facets on its thread
		{1, 3, 1},               // the search; each partition on the alias's goroutine; the facets on the search's
	} {
		s.seqParts = c.seqParts
		ft.raises, ft.found = 0, 0
		res := find(t, s, week)
		if res.Total != 1 {
			t.Fatalf("total %d, want 1", res.Total)
		}
		if ft.raises != c.raises || ft.found != c.found {
			t.Errorf("seqParts %d: %d threads raised, %d runs found theirs raised; want %d, %d",
				c.seqParts, ft.raises, ft.found, c.raises, c.found)
		}
		if r := ft.raised(); len(r) > 0 {
			t.Errorf("threads left raised after the search: %v", r)
		}
	}
	ft.raises, ft.found = 0, 0
	n, err := s.SearchEach(context.Background(), week, 0, func(Mention) error { return nil })
	if err != nil || n != 1 {
		t.Fatalf("SearchEach: %d, %v", n, err)
	}
	if ft.raises != 0 || ft.found != 0 {
		t.Errorf("SearchEach raised %d threads (%d found raised), want none", ft.raises, ft.found)
	}
}

// When the priority cannot be raised, Open says why and searches run at
// the process's priority; when setting a thread back fails, that thread is
// not handed to other goroutines raised.
func TestSearchPriorityFallback(t *testing.T) {
	denied := &fakeThreads{failAt: 1, err: syscall.EPERM}
	p := newSearchPriority(DefaultSearchPriority, denied)
	if !errors.Is(p.err, syscall.EPERM) {
		t.Fatalf("err %v, want EPERM", p.err)
	}
	calls := 0
	p.run(func() { calls++ })
	if calls != 1 || denied.sets != 1 {
		t.Errorf("ran f %d times with %d set calls, want 1 and 1 (the probe)", calls, denied.sets)
	}
	if p := newSearchPriority(-1, &fakeThreads{}); p.err == nil {
		t.Error("a negative SearchPriority still raised")
	}
	if got := searchSteps(0); got != DefaultSearchPriority {
		t.Errorf("searchSteps(0) = %d", got)
	}
	// Restoring fails on the first run's way out (the probe's two sets
	// succeeded): f still ran once.
	broken := &fakeThreads{failAt: 4, err: syscall.EPERM}
	p = newSearchPriority(DefaultSearchPriority, broken)
	if p.err != nil {
		t.Fatal(p.err)
	}
	done := make(chan int)
	go func() {
		calls := 0
		p.run(func() { calls++ })
		done <- calls
	}()
	if c := <-done; c != 1 {
		t.Errorf("ran f %d times", c)
	}
}

// The real thing, where the system allows it (CAP_SYS_NICE or
// RLIMIT_NICE; elsewhere it checks that searches then run unraised): inside run
// the thread is at the process's nice − DefaultSearchPriority, a nested
// run changes nothing, and afterwards that very thread is back.
func TestSearchPriorityOnThisSystem(t *testing.T) {
	var tp osThreadPriority
	p := newSearchPriority(DefaultSearchPriority, tp)
	if p.err != nil {
		if mayLowerNice(DefaultSearchPriority) {
			t.Fatalf("with CAP_SYS_NICE or RLIMIT_NICE allowing it, a thread's priority was not raised: %v", p.err)
		}
		calls := 0
		p.run(func() { calls++ })
		if calls != 1 {
			t.Fatalf("unraised run called f %d times", calls)
		}
		return
	}
	var tid, inside, nested, afterNested int
	var err error
	p.run(func() {
		tid = threadID()
		inside, err = tp.get()
		p.run(func() { nested, _ = tp.get() })
		afterNested, _ = tp.get()
	})
	if err != nil {
		t.Fatal(err)
	}
	if inside != p.target || nested != p.target || afterNested != p.target {
		t.Errorf("nice inside %d, nested %d, after the nested run %d; want %d", inside, nested, afterNested, p.target)
	}
	after, err := niceOf(tid)
	if err != nil {
		t.Fatal(err)
	}
	if want := p.target + DefaultSearchPriority; p.target > -20 && after != want {
		t.Errorf("thread %d at nice %d after run, want %d", tid, after, want)
	}
}

// scores lists the hits' scores in order.
func scores(res *SearchResult) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = strconv.FormatFloat(h.Score, 'g', 12, 64)
	}
	return out
}

// A raised search runs a few partitions in turn (searchParts) and more
// through bleve's alias: both give the same page, total and facets, for
// every sort, page and window (fourMonths: distinct times and engagement
// totals, so no ties decide a page but relevance's, compared by score).
func TestSearchPartsMatchesAlias(t *testing.T) {
	s := openFourMonths(t, t.TempDir())
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	s.prio = newSearchPriority(DefaultSearchPriority, &fakeThreads{})
	battery, err := query.Parse("battery")
	if err != nil {
		t.Fatal(err)
	}
	var reqs []SearchRequest
	for _, w := range [][2]time.Time{
		{day(2, 1, 0), day(4, 1, 0)}, // W06–W11 inside, W14 cut: 5 partitions
		{time.Time{}, time.Time{}},   // any time: 8
		{day(3, 20, 0), time.Time{}}, // 2
	} {
		for _, sort := range []string{SortNewest, SortEngagement, SortRelevance} {
			for _, page := range []int{1, 2, 3} {
				reqs = append(reqs, SearchRequest{Query: battery, From: w[0], To: w[1], Sort: sort, Page: page, Size: 2, Facets: AllFacets})
			}
			reqs = append(reqs, SearchRequest{From: w[0], To: w[1], Sort: sort, Size: 3, Facets: []string{FacetBrand, FacetDay}})
		}
	}
	for i, req := range reqs {
		s.seqParts = 100
		inTurn := find(t, s, req)
		s.seqParts = 0
		alias := find(t, s, req)
		key := ids // relevance: ties (equal scores) come in any order from the alias, so the scores in order
		if req.Sort == SortRelevance {
			key = scores
		}
		if got, want := strings.Join(key(inTurn), " "), strings.Join(key(alias), " "); got != want || inTurn.Total != alias.Total {
			t.Errorf("request %d (%s, page %d): in turn %q of %d, alias %q of %d", i, req.Sort, req.Page, got, inTurn.Total, want, alias.Total)
		}
		if !reflect.DeepEqual(inTurn.Facets, alias.Facets) {
			t.Errorf("request %d: facets in turn %v, alias %v", i, inTurn.Facets, alias.Facets)
		}
	}
}
