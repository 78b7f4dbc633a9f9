package daemon

import (
	"os"
	"runtime"
	"runtime/debug"
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

// gcPercent is Earshot's GOGC. Indexing allocates briskly and keeps
// little alive (~100 MiB at full speed), so at Go's default of 100 the
// collector ran several times a second and took an eighth of the CPU; at
// 200 it runs half as often for ~90 MiB more heap: at 1M mentions,
// sustained ingest 10.7k → 12.4–13.1k mentions/s, keyword p95 while
// ingesting 22 → 17–18 ms, VmRSS still under 0.8 GiB (earshot-bench soak -n
// 1000000).
const gcPercent = 200

// TuneRuntime applies procsPerCPU and gcPercent unless the GOMAXPROCS or
// GOGC environment variables choose otherwise.
func TuneRuntime() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(procsFor(runtime.GOMAXPROCS(0)))
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// procsFor is the number of Ps for cpus CPUs (Go's default GOMAXPROCS,
// which already follows cgroup CPU limits).
func procsFor(cpus int) int {
	return max(cpus, 1) * procsPerCPU
}
