package store

import (
	"os"
	"strconv"
	"strings"

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
