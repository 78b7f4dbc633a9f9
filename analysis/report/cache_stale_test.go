package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// The stale-while-revalidate policy (docs/report.md, "Cached reports"),
// with a fake clock and fake Changes (any change invalidates every entry)
// over the fixture store, whose builds a gate can hold.

type fakeChanges struct{ seq atomic.Uint64 }

func (f *fakeChanges) ModSeq() uint64 { return f.seq.Load() }
func (f *fakeChanges) ChangedSince(_, _ time.Time, _ string, since uint64) bool {
	return since < f.seq.Load()
}

// gatedSource is the fixture store whose Cells waits while a gate is set
// and fails while fail is set: a build is held or fails.
type gatedSource struct {
	*store.Store
	mu      sync.Mutex
	gate    chan struct{}
	fail    error
	calls   atomic.Int64 // Cells calls that failed
	onCells func()       // called on each Cells (a build's clock moving)
}

func (g *gatedSource) hold() {
	g.mu.Lock()
	g.gate = make(chan struct{})
	g.mu.Unlock()
}

func (g *gatedSource) release() {
	g.mu.Lock()
	close(g.gate)
	g.gate = nil
	g.mu.Unlock()
}

func (g *gatedSource) Cells(ctx context.Context, from, to time.Time, fn func(*store.Cell) error) error {
	g.mu.Lock()
	gate, fail, on := g.gate, g.fail, g.onCells
	g.mu.Unlock()
	if on != nil {
		on()
	}
	if gate != nil {
		<-gate
	}
	if fail != nil {
		g.calls.Add(1)
		return fail
	}
	return g.Store.Cells(ctx, from, to, fn)
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type staleRig struct {
	src *gatedSource
	ch  *fakeChanges
	clk *fakeClock
	c   *Cache
	req Request
	log *bytes.Buffer
}

func newStaleRig(t *testing.T) *staleRig {
	st := fixtureStore(t, fixtureMentions())
	cfg := fixtureCfg(t, "")
	r := &staleRig{src: &gatedSource{Store: st}, ch: &fakeChanges{}, clk: &fakeClock{t: fixNow}, log: &bytes.Buffer{},
		req: Request{Period: "week", Now: fixNow}}
	r.c = NewCache(r.src, r.ch, CacheOptions{Config: func() *config.Config { return cfg }, Clock: r.clk.Now,
		Logger: zerolog.New(r.log)})
	t.Cleanup(func() { // a failed test may leave a build held
		r.src.mu.Lock()
		if r.src.gate != nil {
			close(r.src.gate)
			r.src.gate = nil
		}
		r.src.mu.Unlock()
		r.c.Wait()
	})
	return r
}

func (r *staleRig) get(t *testing.T, exact bool) *Report {
	t.Helper()
	req := r.req
	req.Exact = exact
	rep, err := r.c.Report(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// wantStats compares the counts that matter here.
func (r *staleRig) wantStats(t *testing.T, want CacheStats) {
	t.Helper()
	got := r.c.Stats()
	got.Stale, want.Stale = 0, 0 // found invalid: follows from the rest
	if got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
}

// waitJoined waits until n requests joined a build under way (the gate
// holds it, so they can only be waiting).
func (r *staleRig) waitJoined(t *testing.T, n int64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); r.c.Stats().Joined < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) { // a guard against hanging, not a timing
			t.Fatalf("%d requests joined the build under way, want %d", r.c.Stats().Joined, n)
		}
	}
}

func wantStale(t *testing.T, rep *Report, age int64) {
	t.Helper()
	if !rep.Meta.Stale || rep.Meta.StaleAge == nil || *rep.Meta.StaleAge != age {
		t.Errorf("stale %v age %v, want stale, %d s old", rep.Meta.Stale, rep.Meta.StaleAge, age)
	}
}

func wantExact(t *testing.T, rep *Report) {
	t.Helper()
	if rep.Meta.Stale || rep.Meta.StaleAge != nil {
		t.Errorf("an exact report marked stale (%v, %v)", rep.Meta.Stale, rep.Meta.StaleAge)
	}
}

// sameFigures compares two reports but for the stale marks.
func sameFigures(t *testing.T, a, b *Report) {
	t.Helper()
	x, y := *a, *b
	x.Meta.Stale, x.Meta.StaleAge, y.Meta.Stale, y.Meta.StaleAge = false, nil, false, nil
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	if !bytes.Equal(ja, jb) {
		t.Errorf("reports differ:\n %.300s\n %.300s", diffAt(ja, jb), diffAt(jb, ja))
	}
}

