package digest

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/wneessen/go-mail"

	"github.com/earshot/earshot/store"
)

// countingMailer counts deliveries per period and recipient.
type countingMailer struct {
	inner Mailer
	mu    sync.Mutex
	n     map[string]int
}

func (c *countingMailer) Deliver(ctx context.Context, m *mail.Msg, period, rc string) (string, error) {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[period+" "+rc]++
	c.mu.Unlock()
	return c.inner.Deliver(ctx, m, period, rc)
}

func (c *countingMailer) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

// runUntil runs a Runner over the data dir from start until its clock
// passes stop, then returns what was delivered during the run.
func runUntil(t *testing.T, dir string, mailer *countingMailer, start, stop time.Time) {
	t.Helper()
	st := openStore(t, dir)
	defer func() {
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := &fakeClock{now: start, onSleep: func(now time.Time) {
		if now.After(stop) {
			cancel()
		}
	}}
	r, err := New(Options{Config: testConfig(t, dir, "", nil), Ledger: st, Build: (&fixtureBuild{}).Build, Mailer: mailer,
		Clock: clock.Now, Sleep: clock.Sleep, Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func outboxFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(OutboxDir(dir), "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	sort.Strings(m)
	return m
}

func TestRunScheduleCatchUpAndRestart(t *testing.T) {
	seoul := mustLoc(t, "Asia/Seoul")
	at := func(day, hour, minute int) time.Time { return time.Date(2026, 11, day, hour, minute, 0, 0, seoul) }
	dir := t.TempDir()
	mailer := &countingMailer{inner: &Outbox{Dir: OutboxDir(dir)}}

	// First start on Monday 08:00: last Monday's 09:00 predates the
	// installation, so nothing is sent at once; 09:00 sends week 45.
	runUntil(t, dir, mailer, at(9, 8, 0), at(9, 8, 30))
	if n := len(mailer.snapshot()); n != 0 {
		t.Fatalf("a new installation sent %d digests before its first scheduled time", n)
	}
	runUntil(t, dir, mailer, at(9, 8, 40), at(9, 12, 0))
	want := map[string]int{"2026-W45 kim@acme.example": 1, "2026-W45 park@acme.example": 1}
	if got := mailer.snapshot(); !equalCounts(got, want) {
		t.Fatalf("after Monday 09:00: %v, want %v", got, want)
	}

	// Down from Monday noon to Wednesday 25th: the 16th and 23rd were
	// missed. Only the latest (week 47) is sent, once, at start.
	runUntil(t, dir, mailer, at(25, 10, 0), at(25, 10, 30))
	want["2026-W47 kim@acme.example"], want["2026-W47 park@acme.example"] = 1, 1
	if got := mailer.snapshot(); !equalCounts(got, want) {
		t.Fatalf("after downtime: %v, want %v (week 46 skipped, week 47 once)", got, want)
	}

	// Restarted again the same morning: nothing is sent twice.
	runUntil(t, dir, mailer, at(25, 10, 31), at(25, 11, 0))
	if got := mailer.snapshot(); !equalCounts(got, want) {
		t.Fatalf("after restart: %v, want %v", got, want)
	}
	files := outboxFiles(t, dir)
	if strings.Join(files, ",") != "2026-W45-kim@acme.example.eml,2026-W45-park@acme.example.eml,2026-W47-kim@acme.example.eml,2026-W47-park@acme.example.eml" {
		t.Errorf("outbox = %v", files)
	}
	data, err := os.ReadFile(filepath.Join(OutboxDir(dir), files[2]))
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, data)
	if p.Subject != "Acme 주간 경쟁사 리포트 2026-W47 (2026-11-16–2026-11-22)" {
		t.Errorf("outbox subject = %q", p.Subject)
	}

	st := openStore(t, dir)
	defer st.Close()
	rec, ok, err := st.DigestRecord("2026-W47", "kim@acme.example")
	if err != nil || !ok || rec.Status != store.DigestStatusOutbox || rec.File == "" || !rec.At.Equal(at(25, 10, 0)) {
		t.Errorf("record = %+v, %v, %v", rec, ok, err)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRunWaitsAcrossDSTInNewYork(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	dir := t.TempDir()
	mailer := &countingMailer{inner: &Outbox{Dir: OutboxDir(dir)}}
	st := openStore(t, dir)
	defer st.Close()
	cfg := testConfig(t, dir, "", nil)
	cfg.Earshot.Location = ny
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sentAt []time.Time
	clock := &fakeClock{now: time.Date(2026, 10, 30, 12, 0, 0, 0, ny)}
	clock.onSleep = func(now time.Time) {
		if now.After(time.Date(2026, 11, 2, 10, 0, 0, 0, ny)) {
			cancel()
		}
	}
	r, err := New(Options{Config: cfg, Ledger: st, Build: (&fixtureBuild{}).Build, Clock: clock.Now, Sleep: clock.Sleep,
		Mailer: mailer, OnSend: func(string, error) { sentAt = append(sentAt, clock.Now()) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// Monday 2026-11-02 09:00 EST (14:00 UTC), the day after clocks fell back.
	if len(sentAt) != 2 || !sentAt[0].Equal(time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("sent at %v, want 2026-11-02 14:00 UTC for both recipients", sentAt)
	}
	if got := mailer.snapshot(); got["2026-W44 kim@acme.example"] != 1 {
		t.Errorf("deliveries = %v, want week 44", got)
	}
}

func TestRunDisabledWithoutRecipients(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	cfg := testConfig(t, dir, "", nil)
	cfg.Digest.To = nil
	r, err := New(Options{Config: cfg, Ledger: st, Build: (&fixtureBuild{}).Build})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if files := outboxFiles(t, dir); len(files) != 0 {
		t.Errorf("disabled digest wrote %v", files)
	}
}

func TestWriteSample(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir, "", nil)
	cfg.Digest.To = nil
	path, err := WriteSample(context.Background(), cfg, (&fixtureBuild{}).Build, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "2026-W47-you@example.com.eml" {
		t.Errorf("path = %s", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if p := parseMessage(t, data); !strings.Contains(p.Text, "What changed") || p.ToName != "Earshot demo" {
		t.Errorf("sample = %q to %q", p.Subject, p.ToName)
	}
}
