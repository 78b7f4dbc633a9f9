package report

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
)

// A background rebuild runs through CacheOptions.Background: the build
// itself, the two goroutines it starts (phrase sample, word counts) and
// one tagging worker, not GOMAXPROCS of them. A build a request waits for
// runs as it is. Both give the same figures.
func TestCacheBackgroundRebuildRunsThrough(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4)) // a request's build would start 4 tagging workers
	st := fixtureStore(t, fixtureMentions())
	cfg := fixtureCfg(t, "")
	ch, clk := &fakeChanges{}, &fakeClock{t: fixNow}
	var calls atomic.Int64
	c := NewCache(tagAlways{st}, ch, CacheOptions{Config: func() *config.Config { return cfg }, Clock: clk.Now,
		Background: func(f func()) { calls.Add(1); f() }})
	t.Cleanup(c.Wait)
	req := Request{Period: "week", Now: fixNow}
	get := func() *Report {
		t.Helper()
		rep, err := c.Report(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	first := get()
	if n := calls.Load(); n != 0 {
		t.Fatalf("a request's build ran %d times through Background, want 0", n)
	}
	if n := sampledPosts(first); n < 2 {
		t.Fatalf("the fixture's report tags %d posts: the test needs at least 2 to tell one worker from several", n)
	}
	ch.seq.Add(1)
	clk.add(40 * time.Second)
	wantStale(t, get(), 40)
	c.Wait()
	if n := calls.Load(); n != 4 {
		t.Errorf("the background rebuild ran %d things through Background, want 4 (the build, phrase sample, word counts, one tagging worker)", n)
	}
	again := get()
	wantExact(t, again)
	sameFigures(t, again, first)
	if s := c.Stats(); s.Background != 1 {
		t.Errorf("stats %+v, want one background build", s)
	}
}

// sampledPosts is how many posts a report's phrase sample holds (window
// and baseline, every brand), from its sample notes.
func sampledPosts(r *Report) int {
	n := 0
	for _, b := range r.Emerging.Brands {
		var win, winLen, base, baseLen int
		if _, err := fmt.Sscanf(b.PhraseSample, "%d of %d window mentions, %d of %d baseline mentions", &win, &winLen, &base, &baseLen); err == nil {
			n += win + base
		}
	}
	return n
}
