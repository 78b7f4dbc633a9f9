package daemon

import (
	"context"
	"runtime/debug"
	"testing"
	"time"
)

func TestProcsFor(t *testing.T) {
	for _, c := range []struct{ cpus, want int }{{0, 4}, {1, 4}, {2, 8}, {16, 64}} {
		if got := procsFor(c.cpus); got != c.want {
			t.Errorf("procsFor(%d) = %d, want %d", c.cpus, got, c.want)
		}
	}
}

// The limit is 1 GiB until the live heap passes 512 MiB, then twice it.
func TestMemLimitFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live uint64
		want int64
	}{{0, 1024 * mib}, {300 * mib, 1024 * mib}, {512 * mib, 1024 * mib}, {600 * mib, 1200 * mib}, {3 << 30, 6 << 30}, {1 << 63, 1<<63 - 2}} {
		if got := memLimitFor(c.live, memLimitFloor); got != c.want {
			t.Errorf("memLimitFor(%d MiB) = %d MiB, want %d MiB", c.live/mib, got/mib, c.want/mib)
		}
	}
}

// In a cgroup allowing less than 2 GiB the floor is half of it.
func TestMemFloor(t *testing.T) {
	for _, c := range []struct{ cgroup, want int64 }{{0, 1 << 30}, {512 << 20, 256 << 20}, {2 << 30, 1 << 30}, {8 << 30, 1 << 30}} {
		if got := memFloor(c.cgroup); got != c.want {
			t.Errorf("memFloor(%d MiB) = %d MiB, want %d MiB", c.cgroup>>20, got>>20, c.want>>20)
		}
	}
}

func TestGCByEnv(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want bool
	}{{nil, false}, {map[string]string{"GOGC": "100"}, true}, {map[string]string{"GOMEMLIMIT": "2GiB"}, true}, {map[string]string{"GOMAXPROCS": "2"}, false}} {
		if got := gcByEnv(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("gcByEnv(%v) = %v, want %v", c.env, got, c.want)
		}
	}
}

// setGC sets GOGC and the limit; followLiveHeap moves the limit
// with the live heap it reads, until its context ends.
func TestFollowLiveHeap(t *testing.T) {
	oldGC, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer func() { debug.SetGCPercent(oldGC); debug.SetMemoryLimit(oldLimit) }()
	setGC(100<<20, memLimitFloor)
	if gc := debug.SetGCPercent(-1); gc != 800 {
		t.Errorf("GOGC %d after setGC, want 800", gc)
	}
	if l := debug.SetMemoryLimit(-1); l != memLimitFloor {
		t.Errorf("limit %d after setGC, want %d", l, memLimitFloor)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		followLiveHeap(ctx, time.Millisecond, func() uint64 { return 700 << 20 }, memLimitFloor)
	}()
	for deadline := time.Now().Add(10 * time.Second); debug.SetMemoryLimit(-1) != 1400<<20; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) { // a guard against hanging, not a timing
			t.Fatalf("limit %d, want 1400 MiB for a 700 MiB live heap", debug.SetMemoryLimit(-1))
		}
	}
	cancel()
	<-done
}
