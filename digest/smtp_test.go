package digest

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// parsed is a received message taken apart with net/mail and mime/multipart.
type parsed struct {
	Header     mail.Header
	Subject    string
	ToName     string
	Text, HTML string
	TextType   string
	HTMLType   string
	Images     int
}

func parseMessage(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("net/mail: %v\n%s", err, data)
	}
	var p parsed
	p.Header = m.Header
	raw := m.Header.Get("Subject")
	if strings.ContainsFunc(raw, func(r rune) bool { return r > 127 }) {
		t.Errorf("subject header is not encoded: %q", raw)
	}
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(raw); err != nil {
		t.Fatalf("subject %q: %v", raw, err)
	}
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 {
		t.Fatalf("To: %v %v", to, err)
	}
	p.ToName = to[0].Name
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || (mt != "multipart/alternative" && mt != "multipart/related") {
		t.Fatalf("Content-Type = %q (%v), want multipart/related or multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	walkParts(t, &p, mt, multipart.NewReader(m.Body, params["boundary"]))
	if got := m.Header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	if got := m.Header.Get("List-Unsubscribe"); !strings.HasPrefix(got, "<mailto:") && !strings.Contains(got, ">, <mailto:") {
		t.Errorf("List-Unsubscribe = %q", got)
	}
	if p.Text == "" || p.HTML == "" {
		t.Fatalf("missing a part: text %d bytes, html %d bytes", len(p.Text), len(p.HTML))
	}
	return p
}

// walkParts reads a multipart body: text/plain then text/html inside a
// multipart/alternative (itself inside multipart/related with the inline
// images, when there are images), every image with a Content-ID.
func walkParts(t *testing.T, p *parsed, mt string, mr *multipart.Reader) {
	t.Helper()
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct := part.Header.Get("Content-Type")
		pt, pp, _ := mime.ParseMediaType(ct)
		if strings.HasPrefix(pt, "multipart/") {
			walkParts(t, p, pt, multipart.NewReader(part, pp["boundary"]))
			continue
		}
		if strings.HasPrefix(pt, "image/") {
			if mt != "multipart/related" || part.Header.Get("Content-ID") == "" {
				t.Errorf("image %s outside multipart/related or without Content-ID", ct)
			}
			p.Images++
			continue
		}
		if !strings.EqualFold(pp["charset"], "utf-8") {
			t.Errorf("part %d %s charset = %q, want UTF-8", i, pt, pp["charset"])
		}
		var body io.Reader = part // multipart.Part decodes quoted-printable itself
		if enc := part.Header.Get("Content-Transfer-Encoding"); enc != "" && !strings.EqualFold(enc, "quoted-printable") {
			t.Errorf("part %d encoding %q", i, enc)
		} else if enc != "" {
			body = quotedprintable.NewReader(part)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case mt == "multipart/alternative" && i == 0 && pt == "text/plain":
			p.Text, p.TextType = string(b), ct
		case mt == "multipart/alternative" && i == 1 && pt == "text/html":
			p.HTML, p.HTMLType = string(b), ct
		default:
			t.Errorf("part %d of %s is %s; want text/plain then text/html in multipart/alternative", i, mt, ct)
		}
	}
}

