package digest

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/web"
)

// End to end: the digest goes through a real SMTP server with a signed
// one-click link; the mail client POSTs it (from its own origin) to the
// web server; the next digest skips that recipient, who gets it again
// only when the config re-adds them (resubscribed on or after the opt-out).
func TestOneClickUnsubscribeEndToEnd(t *testing.T) {
	cert, pool := testCert(t)
	ts := startSMTP(t, modeStartTLS, cert)
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	clock := &fakeClock{now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	cfg := testConfig(t, dir, `base_url = "https://earshot.acme.example/"`, nil)
	runner := func(cfg *config.Config) *Runner {
		r, err := New(Options{Config: cfg, Ledger: st, OptOuts: st, Build: (&fixtureBuild{}).Build,
			Mailer: clientFor(t, ts, config.DigestTLSStartTLS, pool, "earshot", "s3cret 비밀"), Clock: clock.Now, Sleep: clock.Sleep})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ctx := context.Background()
	if _, err := runner(cfg).Send(ctx, Week{2026, 47}, false); err != nil {
		t.Fatal(err)
	}
	headers := map[string][2]string{}
	bodies := map[string]parsed{}
	for _, m := range ts.Messages() {
		p := parseMessage(t, m.Data)
		headers[m.To[0]] = [2]string{p.Header.Get("List-Unsubscribe"), p.Header.Get("List-Unsubscribe-Post")}
		bodies[m.To[0]] = p
	}
	re := regexp.MustCompile(`^<(https://earshot\.acme\.example/unsubscribe\?t=[A-Za-z0-9_.%-]+)>, <mailto:earshot@localhost\?subject=unsubscribe\+park%40acme\.example>$`)
	park := headers["park@acme.example"]
	m := re.FindStringSubmatch(park[0])
	if m == nil || park[1] != "List-Unsubscribe=One-Click" {
		t.Fatalf("park's headers = %q", park)
	}
	if kim := headers["kim@acme.example"][0]; kim == park[0] || !strings.Contains(kim, "/unsubscribe?t=") {
		t.Errorf("kim's link = %q (must be her own)", kim)
	}
	link, err := url.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}
	// The footer shows the same link: the text part as is, the HTML part
	// as an anchor (HTML-escaped).
	if b := bodies["park@acme.example"]; !strings.Contains(b.Text, "Unsubscribe with one click: "+m[1]) ||
		!strings.Contains(b.HTML, `href="`+html.EscapeString(m[1])+`"`) {
		t.Errorf("park's footer does not show the one-click link %s:\ntext: …%s", m[1], b.Text[max(0, len(b.Text)-300):])
	}

	srv := web.New(web.Options{Logger: zerolog.Nop(), Clock: clock.Now, Token: "api-token-not-sent-by-mail-clients",
		Listen: "127.0.0.1:8089", AllowedHosts: []string{"earshot.acme.example"},
		Unsubscribe: &Unsubscriber{Store: st, Clock: clock.Now}})
	do := func(method, target, origin string) int {
		req := httptest.NewRequest(method, target, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code
	}
	optedOut := func(rc string) bool {
		_, ok, err := st.DigestOptedOut(List, rc)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	// Opening the link shows a button and unsubscribes nobody.
	if code := do(http.MethodGet, link.String(), ""); code != 200 || optedOut("park@acme.example") {
		t.Fatalf("GET: %d, opted out %v", code, optedOut("park@acme.example"))
	}
	// A forged token (kim's address with park's signature) from a foreign
	// origin meets the Origin check; without an origin it is refused as invalid.
	forged := Token([]byte("another key"), List, "kim@acme.example")
	if code := do(http.MethodPost, "https://earshot.acme.example/unsubscribe?t="+url.QueryEscape(forged), "https://mail.example.net"); code != http.StatusForbidden {
		t.Errorf("forged token from a foreign origin: %d, want 403", code)
	}
	if code := do(http.MethodPost, "https://earshot.acme.example/unsubscribe?t="+url.QueryEscape(forged), ""); code != http.StatusBadRequest {
		t.Errorf("forged token: %d, want 400", code)
	}
	// The signed link is still Host-checked.
	if code := do(http.MethodPost, "https://evil.example"+link.RequestURI(), "https://mail.example.net"); code != http.StatusMisdirectedRequest {
		t.Errorf("foreign host: %d, want 421", code)
	}
	if optedOut("kim@acme.example") || optedOut("park@acme.example") {
		t.Fatal("an invalid request recorded an opt-out")
	}
	// The mail client's one-click POST: foreign origin, no session.
	clock.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	if code := do(http.MethodPost, link.String(), "https://mail.example.net"); code != 200 || !optedOut("park@acme.example") {
		t.Fatalf("one-click POST: %d, opted out %v", code, optedOut("park@acme.example"))
	}

	// The next week's digest goes to kim only.
	clock.Set(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	res, err := runner(cfg).Send(ctx, Week{2026, 48}, false)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range res {
		status[r.Recipient] = r.Status
	}
	if got := sentTo(ts, "2026-W48"); got != "kim@acme.example" || len(res) != 2 || status["park@acme.example"] != StatusUnsubscribed {
		t.Errorf("W48 sent to %q, results %+v", got, res)
	}
	if _, ok, _ := st.DigestRecord("2026-W48", "park@acme.example"); ok {
		t.Error("an unsubscribed recipient got a ledger record")
	}
	// A resubscribed date before the opt-out does not re-add; on its day it does.
	for _, c := range []struct {
		day  int
		want string
		week int
	}{{23, "kim@acme.example", 49}, {24, "kim@acme.example,park@acme.example", 50}} {
		cfg2 := *cfg
		cfg2.Digest.To = append([]config.Recipient(nil), cfg.Digest.To...)
		cfg2.Digest.To[1].Resubscribed = config.Date{Time: time.Date(2026, 11, c.day, 0, 0, 0, 0, time.UTC)}
		if _, err := runner(&cfg2).Send(ctx, Week{2026, c.week}, false); err != nil {
			t.Fatal(err)
		}
		if got := sentTo(ts, Week{2026, c.week}.String()); got != c.want {
			t.Errorf("resubscribed 2026-11-%d: W%d sent to %q, want %q", c.day, c.week, got, c.want)
		}
	}
}

// sentTo lists who the SMTP server received period's digest for.
func sentTo(ts *testSMTP, period string) string {
	var out []string
	for _, m := range ts.Messages() {
		if strings.Contains(string(m.Data), "X-Earshot-Digest: "+period+"\r\n") {
			out = append(out, m.To[0])
		}
	}
	return strings.Join(out, ",")
}

// The config takes resubscribed as a TOML date, and refuses a string.
func TestResubscribedIsATOMLDate(t *testing.T) {
	doc := func(v string) []byte {
		return []byte(fmt.Sprintf(`[earshot]
data_dir = %q

[[brand]]
name = "Acme"
own = true

[[digest.recipient]]
email = "park@acme.example"
resubscribed = %s
`, t.TempDir(), v))
	}
	c, err := config.Parse(doc(`"2026-12-05"`), "t.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Digest.To[0].Resubscribed; got.Year() != 2026 || got.Month() != 12 || got.Day() != 5 {
		t.Errorf("resubscribed = %v", got)
	}
	for _, bad := range []string{`"soon"`, `2026-12-05`} {
		if _, err := config.Parse(doc(bad), "t.toml", func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "resubscribed") {
			t.Errorf("resubscribed = %s: %v", bad, err)
		}
	}
}

// Tokens: a signature from another key, or an edited payload, is refused.
func TestUnsubscribeToken(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := Token(key, List, "Kim@Acme.example")
	if l, rc, err := ParseToken(key, tok); err != nil || l != List || rc != "kim@acme.example" {
		t.Fatalf("ParseToken = %q %q %v", l, rc, err)
	}
	other := Token(key, List, "park@acme.example")
	for _, bad := range []string{"", "x", tok + "A", strings.Split(other, ".")[0] + "." + strings.Split(tok, ".")[1], Token([]byte("k2"), List, "kim@acme.example")} {
		if _, _, err := ParseToken(key, bad); err != ErrBadToken {
			t.Errorf("ParseToken(%q) = %v", bad, err)
		}
	}
}
