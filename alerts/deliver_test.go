package alerts

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/store"
)

// hit is a mention the query rule fires on.
func hit(at time.Time) store.Mention {
	m := mention("Acme", "x", at, "")
	m.Text, m.AuthorFollowers = "Acme recall announced", 500
	return m
}

// A crash after the commit that decided an alert and before its send
// delivers it after restart, once, with the key it was queued with.
func TestCrashBetweenDecideAndSend(t *testing.T) {
	f := newFixture(t, queryRule)
	f.commit(hit(t0.Add(-time.Minute)))
	queued := f.list()
	if len(queued) != 1 || queued[0].Deliveries["hook"].Status != StatusQueued {
		t.Fatalf("not queued in the commit: %+v", queued)
	}
	key := queued[0].Deliveries["hook"].Key
	f.crash() // nothing was sent
	if n := len(f.hook.got()); n != 0 {
		t.Fatalf("sent before the crash: %d", n)
	}
	f.flush()
	f.flush()
	f.crash()
	f.flush()
	got := f.hook.got()
	if len(got) != 1 || got[0].Key != key || f.hook.keys[key] != 1 {
		t.Fatalf("after restart: %d deliveries, keys %v, want one of %q", len(got), f.hook.keys, key)
	}
	if s := f.list()[0]; s.Status != StatusDelivered || s.Deliveries["hook"].Attempts != 1 {
		t.Fatalf("history %+v", s)
	}
}

// A failing receiver is retried with backoff and shown in the queue and
// the history; a permanent refusal is failed at once.
func TestRetriesAndFailures(t *testing.T) {
	f := newFixture(t, queryRule, http.StatusServiceUnavailable, http.StatusBadGateway)
	f.commit(hit(t0.Add(-time.Minute)))
	f.flush()
	q, err := f.e.Queue()
	if err != nil {
		t.Fatal(err)
	}
	if q["hook"].Retrying != 1 || !strings.Contains(q["hook"].LastError, "503") {
		t.Fatalf("queue after a 503: %+v", q)
	}
	if d := f.list()[0].Deliveries["hook"]; d.Status != StatusRetrying || d.Attempts != 1 {
		t.Fatalf("delivery %+v", d)
	}
	f.flush() // not due yet (backoff 1m)
	if f.hook.calls != 1 {
		t.Fatalf("retried before the backoff: %d calls", f.hook.calls)
	}
	f.clk.Set(t0.Add(61 * time.Second))
	f.flush() // 502, next in 2m
	f.clk.Set(t0.Add(61*time.Second + 2*time.Minute))
	f.flush()
	if d := f.list()[0].Deliveries["hook"]; d.Status != StatusDelivered || d.Attempts != 3 || len(f.hook.got()) != 1 {
		t.Fatalf("after retries: %+v, %d received", d, len(f.hook.got()))
	}
	if b := f.e.backoff(1); b != time.Minute {
		t.Errorf("backoff(1) = %v", b)
	}
	if b := f.e.backoff(3); b != 4*time.Minute {
		t.Errorf("backoff(3) = %v", b)
	}
	if b := f.e.backoff(9); b != 10*time.Minute {
		t.Errorf("backoff(9) = %v, want the cap", b)
	}

	g := newFixture(t, queryRule, http.StatusGone)
	g.commit(hit(t0.Add(-time.Minute)))
	g.flush()
	if e := g.list()[0]; e.Status != StatusFailed || !strings.Contains(e.Deliveries["hook"].Error, "410") {
		t.Fatalf("permanent failure: %+v", e.Deliveries["hook"])
	}
	if q, _ := g.e.Queue(); q["hook"].Queued != 0 {
		t.Fatal("a failed delivery stays queued")
	}
}