func clientFor(t *testing.T, ts *testSMTP, mode string, pool *x509.CertPool, user, pass string) *SMTP {
	t.Helper()
	m, err := NewSMTP(SMTPOptions{Host: "127.0.0.1", Port: ts.Port, TLS: mode, Username: user, Password: pass,
		TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSMTPDeliveryModes(t *testing.T) {
	cert, pool := testCert(t)
	tests := []struct {
		name    string
		mode    serverMode
		tlsMode string
		mech    string
	}{
		{"starttls+plain", modeStartTLS, config.DigestTLSStartTLS, sasl.Plain},
		{"starttls+login", modeStartTLS, config.DigestTLSStartTLS, sasl.Login},
		{"implicit-tls+login", modeImplicit, config.DigestTLSImplicit, sasl.Login},
		{"implicit-tls+plain", modeImplicit, config.DigestTLSImplicit, sasl.Plain},
		{"none-loopback+plain", modePlain, config.DigestTLSNone, sasl.Plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := startSMTP(t, tt.mode, cert)
			ts.Mechs = []string{tt.mech}
			r := renderFixture(t, config.Recipient{Email: "kim@acme.example", Name: "김민지"})
			msg, err := NewMessage("Earshot <earshot@acme.example>", config.Recipient{Email: "kim@acme.example", Name: "김민지"}, "2026-W47", r, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := clientFor(t, ts, tt.tlsMode, pool, "earshot", "s3cret 비밀").Deliver(context.Background(), msg, "2026-W47", "kim@acme.example"); err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			got := ts.Messages()
			if len(got) != 1 {
				t.Fatalf("server got %d messages", len(got))
			}
			g := got[0]
			if g.User != "earshot" || g.Mech != tt.mech || g.TLS != (tt.mode != modePlain) {
				t.Errorf("auth %q with %s, tls %v", g.User, g.Mech, g.TLS)
			}
			if g.From != "earshot@acme.example" || len(g.To) != 1 || g.To[0] != "kim@acme.example" {
				t.Errorf("envelope %s -> %v", g.From, g.To)
			}
			p := parseMessage(t, g.Data)
			if p.Subject != r.Subject || !strings.Contains(p.Subject, "주간 경쟁사 리포트") {
				t.Errorf("subject = %q, want %q", p.Subject, r.Subject)
			}
			if p.ToName != "김민지" {
				t.Errorf("To name = %q", p.ToName)
			}
			if strings.ReplaceAll(p.Text, "\r\n", "\n") != r.Text {
				t.Errorf("text part differs from the rendered text")
			}
			if m := contains(p.HTML, "아크미 배터리 방전 문제 &lt;심각&gt;", `<div id="digest"`); m != "" {
				t.Errorf("html part misses %s", m)
			}
			if id := p.Header.Get("Message-ID"); !strings.HasPrefix(id, "<digest.2026-W47.") || !strings.HasSuffix(id, "@acme.example>") {
				t.Errorf("Message-ID = %q", id)
			}
		})
	}
}

func TestSMTPPermanentErrors(t *testing.T) {
	cert, pool := testCert(t)
	ctx := context.Background()
	r := renderFixture(t, config.Recipient{Email: "kim@acme.example"})
	msg, _ := NewMessage("earshot@acme.example", config.Recipient{Email: "kim@acme.example"}, "2026-W47", r, time.Now())

	ts := startSMTP(t, modeStartTLS, cert)
	_, err := clientFor(t, ts, config.DigestTLSStartTLS, pool, "earshot", "wrong").Deliver(ctx, msg, "p", "kim@acme.example")
	if err == nil || !IsPermanent(err) || !strings.Contains(err.Error(), "535") {
		t.Errorf("wrong password: %v (permanent %v), want a permanent 535", err, IsPermanent(err))
	}

	untrusted := x509.NewCertPool()
	_, err = clientFor(t, ts, config.DigestTLSStartTLS, untrusted, "earshot", "s3cret 비밀").Deliver(ctx, msg, "p", "kim@acme.example")
	if err == nil || !IsPermanent(err) {
		t.Errorf("untrusted certificate: %v (permanent %v), want permanent", err, IsPermanent(err))
	}

	rej := startSMTP(t, modeStartTLS, cert, &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "rejected as spam"})
	_, err = clientFor(t, rej, config.DigestTLSStartTLS, pool, "earshot", "s3cret 비밀").Deliver(ctx, msg, "p", "kim@acme.example")
	var de *DeliveryError
	if !errors.As(err, &de) || !de.Permanent || de.Code != 554 {
		t.Errorf("554: %v (%+v), want permanent with code 554", err, de)
	}

	tmp := startSMTP(t, modeStartTLS, cert, &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"})
	_, err = clientFor(t, tmp, config.DigestTLSStartTLS, pool, "earshot", "s3cret 비밀").Deliver(ctx, msg, "p", "kim@acme.example")
	if err == nil || IsPermanent(err) {
		t.Errorf("451: %v, want a temporary error", err)
	}

	drop := startSMTP(t, modeStartTLS, cert, errDrop)
	_, err = clientFor(t, drop, config.DigestTLSStartTLS, pool, "earshot", "s3cret 비밀").Deliver(ctx, msg, "p", "kim@acme.example")
	if err == nil || IsPermanent(err) {
		t.Errorf("dropped connection: %v, want a temporary error", err)
	}
}

// runnerWith builds a Runner delivering through ts, with a fake clock.
func runnerWith(t *testing.T, dir string, st *store.Store, mailer Mailer, clock *fakeClock, max int, onSend func(string, error)) (*Runner, *fixtureBuild) {
	t.Helper()
	cfg := testConfig(t, dir, "", nil)
	fb := &fixtureBuild{}
	r, err := New(Options{Config: cfg, Ledger: st, Build: fb.Build, Mailer: mailer, Clock: clock.Now, Sleep: clock.Sleep,
		MaxAttempts: max, Backoff: time.Minute, MaxBackoff: 4 * time.Minute, OnSend: onSend})
	if err != nil {
		t.Fatal(err)
	}
	return r, fb
}

type sends struct {
	mu  sync.Mutex
	got map[string][]error
}

func (s *sends) record(rc string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.got == nil {
		s.got = map[string][]error{}
	}
	s.got[rc] = append(s.got[rc], err)
}

func TestRunnerRetriesTemporaryThenSucceeds(t *testing.T) {
	cert, pool := testCert(t)
	ts := startSMTP(t, modeStartTLS, cert,
		&smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "too many connections"}, errDrop)
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	clock := &fakeClock{now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	var s sends
	r, fb := runnerWith(t, dir, st, clientFor(t, ts, config.DigestTLSStartTLS, pool, "earshot", "s3cret 비밀"), clock, 5, s.record)
	res, err := r.Send(context.Background(), Week{2026, 47}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Status != store.DigestStatusSent || res[1].Status != store.DigestStatusSent {
		t.Fatalf("results = %+v", res)
	}
	if n := len(ts.Messages()); n != 2 || ts.DataCommands() != 4 {
		t.Errorf("server accepted %d messages after %d DATA commands; want 2 after 4 (421, drop, then both)", n, ts.DataCommands())
	}
	// Round 1: kim 421, park dropped; round 2 both delivered after one backoff.
	if len(clock.sleeps) != 1 || clock.sleeps[0] != time.Minute {
		t.Errorf("backoff sleeps = %v, want [1m]", clock.sleeps)
	}
	rec, _, _ := st.DigestRecord("2026-W47", "kim@acme.example")
	if rec.Status != store.DigestStatusSent || rec.Attempts != 2 || rec.Error != "" {
		t.Errorf("kim record = %+v", rec)
	}
	if len(s.got["kim@acme.example"]) != 1 || s.got["kim@acme.example"][0] != nil {
		t.Errorf("OnSend = %v, want one nil per recipient", s.got)
	}
	if fb.calls != 2 {
		t.Errorf("reports built %d times, want 2 (one per network filter)", fb.calls)
	}
	var park parsed
	for _, m := range ts.Messages() {
		if m.To[0] == "park@acme.example" {
			park = parseMessage(t, m.Data)
		}
	}
	if strings.Contains(park.Text, "- Initech") || !strings.Contains(park.Text, "- Others") || !strings.Contains(park.Text, "Naver") || park.ToName != "Park" {
		t.Errorf("park's digest is not filtered:\n%s", park.Text)
	}
}

func TestRunnerPermanentFailureRecordedNotRetried(t *testing.T) {
	cert, pool := testCert(t)
	reject := &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	ts := startSMTP(t, modeStartTLS, cert, reject, reject, reject, reject)
	dir := t.TempDir()
	st := openStore(t, dir)
	clock := &fakeClock{now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	var s sends
	r, _ := runnerWith(t, dir, st, clientFor(t, ts, config.DigestTLSStartTLS, pool, "earshot", "s3cret 비밀"), clock, 5, s.record)
	res, err := r.Send(context.Background(), Week{2026, 47}, false)
	if err != nil {
		t.Fatal(err)
	}
	if ts.DataCommands() != 2 || len(clock.sleeps) != 0 {
		t.Errorf("DATA %d times with sleeps %v; want one try per recipient, no retry", ts.DataCommands(), clock.sleeps)
	}
	for _, x := range res {
		if x.Status != store.DigestStatusFailed || !strings.Contains(x.Err.Error(), "550") {
			t.Errorf("result = %+v", x)
		}
		if _, err := os.Stat(x.File); err != nil {
			t.Errorf("undelivered digest not kept: %v", err)
		}
		if errs := s.got[x.Recipient]; len(errs) != 1 || errs[0] == nil {
			t.Errorf("OnSend(%s) = %v", x.Recipient, errs)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// A restart does not try again: the failure is recorded.
	st = openStore(t, dir)
	defer st.Close()
	r, _ = runnerWith(t, dir, st, clientFor(t, ts, config.DigestTLSStartTLS, pool, "earshot", "s3cret 비밀"), clock, 5, nil)
	res, err = r.Send(context.Background(), Week{2026, 47}, false)
	if err != nil || len(res) != 2 || res[0].Status != "skipped" || ts.DataCommands() != 2 {
		t.Errorf("after restart: %+v, %v, DATA %d", res, err, ts.DataCommands())
	}
	rec, _, _ := st.DigestRecord("2026-W47", "park@acme.example")
	if rec.Status != store.DigestStatusFailed || !strings.Contains(rec.Error, "550") || rec.Attempts != 1 {
		t.Errorf("record = %+v", rec)
	}
	log, _ := st.DigestLog(1)
	if line := StatusLine(r.Schedule(), log, clock.Now()); !strings.Contains(line, "failed") || !strings.Contains(line, "550") {
		t.Errorf("status line = %q", line)
	}
}

func TestRunnerGivesUpAfterMaxAttempts(t *testing.T) {
	cert, pool := testCert(t)
	ts := startSMTP(t, modeStartTLS, cert, errDrop, errDrop, errDrop, errDrop, errDrop, errDrop)
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	clock := &fakeClock{now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	r, _ := runnerWith(t, dir, st, clientFor(t, ts, config.DigestTLSStartTLS, pool, "earshot", "s3cret 비밀"), clock, 3, nil)
	res, err := r.Send(context.Background(), Week{2026, 47}, false)
	if err != nil {
		t.Fatal(err)
	}
	if ts.DataCommands() != 6 {
		t.Errorf("DATA commands = %d, want 3 attempts × 2 recipients", ts.DataCommands())
	}
	if want := []time.Duration{time.Minute, 2 * time.Minute}; len(clock.sleeps) != 2 || clock.sleeps[0] != want[0] || clock.sleeps[1] != want[1] {
		t.Errorf("sleeps = %v, want %v", clock.sleeps, want)
	}
	for _, x := range res {
		if x.Status != store.DigestStatusFailed || !strings.Contains(x.Err.Error(), "gave up after 3 attempts") {
			t.Errorf("result = %+v", x)
		}
	}
}
