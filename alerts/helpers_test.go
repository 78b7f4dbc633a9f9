package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/rs/zerolog"

	"github.com/earshot/earshot/alerts/notify/webhook"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// t0 is the scenarios' "now": a Monday afternoon.
var t0 = time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// receiver is an httptest webhook (or Slack) receiver: it checks the
// signature, counts deliveries per idempotency key and answers with the
// scripted statuses first, 200 after.
type receiver struct {
	srv    *httptest.Server
	secret []byte
	mu     sync.Mutex
	script []int
	calls  int
	bodies []webhook.Body
	keys   map[string]int
	raw    [][]byte
	badSig int
	onBody func() // called after each accepted body (the benchmark's clock)
}

func newReceiver(t testing.TB, secret string, script ...int) *receiver {
	r := &receiver{secret: []byte(secret), script: script, keys: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		n := r.calls
		r.calls++
		if n < len(r.script) {
			w.WriteHeader(r.script[n])
			return
		}
		r.raw = append(r.raw, body)
		if r.secret != nil {
			if !webhook.Verify(r.secret, req.Header.Get(webhook.HeaderTimestamp), req.Header.Get(webhook.HeaderSignature), body) {
				r.badSig++
			}
			var b webhook.Body
			if err := json.Unmarshal(body, &b); err != nil {
				t.Errorf("webhook body: %v", err)
			}
			if b.Key != req.Header.Get(webhook.HeaderKey) {
				t.Errorf("body key %q != header %q", b.Key, req.Header.Get(webhook.HeaderKey))
			}
			r.bodies = append(r.bodies, b)
			r.keys[b.Key]++
			if r.onBody != nil {
				r.onBody()
			}
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) got() []webhook.Body {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhook.Body(nil), r.bodies...)
}

// smtpServer is an in-process SMTP server (emersion/go-smtp, as the
// digest's tests use) on loopback without TLS.
type smtpServer struct {
	port int
	mu   sync.Mutex
	msgs []string
}

type smtpSession struct{ s *smtpServer }

func (x *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (x *smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (x *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, string(b))
	x.s.mu.Unlock()
	return err
}
func (x *smtpSession) Reset()        {}
func (x *smtpSession) Logout() error { return nil }

func startSMTP(t *testing.T) *smtpServer {
	s := &smtpServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *smtpServer) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.msgs...)
}

// baseConfig is the scenarios' config before the rules: Acme (own),
// Globex, two networks, a webhook channel "hook" and a Slack one.
func baseConfig(hookURL string) string {
	return fmt.Sprintf(`
[earshot]
listen = "127.0.0.1:8089"

[[brand]]
name = "Acme"
own = true

[[brand]]
name = "Globex"

[[source]]
name = "hn"
network = "hackernews"

[[source]]
name = "feeds"
network = "rss"
urls = ["https://example.org/feed.xml"]

[digest]
base_url = "https://earshot.example"

[[alert_channel]]
name = "hook"
type = "webhook"
url = %q
secret_env = "HOOK_SECRET"

[[alert_channel]]
name = "slack"
type = "slack"
url_env = "SLACK_URL"
`, hookURL)
}

const hookSecret = "s3cret"

func parse(t *testing.T, doc string) *config.Config {
	t.Helper()
	env := map[string]string{"HOOK_SECRET": hookSecret, "SLACK_URL": slackURLFor[t.Name()]}
	cfg, err := config.Parse([]byte(doc), "test.toml", func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// slackURLFor passes each test's Slack receiver URL through the
// environment, as a user would.
var slackURLFor = map[string]string{}

// fixture is a store, an engine and receivers.
type fixture struct {
	t     *testing.T
	dir   string
	st    *store.Store
	e     *Engine
	clk   *clock
	hook  *receiver
	slack *receiver
	cfg   *config.Config
}

func newFixture(t *testing.T, rules string, script ...int) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), clk: &clock{t: t0}}
	f.hook = newReceiver(t, hookSecret, script...)
	f.slack = newReceiver(t, "")
	slackURLFor[t.Name()] = f.slack.srv.URL
	f.cfg = parse(t, baseConfig(f.hook.srv.URL)+strings.ReplaceAll(rules, "HOOK_URL", f.hook.srv.URL))
	f.open()
	return f
}

func (f *fixture) open() {
	f.t.Helper()
	st, err := store.Open(f.dir, store.Options{Clock: f.clk.Now, Logger: zerolog.Nop()})
	if err != nil {
		f.t.Fatal(err)
	}
	f.st = st
	f.e, err = New(Options{Store: st, Clock: f.clk.Now, Logger: zerolog.Nop(), Deps: Deps{DataDir: f.dir},
		Backoff: time.Minute, MaxBackoff: 10 * time.Minute, MaxAttempts: 4})
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.e.SetConfig(f.cfg); err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { _ = f.st.Close() })
}

// crash closes the store without sending what is queued, as a SIGKILL
// after the commit would leave it, and opens it again.
func (f *fixture) crash() {
	f.t.Helper()
	f.e.Close()
	if err := f.st.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.open()
}

var seq int

// mention makes a mention of brand on network published at p.
func mention(brand, network string, p time.Time, label string) store.Mention {
	seq++
	return store.Mention{ID: fmt.Sprintf("%s:%d", network, seq), Network: network, Source: network, NativeID: fmt.Sprint(seq),
		URL: fmt.Sprintf("https://example.com/%d", seq), Title: fmt.Sprintf("post %d about %s", seq, brand), Text: "something happened",
		Kind: store.KindMention, Brands: []string{brand}, Published: p, Fetched: p, SentimentLabel: label, Author: "someone"}
}

func (f *fixture) commit(ms ...store.Mention) {
	f.t.Helper()
	if _, err := f.st.Commit("test", ms, nil); err != nil {
		f.t.Fatal(err)
	}
}

// history seeds collection 35 days back and per-week counts of the window
// ending at now (k weeks back, k = 1..len(perWeek)).
func (f *fixture) history(brand, network string, now time.Time, perWeek []int, label string) {
	f.t.Helper()
	ms := []store.Mention{mention(brand, network, now.Add(-35*24*time.Hour), "")}
	for k, n := range perWeek {
		end := now.Add(-time.Duration(k+1) * week)
		for i := range n {
			ms = append(ms, mention(brand, network, end.Add(-time.Duration(i+1)*time.Minute), label))
		}
	}
	f.commit(ms...)
}

// burst commits n mentions in the hour before now.
func (f *fixture) burst(brand, network string, now time.Time, n int, label string) {
	f.commit(burst(brand, network, now, n, label)...)
}

// burst makes n mentions in the hour before now.
func burst(brand, network string, now time.Time, n int, label string) []store.Mention {
	var ms []store.Mention
	for i := range n {
		ms = append(ms, mention(brand, network, now.Add(-time.Duration(i+1)*2*time.Minute), label))
	}
	return ms
}

func (f *fixture) flush() {
	f.t.Helper()
	if _, err := f.e.Flush(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) maintain() {
	f.t.Helper()
	if err := f.e.maintain(); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) list() []Entry {
	f.t.Helper()
	l, err := f.e.List("", 0, 100)
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
