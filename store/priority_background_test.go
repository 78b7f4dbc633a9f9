package store

import (
	"syscall"
	"testing"
)

// lowerIn runs p.lowered in a goroutine of its own (as the report cache's
// rebuilds do) and returns the thread f ran on and its nice value inside,
// and inside a nested lowered call.
func lowerIn(p *searchPriority, tp threadPriority) (tid, inside, nested, calls int) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.lowered(func() {
			calls++
			tid = threadID()
			inside, _ = tp.get()
			p.lowered(func() { nested, _ = tp.get() })
		})
	}()
	<-done
	return tid, inside, nested, calls
}

// Background work runs BackgroundSteps below the process's nice value, a
// nested call changes nothing, and the thread is set back after; with
// the priority turned off it runs as it is; when setting the thread back
// is refused (no right to raise it), f still ran once and the thread is
// left lowered (locked to its goroutine, it exits with it).
func TestBackgroundRunsLowered(t *testing.T) {
	ft := &fakeThreads{}
	p := newSearchPriority(DefaultSearchPriority, ft)
	_, inside, nested, calls := lowerIn(p, ft)
	if calls != 1 || inside != BackgroundSteps || nested != BackgroundSteps {
		t.Errorf("ran %d times at nice %d, nested %d; want once at %d", calls, inside, nested, BackgroundSteps)
	}
	if r := ft.raised(); len(r) > 0 {
		t.Errorf("threads left at another nice value: %v", r)
	}

	off := &fakeThreads{}
	p = newSearchPriority(-1, off)
	if _, inside, _, calls := lowerIn(p, off); calls != 1 || inside != 0 || off.sets != 0 {
		t.Errorf("turned off: ran %d times at nice %d with %d set calls, want once at 0 with none", calls, inside, off.sets)
	}

	// The probe's two sets succeed, the lowering (3rd) too, setting back (4th) is refused.
	refused := &fakeThreads{failAt: 4, err: syscall.EPERM}
	p = newSearchPriority(DefaultSearchPriority, refused)
	tid, inside, _, calls := lowerIn(p, refused)
	if calls != 1 || inside != BackgroundSteps {
		t.Errorf("ran %d times at nice %d, want once at %d", calls, inside, BackgroundSteps)
	}
	if got := refused.raised()[tid]; got != BackgroundSteps {
		t.Errorf("the refused thread is at nice %d, want left at %d", got, BackgroundSteps)
	}
}