func TestQuietHoursRollUpAndDailyCap(t *testing.T) {
	f := newFixture(t, `
[[alert]]
name = "recalls"
kind = "query"
query = "recall"
cooldown = "0s"
channels = ["night"]

[[alert_channel]]
name = "night"
type = "webhook"
url = "HOOK_URL"
secret_env = "HOOK_SECRET"
lang = "ko"
quiet_hours = "15:00-16:00"
daily_cap = 2
`)
	f.commit(hit(t0.Add(-time.Minute)))
	f.commit(hit(t0.Add(-time.Minute)))
	f.maintain()
	f.flush()
	if n := len(f.hook.got()); n != 0 {
		t.Fatalf("sent %d in quiet hours", n)
	}
	if l := f.list(); l[0].Deliveries["night"].Status != StatusHeld || l[0].Status != "fired" {
		t.Fatalf("not held: %+v", l[0])
	}
	f.clk.Set(time.Date(2026, 11, 30, 16, 1, 0, 0, time.UTC))
	f.maintain()
	f.flush()
	got := f.hook.got()
	if len(got) != 1 || !got[0].Rollup || len(got[0].Alerts) != 2 || got[0].Subject != "방해 금지 시간 동안 보류된 알림 2건" {
		t.Fatalf("roll-up: %+v", got)
	}
	// The roll-up counted once: one more fits under the cap of 2, the
	// next is suppressed.
	f.commit(hit(f.clk.Now().Add(-time.Minute)))
	f.commit(hit(f.clk.Now().Add(-time.Minute)))
	f.flush()
	if n := len(f.hook.got()); n != 2 {
		t.Fatalf("%d deliveries, want 2", n)
	}
	if l := f.list(); l[0].Status != StatusSuppressed || l[0].Deliveries["night"].Reason != "daily cap" {
		t.Fatalf("over the cap: %+v", l[0])
	}
	// The next local day has a fresh cap.
	f.clk.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	f.commit(hit(f.clk.Now().Add(-time.Minute)))
	f.flush()
	if n := len(f.hook.got()); n != 3 {
		t.Fatalf("next day: %d deliveries, want 3", n)
	}
}

// E-mail goes through the digest's SMTP settings to an in-process server;
// without smtp_host it goes to the outbox as an .eml file.
func TestEmailChannel(t *testing.T) {
	srv := startSMTP(t)
	f := newFixture(t, `
[[alert]]
name = "recalls"
kind = "query"
query = "recall"
channels = ["team"]

[[alert_channel]]
name = "team"
type = "email"
to = ["kim@acme.example"]
lang = "ko"
`)
	f.cfg.Digest.SMTPHost, f.cfg.Digest.SMTPPort, f.cfg.Digest.TLS, f.cfg.Digest.From = "127.0.0.1", srv.port, "none", "Earshot <earshot@acme.example>"
	if err := f.e.SetConfig(f.cfg); err != nil {
		t.Fatal(err)
	}
	f.commit(hit(t0.Add(-time.Minute)))
	f.flush()
	msgs := srv.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "Message-ID: <alert.") || !strings.Contains(msgs[0], "X-Earshot-Alert:") {
		t.Fatalf("smtp got %d: %q", len(msgs), msgs)
	}
	if l := f.list(); l[0].Status != StatusDelivered {
		t.Fatalf("history %+v", l[0])
	}

	g := newFixture(t, `
[[alert]]
name = "recalls"
kind = "query"
query = "recall"
channels = ["team"]

[[alert_channel]]
name = "team"
type = "email"
to = ["kim@acme.example"]
`)
	g.commit(hit(t0.Add(-time.Minute)))
	g.flush()
	d := g.list()[0].Deliveries["team"]
	if d.Status != StatusDelivered || filepath.Dir(d.Where) != filepath.Join(g.dir, "outbox") {
		t.Fatalf("outbox delivery %+v", d)
	}
	b, err := os.ReadFile(d.Where)
	if err != nil || !strings.Contains(string(b), "Watched phrase (recalls)") {
		t.Fatalf("outbox file: %v %q", err, b)
	}
}

// TestSendsARule sends a sample through each of the rule's channels.
func TestSendsARule(t *testing.T) {
	f := newFixture(t, spikeRule)
	res, err := Test(context.Background(), f.cfg, Deps{DataDir: f.dir}, "acme-spike", t0)
	if err != nil || len(res) != 1 || res[0].Err != nil {
		t.Fatalf("test send: %v %+v", err, res)
	}
	got := f.hook.got()
	if len(got) != 1 || !strings.HasPrefix(got[0].Subject, "[TEST] Spike: Acme") || !strings.HasPrefix(got[0].Key, "test.") {
		t.Fatalf("got %+v", got)
	}
	if _, err := Test(context.Background(), f.cfg, Deps{}, "nope", t0); err == nil {
		t.Fatal("an unknown rule was accepted")
	}
}
