package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/web/metrics"
)

const testToken = "s3cret-token-of-some-length"

func postLogin(t *testing.T, h http.Handler, form url.Values, origin string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestTokenRequiredEverywhereButHealthz(t *testing.T) {
	st := openFixtureStore(t)
	s := newFixtureServer(t, st, testToken, metrics.New())
	for _, target := range []string{"/api/search?q=battery", "/api/sources", "/api/stats", "/api/mentions/hackernews:41234567",
		"/api/export?format=csv", "/api/openapi.json", "/metrics", "/api/nope"} {
		// A server per target: wrong tokens count against the address.
		s := newFixtureServer(t, st, testToken, metrics.New())
		rec, body := get(t, s, target)
		if rec.Code != http.StatusUnauthorized || !strings.Contains(body, `"code":"unauthorized"`) ||
			rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s without token: %d %s", target, rec.Code, body)
		}
		if rec, _ := get(t, s, target, "Authorization", "Bearer wrong"); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s with a wrong token: %d", target, rec.Code)
		}
		if rec, _ := get(t, s, target, "Authorization", "Bearer "+testToken[:len(testToken)-1]); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s with a token prefix: %d", target, rec.Code)
		}
		want := http.StatusOK
		if target == "/api/nope" {
			want = http.StatusNotFound
		}
		if rec, _ := get(t, s, target, "Authorization", "Bearer "+testToken); rec.Code != want {
			t.Errorf("%s with the token: %d, want %d", target, rec.Code, want)
		}
	}
	for _, open := range []string{"/healthz", "/static/app.css", "/static/app.js", "/login"} {
		if rec, _ := get(t, s, open); rec.Code != 200 {
			t.Errorf("%s should be open: %d", open, rec.Code)
		}
	}
	// A browser is sent to the login form, keeping where it was going.
	rec, _ := get(t, s, "/sources?x=1")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Fsources%3Fx%3D1" {
		t.Errorf("UI without session: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
}

func TestNoTokenNoAuth(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), "", nil)
	if rec, _ := get(t, s, "/api/search"); rec.Code != 200 {
		t.Errorf("no token configured: %d", rec.Code)
	}
	if rec, _ := get(t, s, "/login"); rec.Code != http.StatusSeeOther {
		t.Errorf("login page without a token: %d, want a redirect home", rec.Code)
	}
}

func TestLoginSessionCookie(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), testToken, nil)
	origin := "http://example.com" // httptest requests are for Host example.com

	rec := postLogin(t, s, url.Values{"token": {"nope"}, "next": {"/sources"}}, origin)
	if rec.Code != http.StatusUnauthorized || len(rec.Result().Cookies()) != 0 || !strings.Contains(rec.Body.String(), "not right") {
		t.Errorf("wrong token: %d cookies %v", rec.Code, rec.Result().Cookies())
	}
	if rec := postLogin(t, s, url.Values{"token": {testToken}}, "http://evil.example"); rec.Code != http.StatusForbidden {
		t.Errorf("cross-origin login: %d, want 403", rec.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("token="+testToken))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if rec := httptest.NewRecorder(); func() int { s.ServeHTTP(rec, req); return rec.Code }() != http.StatusForbidden {
		t.Error("cross-site login without Origin accepted")
	}

	rec = postLogin(t, s, url.Values{"token": {testToken}, "next": {"/sources"}}, origin)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sources" {
		t.Fatalf("login: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies = %v", cookies)
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || strings.Contains(c.Value, testToken) {
		t.Errorf("cookie = %+v", c)
	}
	withCookie := func(target string, c *http.Cookie) int {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.AddCookie(c)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := withCookie("/sources", c); code != 200 {
		t.Errorf("UI with session: %d", code)
	}
	if code := withCookie("/api/search?q=acme", c); code != 200 {
		t.Errorf("API with session (the page's own fetches): %d", code)
	}
	forged := *c
	forged.Value = strings.Replace(c.Value, ".", ".0", 1)
	if code := withCookie("/sources", &forged); code != http.StatusSeeOther {
		t.Errorf("forged cookie: %d", code)
	}
	// Changing the token ends every session.
	s.SetToken("a-new-token")
	if code := withCookie("/api/search", c); code != http.StatusUnauthorized {
		t.Errorf("session after a token change: %d", code)
	}
	s.SetToken(testToken)

	// No open redirect.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		rec := postLogin(t, s, url.Values{"token": {testToken}, "next": {next}}, origin)
		if loc := rec.Header().Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
}

func TestSessionExpires(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	v := newSession(testToken, now.Add(time.Hour))
	if !validSession(v, testToken, now) || validSession(v, testToken, now.Add(2*time.Hour)) || validSession(v, "other", now) {
		t.Error("session validity wrong")
	}
	for _, bad := range []string{"", ".", "x.y", "99999999999.", strings.Repeat("9", 300)} {
		if validSession(bad, testToken, now) {
			t.Errorf("accepted %q", bad)
		}
	}
	if !tokenEqual("abc", "abc") || tokenEqual("abc", "abcd") || tokenEqual("", "abc") {
		t.Error("tokenEqual wrong")
	}
}

func TestLoginRateLimit(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), testToken, nil)
	for range authBurst {
		postLogin(t, s, url.Values{"token": {"guess"}}, "")
	}
	rec := postLogin(t, s, url.Values{"token": {testToken}}, "")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("after %d failures: %d", authBurst, rec.Code)
	}
}

