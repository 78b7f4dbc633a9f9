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

// BackgroundSteps is how many nice steps below the process's own
// background work runs (Store.Background: a report rebuilt while its stale
// copy is served): at nice 0, 10, weighed ~1/9 of a nice-0 thread (110
// against 1024), so it takes the CPU ingest and searches leave.
const BackgroundSteps = 10

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
	low    int   // the nice value background work runs at (lowered)
	lowErr error // why background work runs at the process's priority
}

// newSearchPriority tries to raise the calling thread's priority by steps
// (≤ 0: never) and to set it back; on success search work runs raised.
func newSearchPriority(steps int, tp threadPriority) *searchPriority {
	p := &searchPriority{tp: tp}
	if steps <= 0 {
		p.err = errors.New("search priority turned off")
		p.lowErr = p.err
		return p
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	base, err := tp.get()
	if err != nil {
		p.err = fmt.Errorf("read thread priority: %w", err)
		p.lowErr = p.err
		return p
	}
	p.low = min(base+BackgroundSteps, 19)
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
	if p == nil {
		f()
		return
	}
	p.at(p.target, -1, p.err, f)
}

// lowered calls f on a thread locked to the calling goroutine at p's
// lowered priority (BackgroundSteps below the process's). Lowering needs
// no right; setting the thread back does, so without it the thread stays
// locked and exits with the calling goroutine: call it from a goroutine
// that ends soon after. A thread already as low, or the priority turned
// off (Options.SearchPriority < 0), just calls f.
func (p *searchPriority) lowered(f func()) {
	if p == nil {
		f()
		return
	}
	p.at(p.low, +1, p.lowErr, f)
}

// at calls f on a thread locked to the calling goroutine at nice value
// target, set back before the thread is unlocked. A thread already at
// target or beyond it in direction toward (−1 raised, +1 lowered), or
// off != nil, just calls f. A thread that cannot be set back stays locked
// to the goroutine, and exits with it, instead of serving other
// goroutines at the wrong priority.
func (p *searchPriority) at(target, toward int, off error, f func()) {
	if off != nil {
		f()
		return
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	old, err := p.tp.get()
	if err != nil || (old-target)*toward >= 0 {
		f()
		return
	}
	if err := p.tp.set(target); err != nil {
		f()
		return
	}
	defer func() {
		if err := p.tp.set(old); err != nil {
			runtime.LockOSThread() // locked once more: never unlocked
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

// Background calls f at a lowered thread priority, BackgroundSteps below
// the process's own: work no one waits for, such as a report rebuilt
// while its stale copy is served, takes the CPU that ingest and searches
// leave. Call it from a goroutine that ends soon after f: without the
// right to raise a thread back (see SearchPriority), the lowered thread
// stays locked to that goroutine and exits with it.
func (s *Store) Background(f func()) { s.prio.lowered(f) }
