package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"syscall"
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
// mentions/s at 4 per CPU; earshot soak -n 200000 -sample 0; README
// "Load, soak and scale").
const procsPerCPU = 4

// gcPercent is Earshot's GOGC. Indexing allocates briskly and keeps
// little alive (~100 MiB at full speed), so at Go's default of 100 the
// collector ran several times a second and took an eighth of the CPU; at
// 200 it runs half as often for ~90 MiB more heap: at 1M mentions,
// sustained ingest 10.7k → 12.4–13.1k mentions/s, keyword p95 while
// ingesting 22 → 17–18 ms, VmRSS still under 0.8 GiB (earshot soak -n
// 1000000).
const gcPercent = 200

// tuneRuntime applies procsPerCPU and gcPercent unless the GOMAXPROCS or
// GOGC environment variables choose otherwise.
func tuneRuntime() {
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

// gcPercentNow is the GOGC setting in force.
func gcPercentNow() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
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
