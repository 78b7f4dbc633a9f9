package ingest

import (
	"context"
	"errors"
	"github.com/earshot/earshot/listener"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// harness runs a scheduler on a fake clock, cancelling after limit sleeps.
type harness struct {
	clock *fakeClock
	sink  *fakeSink
	sl    *sleeper
	ctx   context.Context
	s     *Scheduler
}

func newHarness(t *testing.T, limit int, jobs []Job, opts Options) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h := &harness{clock: newClock(), sink: newSink(), ctx: ctx}
	h.sl = &sleeper{clock: h.clock, limit: limit, cancel: cancel}
	opts.Clock, opts.Sleep, opts.Sink = h.clock.Now, h.sl.Sleep, h.sink
	if opts.Matcher == nil {
		opts.Matcher = wordMatcher{}
	}
	if opts.Jitter == 0 {
		opts.Jitter = -1 // exact waits unless a test asks for jitter
	}
	opts.Logger = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	for i := range jobs {
		if fs, ok := jobs[i].Source.(*fakeSource); ok {
			fs.clock = h.clock
		}
	}
	h.s = NewScheduler(jobs, opts)
	return h
}

func (h *harness) run(t *testing.T) {
	t.Helper()
	if err := h.s.Run(h.ctx); err != nil {
		t.Fatal(err)
	}
}

func okSource(name string) *fakeSource {
	return &fakeSource{name: name, network: "hackernews", fn: func(_ context.Context, c []byte) ([]listener.Post, []byte, error) {
		return hnPosts(), append(c, '+'), nil
	}}
}

func TestScheduleImmediateThenInterval(t *testing.T) {
	src := okSource("hn")
	h := newHarness(t, 3, []Job{{Source: src, Every: 10 * time.Minute}}, Options{})
	h.run(t)
	want := []time.Time{t0, t0.Add(10 * time.Minute), t0.Add(20 * time.Minute)}
	if got := src.Times(); !reflect.DeepEqual(got, want) {
		t.Errorf("fetch times = %v, want %v", got, want)
	}
	if got := h.sl.Waits(); !reflect.DeepEqual(got, []time.Duration{10 * time.Minute, 10 * time.Minute, 10 * time.Minute}) {
		t.Errorf("waits = %v", got)
	}
	hs := h.s.Health()[0]
	if !hs.NextRun.Equal(t0.Add(30*time.Minute)) || !hs.Healthy || hs.PostsFetched != 9 || hs.MentionsStored != 2 || hs.Duplicates != 4 {
		t.Errorf("health = %+v", hs)
	}
}

func TestCommitFailureThenRetryNoLoss(t *testing.T) {
	src := &fakeSource{name: "hn", network: "hackernews", fn: func(_ context.Context, c []byte) ([]listener.Post, []byte, error) {
		if len(c) == 0 {
			return hnPosts(), []byte("c1"), nil
		}
		return nil, c, nil
	}}
	h := newHarness(t, 3, []Job{{Source: src, Every: time.Minute}}, Options{MinBackoff: 30 * time.Second})
	h.sink.failNext = 1
	h.run(t)
	if got := src.Cursors(); !reflect.DeepEqual(got, []string{"", "", "c1"}) {
		t.Errorf("cursors = %q", got)
	}
	cs := h.sink.Commits()
	if len(cs) != 3 || len(cs[0].ms) != 2 || len(cs[1].ms) != 2 || cs[1].cursor != "c1" {
		t.Fatalf("commits = %+v", cs)
	}
	hs := h.s.Health()[0]
	if !hs.Healthy || hs.MentionsStored != 2 || hs.LastError != "commit: bolt: disk full" {
		t.Errorf("health = %+v", hs)
	}
}

