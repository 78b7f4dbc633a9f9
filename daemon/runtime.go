package daemon

import (
	"context"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// procsPerCPU is how many Go schedulers (Ps) Earshot runs per CPU.
//
// Go's scheduler has no priorities: a goroutine that wakes up (a search
// request) queues behind every runnable goroutine on its P and each of
// those may run for 10 ms before it is preempted. While bleve indexes a
// backlog, a dozen goroutines are runnable (analysis workers, segment
// builders, the merger, the pipeline), and a search that needs 1 ms of CPU
// waited 80–100 ms for it (keyword p95 84 ms at 200k mentions on 2 CPUs).
// With more Ps than CPUs each runnable goroutine gets an OS thread and the
// kernel scheduler, which favours threads that mostly sleep, runs the
// search almost at once: p95 30 ms at 2 Ps per CPU, 12 ms at 4 and 8,
// for a tenth less ingest throughput in back-to-back runs (13.7k → 12.4k
// mentions/s at 4 per CPU; earshot-bench soak -n 200000 -sample 0;
// docs/performance.md).
const procsPerCPU = 4

// The collector. Indexing allocates briskly and keeps little alive, and
// each collection's marking competes with searches for the CPU (its
// assists slow the very goroutines that allocate): at Go's default GOGC
// 100 it took an eighth of the CPU at 1M mentions, at 200 half that, and
// at 10M while ingesting 4,000 mentions/s the 7- and 30-day keyword tails
// still missed 20 ms at 200. So Earshot lets the heap grow to gcPercent
// (800) past the live heap, bounded by a soft memory limit (GOMEMLIMIT) of
// memLimitFloor (or half a cgroup's memory limit when that is less),
// raised to twice the live heap when the live heap passes half of it: at
// 10M the limit decides and the collector runs a fourth as often as at
// 200, never back to back; a small installation's heap stays small
// (docs/performance.md, "Background rebuilds and the collector").

// gcPercent is Earshot's GOGC, under the memory limit.
const gcPercent = 800

// memLimitFloor is the soft memory limit while the live heap is at most
// half of it: 1 GiB, which with the store's maps (Options.MapRSSLimit,
// 768 MiB) keeps VmRSS within 2 GiB at 10M mentions.
const memLimitFloor = 1 << 30

// memLimitEvery is how often the limit follows the live heap.
const memLimitEvery = 5 * time.Second

// memLimitFor is the soft memory limit for a live heap of live bytes:
// floor, or twice the live heap once that is larger, so the collector
// always has at least the live heap's size to fill (as GOGC 100 would)
// before it runs again.
func memLimitFor(live uint64, floor int64) int64 {
	return max(floor, 2*int64(min(live, math.MaxInt64/2)))
}

// memFloor is memLimitFloor, or half the memory a cgroup allows the
// process (cgroupMax; 0: none) when that is less: in a 1 GiB container the
// heap must not grow to 1 GiB before the collector runs.
func memFloor(cgroupMax int64) int64 {
	if cgroupMax > 0 {
		return min(memLimitFloor, cgroupMax/2)
	}
	return memLimitFloor
}

// cgroupMemoryMax is the memory limit of the process's cgroup (v2
// memory.max, or v1 memory.limit_in_bytes), 0 when none or unknown.
func cgroupMemoryMax() int64 {
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 { // "max", or v1's "no limit"
			return 0
		}
		return n
	}
	return 0
}

// TuneRuntime applies procsPerCPU unless GOMAXPROCS is set, and gcPercent
// under the memory limit (memLimitFor the live heap, re-read every
// memLimitEvery for the life of the process) unless GOGC or GOMEMLIMIT is
// set: either takes the collector's settings over.
func TuneRuntime() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(procsFor(runtime.GOMAXPROCS(0)))
	}
	if gcByEnv(os.Getenv) {
		return
	}
	floor := memFloor(cgroupMemoryMax())
	setGC(liveHeap(), floor)
	go followLiveHeap(context.Background(), memLimitEvery, liveHeap, floor)
}

// gcByEnv reports whether the environment sets the collector.
func gcByEnv(getenv func(string) string) bool {
	return getenv("GOGC") != "" || getenv("GOMEMLIMIT") != ""
}

// setGC sets GOGC to gcPercent and the memory limit for a live heap of
// live bytes.
func setGC(live uint64, floor int64) {
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memLimitFor(live, floor))
}

// followLiveHeap sets the memory limit for live() every every until ctx
// ends (periodically, background.go).
func followLiveHeap(ctx context.Context, every time.Duration, live func() uint64, floor int64) {
	periodically(ctx, every, every, func() { debug.SetMemoryLimit(memLimitFor(live(), floor)) })
}

// liveHeap is the heap the last collection found alive.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// procsFor is the number of Ps for cpus CPUs (Go's default GOMAXPROCS,
// which already follows cgroup CPU limits).
func procsFor(cpus int) int {
	return max(cpus, 1) * procsPerCPU
}