// Within MaxStale a changed report is served at once, marked stale, and
// one background rebuild starts however many stale requests come; the
// request after it is exact and unmarked.
func TestCacheServesStaleWhileRebuilding(t *testing.T) {
	r := newStaleRig(t)
	first := r.get(t, false)
	wantExact(t, first)
	r.wantStats(t, CacheStats{Builds: 1})

	r.ch.seq.Add(1)
	r.clk.add(40 * time.Second)
	r.src.hold()
	stale := r.get(t, false)
	wantStale(t, stale, 40)
	sameFigures(t, stale, first)
	if stale.Meta.Watermark != first.Meta.Watermark {
		t.Errorf("stale watermark %d, want the build's %d", stale.Meta.Watermark, first.Meta.Watermark)
	}
	r.clk.add(15 * time.Second)
	wantStale(t, r.get(t, false), 55)
	r.wantStats(t, CacheStats{Builds: 1, ServedStale: 2})
	r.c.mu.Lock()
	flights := len(r.c.flights)
	r.c.mu.Unlock()
	if flights != 1 {
		t.Errorf("%d builds under way, want the one background rebuild", flights)
	}
	r.src.release()
	r.c.Wait()
	r.wantStats(t, CacheStats{Builds: 2, Background: 1, ServedStale: 2})

	again := r.get(t, false)
	wantExact(t, again)
	sameFigures(t, again, first) // the fake change changed no data
	r.wantStats(t, CacheStats{Hits: 1, Builds: 2, Background: 1, ServedStale: 2})
}

// Beyond MaxStale, or with no entry, the request builds itself.
func TestCacheTooStaleBuilds(t *testing.T) {
	r := newStaleRig(t)
	r.get(t, false)
	r.ch.seq.Add(1)
	r.clk.add(MaxStale) // exactly MaxStale: still served
	wantStale(t, r.get(t, false), 60)
	r.c.Wait()
	r.wantStats(t, CacheStats{Builds: 2, Background: 1, ServedStale: 1})
	r.ch.seq.Add(1)
	r.clk.add(MaxStale + time.Second) // the rebuild started 61 s ago
	wantExact(t, r.get(t, false))
	r.wantStats(t, CacheStats{Builds: 3, Background: 1, ServedStale: 1})
}

// An exact request never gets a stale report: it waits for a rebuild
// that started after the last change, and builds itself when the rebuild
// under way started before it.
func TestCacheExactNeverStale(t *testing.T) {
	r := newStaleRig(t)
	r.get(t, false)
	r.ch.seq.Add(1)
	r.clk.add(10 * time.Second)
	r.src.hold()
	wantStale(t, r.get(t, false), 10) // the rebuild starts, held
	got := make(chan *Report, 2)
	go func() { got <- r.get(t, true) }()
	r.waitJoined(t, 1)
	r.src.release()
	wantExact(t, <-got)
	r.c.Wait()
	r.wantStats(t, CacheStats{Builds: 2, Background: 1, ServedStale: 1, Joined: 1})

	// a change after the rebuild started: the exact request builds
	r.ch.seq.Add(1)
	r.src.hold()
	wantStale(t, r.get(t, false), 0)
	r.ch.seq.Add(1)
	go func() { got <- r.get(t, true) }()
	for {
		r.c.mu.Lock()
		f := r.c.flights[r.c.entries[0].key]
		r.c.mu.Unlock()
		if f != nil && f.modSeq == 3 || r.c.Stats().Joined > 1 {
			break // the exact request's own build (or, wrongly, it joined)
		}
		time.Sleep(time.Millisecond)
	}
	r.src.release()
	wantExact(t, <-got)
	r.c.Wait()
	r.wantStats(t, CacheStats{Builds: 4, Background: 2, ServedStale: 2, Joined: 1})
	wantExact(t, r.get(t, false)) // the newest build is kept, not the older that may end later
}

// Concurrent requests for a report not cached wait for one build.
func TestCacheOneBuildForConcurrentMisses(t *testing.T) {
	r := newStaleRig(t)
	const n = 8
	r.src.hold()
	var wg sync.WaitGroup
	reps := make([]*Report, n)
	for i := range n {
		wg.Go(func() { reps[i] = r.get(t, i%2 == 0) })
	}
	r.waitJoined(t, n-1)
	r.src.release()
	wg.Wait()
	for _, rep := range reps {
		wantExact(t, rep)
		sameFigures(t, rep, reps[0])
	}
	r.wantStats(t, CacheStats{Builds: 1, Joined: n - 1})
}

