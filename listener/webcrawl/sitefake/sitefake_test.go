package sitefake

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func get(t *testing.T, srv *httptest.Server, path string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestRoutes(t *testing.T) {
	h := New(Options{Logger: zerolog.Nop()})
	srv := httptest.NewServer(http.StripPrefix("/web", h))
	defer srv.Close()
	cases := []struct {
		path, contains string
		code           int
	}{
		{"/web/", "Pack swelling on my Acme X2", 200},
		{"/web/?page=1", "Pack swelling on my Acme X2", 200},
		{"/web/?page=2", "Globex vs Initech", 200},
		{"/web/page/3", "Welcome to Battery Talk", 200},
		{"/web/?page=4", "", 404},
		{"/web/?page=x", "", 404},
		{"/web/posts/welcome.html", "disclose if you work for a vendor", 200},
		{"/web/robots.txt", "Disallow: /private/", 200},
		{"/web/busy", "crawling too fast", 429},
		{"/web/down", "503", 503},
		{"/web/members/inbox.html", "sign in", 401},
		{"/web/../../etc/passwd", "", 404},
		{"/web/nope.html", "", 404},
	}
	for _, c := range cases {
		resp, body := get(t, srv, c.path)
		if resp.StatusCode != c.code || !strings.Contains(body, c.contains) {
			t.Errorf("%s: %d %.80q", c.path, resp.StatusCode, body)
		}
		if c.code == 429 && resp.Header.Get("Retry-After") != "120" {
			t.Errorf("retry-after %q", resp.Header.Get("Retry-After"))
		}
	}
	resp, _ := get(t, srv, "/web/")
	if resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || resp.Header.Get("ETag") == "" {
		t.Errorf("headers %v", resp.Header)
	}
	if r2, _ := get(t, srv, "/web/", "If-None-Match", resp.Header.Get("ETag")); r2.StatusCode != 304 {
		t.Errorf("conditional: %d", r2.StatusCode)
	}
	r, err := http.Post(srv.URL+"/web/", "text/plain", nil)
	if err != nil || r.StatusCode != 405 {
		t.Errorf("post: %v %v", err, r)
	}
}

func TestShift(t *testing.T) {
	srv := httptest.NewServer(New(Options{Shift: 72 * time.Hour}))
	defer srv.Close()
	_, body := get(t, srv, "/")
	for _, want := range []string{
		`datetime="2026-11-28T09:30:00Z"`, `datetime="2026-11-28T03:10:00+09:00"`, ">2026년 11월 26일</time>", ">2026. 11. 25.</time>", ">2026-11-27 10:00</time>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %s", want)
		}
	}
	if !strings.Contains(body, `href="posts/initech-outage-no-connection.html"`) {
		t.Error("links must not be shifted")
	}
	_, body = get(t, srv, "/?page=2")
	if !strings.Contains(body, ">2026.11.23 19:30</time>") {
		t.Error("dotted date with time not shifted")
	}
}

func TestSlowPath(t *testing.T) {
	srv := httptest.NewServer(New(Options{SlowPath: "/?page=2", SlowDelay: time.Hour}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/?page=2", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("slow page answered at once")
	}
	if resp, _ := get(t, srv, "/?page=3"); resp.StatusCode != 200 {
		t.Errorf("other pages must not be slow: %d", resp.StatusCode)
	}
}
