package web

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// liveServer serves a fixture store with backups on a real listener at
// 127.0.0.1 (a random port), as the daemon does.
func liveServer(t *testing.T, opts Options) (*httptest.Server, string) {
	t.Helper()
	st := openFixtureStore(t)
	opts.Searcher, opts.Stats, opts.Backuper, opts.Logger = st, st, st, zerolog.Nop()
	if opts.Brands == nil {
		opts.Brands, opts.Networks = []string{"Acme", "Globex", "Initech"}, []string{"hackernews", "rss", "mastodon", "naver", "reddit"}
	}
	srv := httptest.NewServer(New(opts))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return srv, port
}

func doHost(t *testing.T, srv *httptest.Server, method, path, host string, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res.StatusCode, string(b)
}

// A page whose name was re-pointed at 127.0.0.1 (DNS rebinding) reaches the
// server with its own name as Host: every route refuses it with 421, with
// and without a token, while the loopback names and configured hosts work.
func TestForeignHostRefusedOnLiveServer(t *testing.T) {
	srv, port := liveServer(t, Options{Listen: "127.0.0.1:8089", AllowedHosts: []string{"earshot.example.com", "10.1.2.3:9000"}})
	paths := []string{"/api/backup", "/api/search?q=acme", "/", "/static/app.css", "/healthz", "/api/stats"}
	for _, p := range paths {
		for _, host := range []string{"rebind.attacker.example:" + port, "rebind.attacker.example", "localhost:1", "127.0.0.1:" + port + "0",
			"earshot.example.com.attacker.example", "127.0.0.1.nip.io:" + port, "localhost.attacker.example:" + port} {
			if code, body := doHost(t, srv, http.MethodGet, p, host); code != http.StatusMisdirectedRequest || !strings.Contains(body, "allowed_hosts") {
				t.Errorf("GET %s with Host %s: %d, want 421", p, host, code)
			}
		}
		for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "127.0.0.2:" + port,
			"192.168.1.10:" + port, "earshot.example.com", "earshot.example.com:443", "10.1.2.3:9000"} {
			if code, _ := doHost(t, srv, http.MethodGet, p, host); code != http.StatusOK {
				t.Errorf("GET %s with Host %s: %d, want 200", p, host, code)
			}
		}
	}
	// The backup is not sent to a rebinding page even with a token set.
	tokSrv, tport := liveServer(t, Options{Listen: "127.0.0.1:8089", Token: testToken})
	if code, body := doHost(t, tokSrv, http.MethodGet, "/api/backup", "rebind.attacker.example:"+tport, "Authorization", "Bearer "+testToken); code != 421 || len(body) > 1000 {
		t.Errorf("backup to a foreign host with the token: %d (%d bytes)", code, len(body))
	}
}

// Requests other than GET must come from this server's pages: a foreign
// Origin gets 403, the server's own passes the check.
func TestNonGetChecksOrigin(t *testing.T) {
	srv, port := liveServer(t, Options{Listen: "127.0.0.1:8089", Token: testToken})
	host := "127.0.0.1:" + port
	for _, origin := range []string{"http://rebind.attacker.example:" + port, "null", "http://localhost:" + port, "file://"} {
		for _, p := range []string{"/login", "/logout", "/api/search"} {
			if code, _ := doHost(t, srv, http.MethodPost, p, host, "Origin", origin); code != http.StatusForbidden {
				t.Errorf("POST %s from %s: %d, want 403", p, origin, code)
			}
		}
	}
	if code, _ := doHost(t, srv, http.MethodPost, "/logout", host, "Origin", "http://"+host); code == http.StatusForbidden {
		t.Errorf("POST /logout from its own origin: %d", code)
	}
	if code, _ := doHost(t, srv, http.MethodPost, "/logout", host, "Sec-Fetch-Site", "cross-site"); code != http.StatusForbidden {
		t.Errorf("cross-site POST without Origin: %d, want 403", code)
	}
}

