package daemon

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// fakeClock is a clock the test moves; sleep advances it instead of
// waiting, and records each wait.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
	// stopAfter cancels the loop at that many sleeps (the last one is
	// recorded but not slept).
	stopAfter int
	cancel    context.CancelFunc
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	stop := len(c.waits) >= c.stopAfter
	if !stop {
		c.now = c.now.Add(d)
	}
	c.mu.Unlock()
	if stop {
		c.cancel()
	}
	return ctx.Err()
}

// verifyStore opens a real store on clock with n mentions hackernews:v0…
func verifyStore(t *testing.T, dir string, clock func() time.Time, n int) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{Logger: zerolog.Nop(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		return st
	}
	ms := make([]store.Mention, n)
	for i := range ms {
		ms[i] = store.Mention{ID: fmt.Sprintf("hackernews:v%d", i), Network: "hackernews", Source: "hn", Kind: store.KindMention,
			Text: fmt.Sprintf("acme verify post %d", i), Brands: []string{"Acme"},
			Published: time.Date(2026, 11, 1, i%24, i, 0, 0, time.UTC)}
	}
	if _, err := st.Commit("hn", ms, []byte("cur")); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestVerifyLoopWeeklyOnTheClock runs the weekly verify loop against a
// real store on a fake clock: the first run 10 minutes after start, the
// next a week after the recorded one (also across a restart), and the
// result is what status shows, clean or damaged.
func TestVerifyLoopWeeklyOnTheClock(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clk := &fakeClock{now: start}
	dir := t.TempDir()
	st := verifyStore(t, dir, clk.Now, 40)

	run := func(stopAfter int) []time.Duration {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		clk.mu.Lock()
		clk.waits, clk.stopAfter, clk.cancel = nil, stopAfter, cancel
		clk.mu.Unlock()
		verifyLoop(ctx, st, zerolog.Nop(), clk.Now, clk.sleep)
		return clk.waits
	}
	status := func() string {
		var b bytes.Buffer
		printStats(&b, &config.Config{}, st.Stats())
		return b.String()
	}
	if s := status(); !strings.Contains(s, "verify: never run") {
		t.Fatalf("status before any verify:\n%s", s)
	}

	// Two runs: 10 minutes after start, then a week after the first.
	waits := run(3)
	if want := []time.Duration{verifyFirst, verifyEvery, verifyEvery}; fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	rec := st.LastVerify()
	if want := start.Add(verifyFirst + verifyEvery); rec == nil || !rec.At.Equal(want) || rec.Mentions != 40 || rec.Problems != 0 {
		t.Fatalf("recorded verify %+v, want one at %s of 40 mentions, no problems", rec, want)
	}
	if s := status(); !strings.Contains(s, "40 mentions, no damage found") {
		t.Fatalf("status after a clean verify:\n%s", s)
	}

	// A restart three days later waits the four days left, not a week
	// and not the 10 minutes of a first start.
	clk.set(rec.At.Add(3 * 24 * time.Hour))
	if waits := run(1); len(waits) != 1 || waits[0] != 4*24*time.Hour {
		t.Fatalf("wait after a restart 3 days on: %v, want [96h0m0s]", waits)
	}
	// Overdue (the daemon was down for two weeks): 10 minutes after start.
	clk.set(rec.At.Add(2 * verifyEvery))
	if waits := run(1); len(waits) != 1 || waits[0] != verifyFirst {
		t.Fatalf("wait when overdue: %v, want [%s]", waits, verifyFirst)
	}

	// Damage: a record that no longer decodes. The next weekly run finds
	// it and status says so, with the first problems.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "earshot.db")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rec17 := []byte(`{"id":"hackernews:v17"`)
	i := bytes.Index(b, rec17)
	if i < 0 || bytes.Count(b, rec17) != 1 {
		t.Fatalf("record v17 found %d times in the file", bytes.Count(b, rec17))
	}
	b[i] = '['
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st = verifyStore(t, dir, clk.Now, 0)
	defer st.Close()
	clk.set(rec.At.Add(verifyEvery - 5*time.Minute))
	if waits := run(2); fmt.Sprint(waits) != fmt.Sprint([]time.Duration{verifyFirst, verifyEvery}) {
		t.Fatalf("waits with a run due in 5 minutes: %v (the first is at least %s)", waits, verifyFirst)
	}
	rec = st.LastVerify()
	if rec == nil || rec.Problems == 0 {
		t.Fatalf("damaged record not found by the weekly verify: %+v", rec)
	}
	s := status()
	for _, want := range []string{"PROBLEM(S) FOUND", `mentions seq 18: record does not decode`} {
		if !strings.Contains(s, want) {
			t.Errorf("status after a verify that found damage lacks %q:\n%s", want, s)
		}
	}
}
