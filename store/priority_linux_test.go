package store

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// threadID is the calling thread's ID.
func threadID() int { return unix.Gettid() }

// niceOf reads another thread's nice value.
func niceOf(tid int) (int, error) {
	raw, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
	return 20 - raw, err
}

// mayLowerNice reports whether this process may lower a thread's nice
// value by steps from 0: CAP_SYS_NICE (bit 23) in its effective
// capabilities, or an RLIMIT_NICE of at least 20 + steps.
func mayLowerNice(steps int) bool {
	var rl unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NICE, &rl) == nil && rl.Cur >= uint64(20+steps) {
		return true
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(status), "\n") {
		if hex, ok := strings.CutPrefix(line, "CapEff:"); ok {
			caps, err := strconv.ParseUint(strings.TrimSpace(hex), 16, 64)
			return err == nil && caps&(1<<23) != 0
		}
	}
	return false
}

// The real system calls: lowering needs no right, so inside the thread is
// BackgroundSteps below (at most 19); where raising is allowed it is set
// back after.
func TestBackgroundOnThisSystem(t *testing.T) {
	var tp osThreadPriority
	p := newSearchPriority(DefaultSearchPriority, tp)
	if p.lowErr != nil {
		t.Fatalf("no lowered priority: %v", p.lowErr)
	}
	base := p.low - BackgroundSteps
	if p.low == 19 {
		base, _ = tp.get()
	}
	tid, inside, _, calls := lowerIn(p, tp)
	if calls != 1 || inside != p.low {
		t.Fatalf("ran %d times at nice %d, want once at %d", calls, inside, p.low)
	}
	if p.err != nil {
		return // no right to raise it back: the thread exited with its goroutine
	}
	if after, err := niceOf(tid); err != nil || after != base {
		t.Errorf("thread %d at nice %d (%v) after, want %d", tid, after, err, base)
	}
}