// A failed background rebuild is logged and not retried in the
// background: the stale report is served until MaxStale, then a request
// builds (and gets the error, or the report).
func TestCacheFailedRebuild(t *testing.T) {
	r := newStaleRig(t)
	r.get(t, false)
	r.ch.seq.Add(1)
	r.clk.add(10 * time.Second)
	r.src.mu.Lock()
	r.src.fail = errors.New("disk on fire")
	r.src.mu.Unlock()
	wantStale(t, r.get(t, false), 10)
	r.c.Wait()
	if !bytes.Contains(r.log.Bytes(), []byte("background rebuild failed")) || !bytes.Contains(r.log.Bytes(), []byte("disk on fire")) {
		t.Errorf("log %q: the failure is not logged", r.log)
	}
	calls := r.src.calls.Load()
	r.clk.add(20 * time.Second)
	wantStale(t, r.get(t, false), 30)
	r.c.Wait()
	if r.src.calls.Load() != calls {
		t.Error("a second background rebuild ran after one failed")
	}
	r.clk.add(MaxStale)
	if _, err := r.c.Report(context.Background(), r.req); err == nil {
		t.Error("the request after MaxStale did not build (no error)")
	}
	r.src.mu.Lock()
	r.src.fail = nil
	r.src.mu.Unlock()
	wantExact(t, r.get(t, false))
	r.wantStats(t, CacheStats{Builds: 2, ServedStale: 2})
}

// On a real store: a late mention in the week is served stale at once,
// then the background rebuild makes the next request exact — the same
// bytes as a fresh build.
func TestCacheStaleRealStore(t *testing.T) {
	st := fixtureStore(t, fixtureMentions())
	cfg := fixtureCfg(t, "")
	clk := &fakeClock{t: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	c := NewCache(st, st, CacheOptions{Config: func() *config.Config { return cfg }, Clock: clk.Now})
	t.Cleanup(c.Wait)
	req := Request{Period: "week", Now: clk.Now()}
	before, err := c.Report(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	commitT(t, st, late(time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC), "negative"))
	clk.add(5 * time.Second)
	stale, err := c.Report(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	wantStale(t, stale, 5)
	sameFigures(t, stale, before)
	c.Wait()
	after := serve(t, c, st, req, false) // exact, a hit: the rebuild is kept
	wantExact(t, after)
	if s := c.Stats(); s.Builds != 2 || s.Background != 1 || s.ServedStale != 1 {
		t.Errorf("stats %+v", s)
	}
	a, _ := json.Marshal(before.Voice)
	b, _ := json.Marshal(after.Voice)
	if bytes.Equal(a, b) {
		t.Error("the late mention changed nothing: the test tests nothing")
	}
}

// docs/report.md states MaxStale and the rebuild spacing, the one place
// the rule is written.
func TestMaxStaleDoc(t *testing.T) {
	raw, err := os.ReadFile(reportDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(raw)), " ")
	if want := fmt.Sprintf("`report.MaxStale`, %d s;", int(MaxStale.Seconds())); !strings.Contains(doc, want) {
		t.Errorf("%s does not say %q", reportDoc, want)
	}
	for _, want := range []string{fmt.Sprintf("started at most %d s ago", int(MaxStale.Seconds())),
		fmt.Sprintf("at least %d build durations ago (at most %d s)", rebuildTimes, int(MaxStale.Seconds()/2))} {
		if !strings.Contains(doc, want) {
			t.Errorf("%s does not say %q", reportDoc, want)
		}
	}
}

// A background rebuild waits until the stale report's build started
// rebuildTimes of its durations ago: a build that took 2 s is rebuilt
// from 20 s on; before, the stale report is served without a rebuild.
func TestCacheRebuildSpacing(t *testing.T) {
	r := newStaleRig(t)
	var once sync.Once
	r.src.mu.Lock()
	r.src.onCells = func() { once.Do(func() { r.clk.add(2 * time.Second) }) } // the first build takes 2 s
	r.src.mu.Unlock()
	r.get(t, false)
	r.ch.seq.Add(1)
	r.clk.add(17 * time.Second) // 19 s after the build started
	wantStale(t, r.get(t, false), 19)
	r.c.Wait()
	r.wantStats(t, CacheStats{Builds: 1, ServedStale: 1})
	r.clk.add(time.Second) // 20 s
	wantStale(t, r.get(t, false), 20)
	r.c.Wait()
	r.wantStats(t, CacheStats{Builds: 2, Background: 1, ServedStale: 2})
	wantExact(t, r.get(t, false))
}
