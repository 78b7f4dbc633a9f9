package bench

import (
	"fmt"
	"runtime/metrics"
	"syscall"
	"time"
)

// gcPercentNow is the GOGC setting in force.
func gcPercentNow() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// memLimitText is the soft memory limit in force (GOMEMLIMIT).
func memLimitText() string {
	s := []metrics.Sample{{Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	if v := s[0].Value.Uint64(); v < 1<<62 {
		return mib(int64(v))
	}
	return "none"
}

// procUsage is the process's counters at one moment; the soak prints their
// difference over a phase, to tell garbage and CPU per document apart.
type procUsage struct {
	cycles, allocBytes uint64
	cpu                time.Duration // user + system, all threads
}

func readUsage() procUsage {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return procUsage{cycles: s[0].Value.Uint64(), allocBytes: s[1].Value.Uint64(), cpu: cpu}
}

// since is the difference o − b of two snapshots.
func (o procUsage) since(b procUsage) procUsage {
	return procUsage{cycles: o.cycles - b.cycles, allocBytes: o.allocBytes - b.allocBytes, cpu: o.cpu - b.cpu}
}

// describe says what a phase that handled n documents cost per document.
func (o procUsage) describe(n int64) string {
	n = max(n, 1)
	return fmt.Sprintf("CPU %.0f µs, allocated %.1f KiB per document; %d GC cycles",
		float64(o.cpu.Microseconds())/float64(n), float64(o.allocBytes)/1024/float64(n), o.cycles)
}
