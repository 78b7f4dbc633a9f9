package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/store/fstest"
)

// countingSource returns two new matching posts per fetch and counts the
// fetches that reached it.
type countingSource struct {
	name    string
	mu      sync.Mutex
	fetches int
}

func (s *countingSource) Name() string    { return s.name }
func (s *countingSource) Network() string { return "hackernews" }
func (s *countingSource) Fetch(context.Context, []byte) ([]listener.Post, []byte, error) {
	s.mu.Lock()
	s.fetches++
	n := s.fetches
	s.mu.Unlock()
	var ps []listener.Post
	for i := range 2 {
		id := fmt.Sprintf("%s-%d-%d", s.name, n, i)
		ps = append(ps, listener.Post{Network: "hackernews", NativeID: id, URL: "https://news.ycombinator.com/item?id=" + id,
			Title: "acme rocket skates " + id, Text: "acme rocket skates review " + id, Lang: "en",
			Published: time.Date(2026, 12, 1, 10, n, i, 0, time.UTC)})
	}
	return ps, []byte(fmt.Sprint(n)), nil
}

func (s *countingSource) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches
}

// watchedGate is the real store as resumeOnTicks sees it; asked is closed
// when the loop first waits for the resume.
type watchedGate struct {
	*store.Store
	once  sync.Once
	asked chan struct{}
}

func (g *watchedGate) Resumed() <-chan struct{} {
	c := g.Store.Resumed()
	g.once.Do(func() { close(g.asked) })
	return c
}

// TestDaemonPausesSourcesWhileDiskFull fills a real tmpfs under the store:
// the fetch whose commit meets the full disk pauses writes; after that no
// source is fetched (the gate refuses before the network is asked) and
// every source's health and the status lines say why; when space returns
// and writes resume, every source is fetched at once and stores again.
func TestDaemonPausesSourcesWhileDiskFull(t *testing.T) {
	fsDir := fstest.MountSmall(t, "16m")
	st, err := store.Open(filepath.Join(fsDir, "data"), store.Options{Logger: zerolog.Nop(), MinFree: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := match.New([]config.Brand{{Name: "Acme", Own: true}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srcs := []*countingSource{{name: "a"}, {name: "b"}}
	var jobs []ingest.Job
	for _, s := range srcs {
		jobs = append(jobs, ingest.Job{Source: &gated{Source: s, st: st}, Every: time.Hour})
	}
	sched := ingest.NewScheduler(jobs, ingest.Options{Logger: zerolog.Nop(), Matcher: m, Sink: st})
	d := &Daemon{store: st, sched: sched, log: zerolog.Nop()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	gate := &watchedGate{Store: st, asked: make(chan struct{})}
	tick := make(chan time.Time)
	loopDone := make(chan struct{})
	go func() { defer close(loopDone); d.resumeOnTicks(ctx, gate, tick) }()
	defer func() { cancel(); <-loopDone }()

	health := func(name string) ingest.SourceHealth {
		for _, h := range sched.Health() {
			if h.Name == name {
				return h
			}
		}
		t.Fatalf("no health for %s", name)
		return ingest.SourceHealth{}
	}
	for _, s := range srcs {
		if err := sched.RunOnce(ctx, s.name); err != nil {
			t.Fatalf("fetch %s: %v", s.name, err)
		}
	}
	// Ticks while writes go on fetch nothing extra (the second send returns
	// once the loop has handled the first).
	tick <- time.Time{}
	tick <- time.Time{}
	if a, b := srcs[0].count(), srcs[1].count(); a != 1 || b != 1 {
		t.Fatalf("fetches without a pause: a %d, b %d, want 1 each", a, b)
	}

	filler := filepath.Join(fsDir, "filler")
	syncCtx, syncDone := context.WithTimeout(ctx, time.Minute)
	if err := st.Sync(syncCtx); err != nil { // the index idle before the disk fills
		t.Fatal(err)
	}
	syncDone()
	fstest.FillLeaving(t, filler, 2<<20)
	err = sched.RunOnce(ctx, "a")
	if err == nil || !strings.Contains(err.Error(), "no space") {
		t.Fatalf("fetch of a onto a full disk: %v, want the store's no-space refusal", err)
	}
	if w := st.WriteState(); !w.Paused || w.Reason == "" {
		t.Fatalf("write state after the refused commit: %+v", w)
	}
	// Paused: neither source reaches its network, both say why.
	for _, s := range srcs {
		err := sched.RunOnce(ctx, s.name)
		if !errors.Is(err, store.ErrNoSpace) {
			t.Fatalf("fetch of %s while paused: %v, want ErrNoSpace", s.name, err)
		}
		h := health(s.name)
		if h.Healthy || !strings.Contains(h.LastError, "not fetched") || !strings.Contains(h.LastError, store.ErrNoSpace.Error()) {
			t.Errorf("health of %s while paused: healthy %v, last error %q", s.name, h.Healthy, h.LastError)
		}
	}
	if a, b := srcs[0].count(), srcs[1].count(); a != 2 || b != 1 {
		t.Fatalf("fetches that reached the sources while paused: a %d, b %d, want 2 and 1", a, b)
	}
	var status bytes.Buffer
	printStats(&status, &config.Config{}, st.Stats())
	if s := status.String(); !strings.Contains(s, "ingest: PAUSED") || !strings.Contains(s, "disk full") {
		t.Errorf("status while paused lacks the pause line:\n%s", s)
	}
	stored := st.Stats().Mentions

	// The loop sees the pause at its next tick and waits for the resume.
	tick <- time.Time{}
	select {
	case <-gate.asked:
	case <-time.After(30 * time.Second):
		t.Fatal("the resume loop did not wait for the resume after a tick while paused")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	resumed := time.Now()
	if err := st.ProbeSpace(); err != nil {
		t.Fatalf("resume after freeing space: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for (srcs[0].count() < 3 || srcs[1].count() < 2 || !health("a").Healthy || !health("b").Healthy) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	for _, s := range srcs {
		if h := health(s.name); !h.Healthy || h.LastSuccess.Before(resumed) {
			t.Errorf("%s after the resume: healthy %v, last success %s (fetched %d times)", s.name, h.Healthy, h.LastSuccess, s.count())
		}
	}
	if a, b := srcs[0].count(), srcs[1].count(); a != 3 || b != 2 {
		t.Fatalf("fetches after the resume: a %d, b %d, want 3 and 2 (one each)", a, b)
	}
	if got := st.Stats().Mentions; got != stored+4 {
		t.Errorf("%d mentions after the resume, want %d (two per source)", got, stored+4)
	}
}
