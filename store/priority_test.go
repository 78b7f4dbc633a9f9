package store

import (
	"context"
	"errors"
	"sync"
	"syscall"
	"testing"
)

// fakeThreads keeps a nice value per goroutine-visible thread: get and set
// act on the calling thread's entry (keyed by threadID), so a test sees
// which threads were raised and whether each was set back.
type fakeThreads struct {
	mu     sync.Mutex
	nice   map[int]int
	raises int   // sets below the base
	failAt int   // the set call (1-based) that fails with EPERM; 0: none
	sets   int   // set calls so far
	err    error // returned by set at failAt
}

func (f *fakeThreads) get() (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nice[threadID()], nil
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

// A search over two week partitions with facets raises four threads, each
// once and each set back: the searching goroutine's (Search), the two the
// bleve alias starts for the partitions, and the facet count's. SearchEach
// (a walk, an export) raises none.
func TestSearchRunsRaised(t *testing.T) {
	s := openFourMonths(t, t.TempDir())
	commitT(t, s, fourMonths()...)
	syncT(t, s)
	ft := &fakeThreads{}
	s.prio = newSearchPriority(DefaultSearchPriority, ft)
	if _, err := s.SearchPriority(); err != nil {
		t.Fatal(err)
	}
	ft.raises = 0
	// 7 days over W14/W15: two partitions (TestWindowSearchesOnlyItsPartitions).
	week := SearchRequest{From: day(4, 3, 0), To: day(4, 10, 0)}
	res := find(t, s, week)
	if res.Total != 1 {
		t.Fatalf("total %d, want 1", res.Total)
	}
	if ft.raises != 4 {
		t.Errorf("search raised %d threads, want 4 (search, 2 partitions, facets)", ft.raises)
	}
	if r := ft.raised(); len(r) > 0 {
		t.Errorf("threads left raised after the search: %v", r)
	}
	ft.raises = 0
	n, err := s.SearchEach(context.Background(), week, 0, func(Mention) error { return nil })
	if err != nil || n != 1 {
		t.Fatalf("SearchEach: %d, %v", n, err)
	}
	if ft.raises != 0 {
		t.Errorf("SearchEach raised %d threads, want none", ft.raises)
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