func TestPanickingSourceKeepsDaemonAlive(t *testing.T) {
	var badCalls, goodCalls atomic.Int32
	bad := &fakeSource{name: "bad", network: "rss", fn: func(context.Context, []byte) ([]listener.Post, []byte, error) {
		badCalls.Add(1)
		panic("parser exploded")
	}}
	good := &fakeSource{name: "good", network: "hackernews", fn: func(context.Context, []byte) ([]listener.Post, []byte, error) {
		goodCalls.Add(1)
		return hnPosts(), []byte("c"), nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Both loops spin on an instant Sleep until each source's third fetch
	// is on record: the panics must not stop either loop.
	var s *Scheduler
	sleep := func(ctx context.Context, _ time.Duration) error {
		if hs := s.Health(); hs[0].ConsecutiveFailures >= 3 && hs[1].PostsFetched >= 9 {
			cancel()
		}
		runtime.Gosched()
		return ctx.Err()
	}
	s = NewScheduler([]Job{{Source: bad, Every: time.Minute}, {Source: good, Every: time.Minute}},
		Options{Matcher: wordMatcher{}, Sink: newSink(), Sleep: sleep, Logger: zerolog.Nop()})
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	hs := s.Health()
	if hs[0].Healthy || hs[0].LastError != "panic: parser exploded" || hs[0].ConsecutiveFailures < 3 {
		t.Errorf("bad health = %+v", hs[0])
	}
	if badCalls.Load() < 3 || goodCalls.Load() < 3 || !hs[1].Healthy || hs[1].PostsFetched < 9 {
		t.Errorf("good health = %+v", hs[1])
	}
}

func TestCancelStopsInFlightFetch(t *testing.T) {
	before := runtime.NumGoroutine()
	started := make(chan struct{})
	sawDone := make(chan error, 1)
	blocking := &fakeSource{name: "slow", network: "rss", fn: func(ctx context.Context, _ []byte) ([]listener.Post, []byte, error) {
		close(started)
		<-ctx.Done()
		sawDone <- ctx.Err()
		return nil, nil, ctx.Err()
	}}
	idle := okSource("idle")
	s := NewScheduler([]Job{{Source: blocking, Every: time.Hour, Timeout: time.Hour}, {Source: idle, Every: time.Hour}},
		Options{Matcher: wordMatcher{}, Sink: newSink(), Logger: zerolog.Nop()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-started
	if err := s.Run(ctx); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("second Run: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-sawDone; !errors.Is(err, context.Canceled) {
		t.Errorf("fetch saw %v", err)
	}
	if h := s.Health()[1]; !h.Healthy || h.ConsecutiveFailures != 0 || h.LastError != "" {
		t.Errorf("shutdown recorded as a failure: %+v", h)
	}
	waitGoroutines(t, before)
}

func TestCancelLetsStartedCommitFinish(t *testing.T) {
	before := runtime.NumGoroutine()
	sink := newSink()
	inCommit, release := make(chan struct{}), make(chan struct{})
	var finished atomic.Bool
	sink.onCommit = func() {
		close(inCommit)
		<-release
		finished.Store(true)
	}
	s := NewScheduler([]Job{{Source: okSource("hn"), Every: time.Hour}},
		Options{Matcher: wordMatcher{}, Sink: sink, Logger: zerolog.Nop()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-inCommit
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned while a commit was in progress")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	<-done
	if !finished.Load() || len(sink.Commits()) != 1 || string(sink.cursors["hn"]) != "+" {
		t.Errorf("commit did not complete: %+v", sink.Commits())
	}
	waitGoroutines(t, before)
}

func TestRunWithCancelledContext(t *testing.T) {
	src := okSource("hn")
	s := NewScheduler([]Job{{Source: src}}, Options{Matcher: wordMatcher{}, Sink: newSink(), Logger: zerolog.Nop()})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Run(ctx); err != nil || len(src.Cursors()) != 0 {
		t.Fatalf("err %v, fetches %d", err, len(src.Cursors()))
	}
	if s.running.Load() {
		t.Fatal("running flag not reset")
	}
}

func TestNewSchedulerSkipsBadJobs(t *testing.T) {
	s := NewScheduler([]Job{
		{Source: nil},
		{Source: &fakeSource{name: "", network: "rss"}},
		{Source: okSource("hn"), Every: time.Nanosecond},
		{Source: okSource("hn")},
	}, Options{Matcher: wordMatcher{}, Sink: newSink(), Logger: zerolog.Nop()})
	if len(s.jobs) != 1 || s.jobs[0].Every != MinEvery || s.jobs[0].Timeout != DefaultTimeout {
		t.Fatalf("jobs = %+v", s.jobs)
	}
}

// waitGoroutines fails when the goroutine count does not come back to n;
// exiting goroutines need a moment to be reaped, so it polls.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	var got int
	for range 200 {
		if got = runtime.NumGoroutine(); got <= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Errorf("goroutines: %d, want <= %d\n%s", got, n, buf[:runtime.Stack(buf, true)])
}