func TestLimitsAndHeaders(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), testToken, nil)
	big := url.Values{"token": {strings.Repeat("x", maxBodyBytes+1)}}
	if rec := postLogin(t, s, big, ""); rec.Code != http.StatusBadRequest {
		t.Errorf("oversized login body: %d, want 400", rec.Code)
	}
	rec, body := get(t, s, "/api/search?size=100000&q=acme", "Authorization", "Bearer "+testToken)
	if rec.Code != 200 || !strings.Contains(body, `"size":100`) {
		t.Errorf("size not capped: %d %s", rec.Code, body[:min(len(body), 200)])
	}
	for _, c := range []struct{ target, code string }{
		{"/api/search?q=" + url.QueryEscape("(acme"), "bad_query"},
		{"/api/search?facets=colour", "bad_request"},
		{"/api/search?facets=none,brand", "bad_request"},
		{"/api/search?sentiment=angry", "bad_request"},
		{"/api/export?format=xml", "bad_request"},
		{"/api/export?limit=100001", "bad_request"},
		{"/api/export?q=" + url.QueryEscape(`"open`), "bad_query"},
	} {
		rec, body := get(t, s, c.target, "Authorization", "Bearer "+testToken)
		if rec.Code != 400 || !strings.Contains(body, `"code":"`+c.code+`"`) {
			t.Errorf("%s: %d %s, want 400 %s", c.target, rec.Code, body, c.code)
		}
	}
	rec, _ = get(t, s, "/healthz")
	h := rec.Header()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
		t.Errorf("headers = %v", h)
	}
}

func TestLogout(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), testToken, nil)
	origin := "http://example.com"
	login := postLogin(t, s, url.Values{"token": {testToken}}, origin)
	if login.Code != http.StatusSeeOther || len(login.Result().Cookies()) != 1 {
		t.Fatalf("login: %d %v", login.Code, login.Result().Cookies())
	}
	session := login.Result().Cookies()[0]
	logout := func(origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/logout", nil)
		req.AddCookie(session)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}

	// The signed-in pages offer it; the login form does not.
	req := httptest.NewRequest(http.MethodGet, "/sources", nil)
	req.AddCookie(session)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `action="/logout"`) {
		t.Errorf("signed-in page: %d, sign-out form missing", rec.Code)
	}
	if _, body := get(t, s, "/login"); strings.Contains(body, `action="/logout"`) {
		t.Error("the login form offers to sign out")
	}

	if rec := logout("http://evil.example"); rec.Code != http.StatusForbidden || len(rec.Result().Cookies()) != 0 {
		t.Errorf("cross-origin sign-out: %d %v, want 403 and no cookie", rec.Code, rec.Result().Cookies())
	}
	rec = logout(origin)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("sign-out: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
	cs := rec.Result().Cookies()
	if len(cs) != 1 || cs[0].Name != sessionCookie || cs[0].Value != "" || cs[0].MaxAge >= 0 || !cs[0].HttpOnly {
		t.Errorf("sign-out cookie = %+v, want the session cookie expired", cs)
	}
	// Signing out again, with no session at all, is harmless.
	req = httptest.NewRequest(http.MethodPost, "/logout", nil)
	req.Header.Set("Origin", origin)
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Errorf("sign-out without a session: %d", rec.Code)
	}
}