// /static/ serves the static files and nothing else: no template, no
// openapi.json, no directory listing, however the path is spelt.
func TestStaticServesOnlyStaticFiles(t *testing.T) {
	srv, _ := liveServer(t, Options{})
	raw := func(path string) (int, string) {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, srv.Listener.Addr())
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, p := range []string{
		"/static/%2e%2e/login.html", "/static/%2e%2e/openapi.json", "/static/%2E%2E/layout.html", "/static/..%2flogin.html",
		"/static/%2e%2e%2flogin.html", "/static/%252e%252e/openapi.json", "/static/../openapi.json", "/static/./../search.html",
		"/static/", "/static", "/static/.", "/static/%2e", "/static//app.css", "/static/app.css/", "/static/APP.CSS",
	} {
		code, body := raw(p)
		if code == http.StatusOK || strings.Contains(body, "{{") || strings.Contains(body, `"paths"`) || strings.Contains(body, "<pre>") ||
			strings.Contains(body, "app.js") {
			t.Errorf("GET %s: %d, %.80q", p, code, body)
		}
	}
	for _, p := range []string{"/static/app.css", "/static/app.js"} {
		if code, body := raw(p); code != http.StatusOK || len(body) == 0 {
			t.Errorf("GET %s: %d", p, code)
		}
	}
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func tokenServer(t *testing.T, clock *fakeClock, trusted ...string) *Server {
	t.Helper()
	var ps []netip.Prefix
	for _, s := range trusted {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	st := openFixtureStore(t)
	return New(Options{Searcher: st, Stats: st, Logger: zerolog.Nop(), Clock: clock.Now, Token: testToken, TrustedProxies: ps})
}

func fromAddr(t *testing.T, h http.Handler, method, target, remote string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = remote
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Wrong tokens are limited per client address with a token bucket: the
// guesser gets 429 with Retry-After, even for the right token, while the
// real user at another address is never locked out; the bucket refills.
func TestWrongTokensLimitedPerAddress(t *testing.T) {
	clock := &fakeClock{now: fixtureNow}
	s := tokenServer(t, clock)
	const attacker, user = "198.51.100.7:5000", "192.0.2.1:6000"
	for i := range authBurst {
		if rec := fromAddr(t, s, "GET", "/api/stats", attacker, nil, "Authorization", fmt.Sprintf("Bearer guess-%d", i)); rec.Code != 401 {
			t.Fatalf("guess %d: %d, want 401", i, rec.Code)
		}
	}
	rec := fromAddr(t, s, "GET", "/api/stats", attacker, nil, "Authorization", "Bearer "+testToken)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "6" {
		t.Fatalf("after %d wrong tokens, the right one: %d Retry-After %q, want 429 and 6", authBurst, rec.Code, rec.Header().Get("Retry-After"))
	}
	form := strings.NewReader(url.Values{"token": {testToken}}.Encode())
	if rec := fromAddr(t, s, "POST", "/login", attacker, form); rec.Code != http.StatusTooManyRequests {
		t.Errorf("login from the limited address: %d, want 429", rec.Code)
	}
	if rec := fromAddr(t, s, "GET", "/api/stats", user, nil, "Authorization", "Bearer "+testToken); rec.Code != 200 {
		t.Errorf("the real user at another address: %d, want 200", rec.Code)
	}
	form = strings.NewReader(url.Values{"token": {testToken}}.Encode())
	if rec := fromAddr(t, s, "POST", "/login", user, form); rec.Code != http.StatusSeeOther {
		t.Errorf("the real user's login: %d, want 303", rec.Code)
	}
	// Another address in the attacker's IPv6 /64 shares its bucket.
	for i := range authBurst {
		fromAddr(t, s, "GET", "/api/stats", fmt.Sprintf("[2001:db8::%x]:1", i+1), nil, "Authorization", "Bearer nope")
	}
	if rec := fromAddr(t, s, "GET", "/api/stats", "[2001:db8::ffff]:1", nil, "Authorization", "Bearer "+testToken); rec.Code != 429 {
		t.Errorf("IPv6 neighbour in the same /64: %d, want 429", rec.Code)
	}
	clock.Add(authRefill)
	if rec := fromAddr(t, s, "GET", "/api/stats", attacker, nil, "Authorization", "Bearer "+testToken); rec.Code != 200 {
		t.Errorf("after a refill: %d, want 200", rec.Code)
	}
}

// Wrong login-form tokens share the address's bucket; another address
// still signs in.
func TestWrongLoginsLimitedPerAddress(t *testing.T) {
	s := tokenServer(t, &fakeClock{now: fixtureNow})
	for range authBurst {
		fromAddr(t, s, "POST", "/login", "198.51.100.7:1", strings.NewReader("token=guess"))
	}
	if rec := fromAddr(t, s, "POST", "/login", "198.51.100.7:1", strings.NewReader("token=guess")); rec.Code != 429 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("login after %d failures: %d", authBurst, rec.Code)
	}
	if rec := fromAddr(t, s, "POST", "/login", "192.0.2.1:1", strings.NewReader("token="+testToken)); rec.Code != http.StatusSeeOther {
		t.Errorf("login from another address: %d, want 303", rec.Code)
	}
}

func TestBearerSchemeAnyCase(t *testing.T) {
	s := tokenServer(t, &fakeClock{now: fixtureNow})
	for _, h := range []string{"Bearer " + testToken, "bearer " + testToken, "BEARER  " + testToken, "BeArEr " + testToken + " "} {
		if rec := fromAddr(t, s, "GET", "/api/stats", "192.0.2.1:1", nil, "Authorization", h); rec.Code != 200 {
			t.Errorf("Authorization %q: %d", h, rec.Code)
		}
	}
	for _, h := range []string{"Basic " + testToken, "Bearer" + testToken, testToken, "Bearer " + strings.ToUpper(testToken)} {
		if rec := fromAddr(t, s, "GET", "/api/stats", "192.0.2.1:1", nil, "Authorization", h); rec.Code != 401 {
			t.Errorf("Authorization %q: %d, want 401", h, rec.Code)
		}
	}
}

// Behind a trusted proxy the client address comes from X-Forwarded-For and
// HTTPS from X-Forwarded-Proto; from anyone else both headers are ignored.
func TestTrustedProxies(t *testing.T) {
	clock := &fakeClock{now: fixtureNow}
	s := tokenServer(t, clock, "10.0.0.0/8")
	const proxy, stranger = "10.0.0.9:4000", "203.0.113.5:4000"
	// Through the proxy: each client has its own bucket.
	for range authBurst {
		fromAddr(t, s, "GET", "/api/stats", proxy, nil, "Authorization", "Bearer nope", "X-Forwarded-For", "198.51.100.7")
	}
	if rec := fromAddr(t, s, "GET", "/api/stats", proxy, nil, "Authorization", "Bearer "+testToken, "X-Forwarded-For", "198.51.100.7"); rec.Code != 429 {
		t.Errorf("limited client through the proxy: %d, want 429", rec.Code)
	}
	if rec := fromAddr(t, s, "GET", "/api/stats", proxy, nil, "Authorization", "Bearer "+testToken, "X-Forwarded-For", "192.0.2.1"); rec.Code != 200 {
		t.Errorf("another client through the proxy: %d, want 200", rec.Code)
	}
	// A client cannot pick its address by writing X-Forwarded-For itself:
	// the proxy appends the real one, which is what counts.
	if rec := fromAddr(t, s, "GET", "/api/stats", proxy, nil, "Authorization", "Bearer "+testToken, "X-Forwarded-For", "192.0.2.1, 198.51.100.7"); rec.Code != 429 {
		t.Errorf("forged left-most X-Forwarded-For: %d, want 429", rec.Code)
	}
	// From an untrusted peer, X-Forwarded-For is ignored: rotating it does
	// not buy more guesses.
	for i := range authBurst {
		fromAddr(t, s, "GET", "/api/stats", stranger, nil, "Authorization", "Bearer nope", "X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i+10))
	}
	if rec := fromAddr(t, s, "GET", "/api/stats", stranger, nil, "Authorization", "Bearer "+testToken, "X-Forwarded-For", "192.0.2.99"); rec.Code != 429 {
		t.Errorf("untrusted peer rotating X-Forwarded-For: %d, want 429", rec.Code)
	}

	secure := func(remote string, tlsOn bool, hdr ...string) bool {
		req := httptest.NewRequest("POST", "/login", strings.NewReader("token="+testToken))
		req.RemoteAddr = remote
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tlsOn {
			req.TLS = &tls.ConnectionState{}
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			if c.Name == sessionCookie {
				return c.Secure
			}
		}
		t.Fatalf("login from %s: %d, no cookie", remote, rec.Code)
		return false
	}
	if !secure("10.0.0.9:1", false, "X-Forwarded-Proto", "https") {
		t.Error("HTTPS through a trusted proxy: cookie not Secure")
	}
	if secure("10.0.0.9:1", false, "X-Forwarded-Proto", "http") {
		t.Error("HTTP through a trusted proxy: cookie Secure")
	}
	if secure("192.0.2.50:1", false, "X-Forwarded-Proto", "https") {
		t.Error("X-Forwarded-Proto from an untrusted peer was believed")
	}
	if !secure("192.0.2.51:1", true) {
		t.Error("direct TLS: cookie not Secure")
	}
}

// Titles and names are shown without bidi overrides or invisible
// characters, and a huge title is cut with the full text one link away.
func TestPagesNeutraliseHostileTitlesAndNames(t *testing.T) {
	long := strings.Repeat("Acme battery ", 100000/13)
	st := openFixtureStore(t,
		hostileMention("hackernews:bidi1", "Acme \u202Egnp.exe\u202C update", "\u202Enimda", "Ad\u200Bmin\u2066"),
		hostileMention("hackernews:long1", long, "someone", ""),
	)
	s := newFixtureServer(t, st, "", nil)
	rec, body := get(t, s, "/?q=acme")
	if rec.Code != 200 {
		t.Fatalf("search page: %d", rec.Code)
	}
	for _, bad := range []string{"\u202E", "\u202C", "\u200B", "\u2066"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %U", []rune(bad)[0])
		}
	}
	mustContain(t, body, "Acme gnp.exe update", "@nimda", "Admin", `href="/api/mentions/hackernews%3Along1"`)
	t.Logf("search page with a %d-character title: %d bytes", len(long), len(body))
	if len(body) > 60000 {
		t.Errorf("page is %d bytes: the %d-character title was not cut", len(body), len(long))
	}
	// The full title is behind the link.
	if rec, body := get(t, s, "/api/mentions/hackernews%3Along1"); rec.Code != 200 || !strings.Contains(body, long[:5000]) {
		t.Errorf("full title link: %d", rec.Code)
	}
}

func hostileMention(id, title, author, name string) store.Mention {
	return store.Mention{ID: id, Network: "hackernews", Kind: store.KindMention, Title: title, Author: author, AuthorName: name,
		Text: "acme " + title, Brands: []string{"Acme"}, Published: fixtureNow.Add(-time.Hour), URL: "https://news.example/" + id}
}

// Called in-process (no connection), a server with a listen address still
// checks Host against it.
func TestHostCheckedInProcess(t *testing.T) {
	st := openFixtureStore(t)
	s := New(Options{Searcher: st, Logger: zerolog.Nop(), Listen: "127.0.0.1:8089"})
	for host, want := range map[string]int{"example.com": 421, "localhost:8089": 200, "127.0.0.1:8089": 200, "localhost:8090": 421, "[::1]:8089": 200} {
		req := httptest.NewRequest("GET", "/api/search?q=acme", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: %d, want %d", host, rec.Code, want)
		}
	}
}
