package store

import (
	"errors"
	"fmt"
	"runtime"
)

// Search priority. Go's scheduler has no priorities, and while the store
// ingests a few thousand mentions a second the indexer, bleve's analysis
// workers and merger and the ingest pipeline keep both cores of a small
// machine busy: a search that needs 5 ms of CPU queued behind them for
// 25–50 ms (docs/performance.md, "Searches ahead of indexing"). The kernel
// does have priorities, per thread. So the CPU work of an interactive
// search — Store.Search: each partition's search, the facet count, the
// hits read from bbolt — runs on a thread locked to its goroutine whose
// nice value is raised by SearchPriority steps for the duration, and set
// back before the thread is released to other goroutines. SearchEach
// (exports: long walks) runs at the process's priority.
//
// Lowering a nice value needs CAP_SYS_NICE or an RLIMIT_NICE that allows
// it (systemd LimitNICE=, docker --ulimit nice=; packaging/ sets it).
// Open tries once; without the right, searches run as before and
// Store.SearchPriority says why.

// DefaultSearchPriority is how many nice steps above the process's own a
// search's threads run: at nice 0, −10, which the kernel's scheduler
// weighs ~9× a nice-0 thread (sched_prio_to_weight: 9548 against 1024).
const DefaultSearchPriority = 10

// threadPriority reads and sets the calling OS thread's nice value
// (priority_linux.go); tests replace it.
type threadPriority interface {
	get() (int, error)
	set(nice int) error
}

// searchPriority runs search work at a raised thread priority.
type searchPriority struct {
	tp     threadPriority
	target int   // the nice value searches run at
	err    error // why searches run at the process's priority; nil: raised
}

// newSearchPriority tries to raise the calling thread's priority by steps
// (≤ 0: never) and to set it back; on success search work runs raised.
func newSearchPriority(steps int, tp threadPriority) *searchPriority {
	p := &searchPriority{tp: tp}
	if steps <= 0 {
		p.err = errors.New("search priority turned off")
		return p
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	base, err := tp.get()
	if err != nil {
		p.err = fmt.Errorf("read thread priority: %w", err)
		return p
	}
	p.target = max(base-steps, -20)
	if err := tp.set(p.target); err != nil {
		p.err = fmt.Errorf("raise thread priority to nice %d: %w", p.target, err)
		return p
	}
	if err := tp.set(base); err != nil {
		// The probing thread must not go back to the pool raised.
		runtime.LockOSThread() // never unlocked: the thread exits with this goroutine
		p.err = fmt.Errorf("restore thread priority: %w", err)
		return p
	}
	return p
}

// run calls f on a thread locked to the calling goroutine at p's raised
// priority, set back before the thread is unlocked; without the right, or
// when the thread is already at least as high (run inside run), it just
// calls f.
func (p *searchPriority) run(f func()) {
	if p == nil || p.err != nil {
		f()
		return
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	old, err := p.tp.get()
	if err != nil || old <= p.target {
		f()
		return
	}
	if err := p.tp.set(p.target); err != nil {
		f()
		return
	}
	defer func() {
		if err := p.tp.set(old); err != nil {
			// Keep the raised thread away from other goroutines: locked
			// once more, it exits with this goroutine.
			runtime.LockOSThread()
		}
	}()
	f()
}

// searchSteps resolves Options.SearchPriority.
func searchSteps(opt int) int {
	if opt == 0 {
		return DefaultSearchPriority
	}
	return opt
}

// direct calls f as it is: the runner of work that is not interactive.
func direct(f func()) { f() }

// SearchPriority reports the nice value searches run at, or why they run
// at the process's priority (err non-nil).
func (s *Store) SearchPriority() (nice int, err error) {
	if s.prio == nil {
		return 0, errors.New("store not open")
	}
	return s.prio.target, s.prio.err
}
