package httpx

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func fixed() time.Time { return t0 }

func newTest(opts Options) *Fetcher {
	if opts.PerHostInterval == 0 {
		opts.PerHostInterval = -1
	}
	if opts.Clock == nil {
		opts.Clock = fixed
	}
	return New(opts)
}

func TestGetOKSendsHeaders(t *testing.T) {
	var gotUA, gotINM string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotINM = r.Header.Get("User-Agent"), r.Header.Get("If-None-Match")
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write([]byte("hello"))
	}))
	defer srv.Close()
	f := newTest(Options{UserAgent: UserAgent("0.1", "https://example.org/bot")})
	resp, err := f.Get(context.Background(), srv.URL+"/x", http.Header{"If-None-Match": {`"v0"`}})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "hello" || resp.StatusCode != 200 || resp.Header.Get("ETag") != `"v1"` {
		t.Fatalf("bad response %+v", resp)
	}
	if gotUA != "Earshot/0.1 (+https://example.org/bot)" || gotINM != `"v0"` {
		t.Fatalf("headers: ua=%q inm=%q", gotUA, gotINM)
	}
}

func TestUserAgent(t *testing.T) {
	if got := UserAgent("0.1", ""); got != "Earshot/0.1" {
		t.Fatal(got)
	}
	if got := UserAgent("", "ops@example.org"); got != "Earshot/0.1 (+ops@example.org)" {
		t.Fatal(got)
	}
}

func TestNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	resp, err := newTest(Options{}).Get(context.Background(), srv.URL, nil)
	if err != nil || resp.StatusCode != 304 || len(resp.Body) != 0 {
		t.Fatalf("got %+v, %v", resp, err)
	}
}

func TestErrors(t *testing.T) {
	long := strings.Repeat("x", 2000)
	cases := []struct {
		name   string
		status int
		header map[string]string
		body   string
		retry  time.Duration
	}{
		{"429 delta", 429, map[string]string{"Retry-After": "120"}, `{"message":"slow down"}`, 2 * time.Minute},
		{"503 http-date", 503, map[string]string{"Retry-After": t0.Add(90 * time.Second).Format(http.TimeFormat)}, "busy", 90 * time.Second},
		{"429 ratelimit reset seconds", 429, map[string]string{"X-Ratelimit-Reset": "42"}, "", 42 * time.Second},
		{"429 ratelimit reset unix", 429, map[string]string{"X-RateLimit-Reset": "1795694400"}, "", time.Unix(1795694400, 0).Sub(t0)},
		{"429 x rate limit reset", 429, map[string]string{"x-rate-limit-reset": "1795694400"}, "", time.Unix(1795694400, 0).Sub(t0)},
		{"429 bluesky ratelimit-reset", 429, map[string]string{"RateLimit-Reset": "1795694400"}, "", time.Unix(1795694400, 0).Sub(t0)},
		{"500 reset ignored", 500, map[string]string{"X-RateLimit-Reset": "42"}, long, 0},
		{"404 no wait", 404, nil, "not found", 0},
		{"429 garbage header", 429, map[string]string{"Retry-After": "soon"}, "", 0},
		{"429 huge capped", 429, map[string]string{"Retry-After": "999999999999"}, "", maxRetryAfter},
		{"429 past date", 429, map[string]string{"Retry-After": t0.Add(-time.Hour).Format(http.TimeFormat)}, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range c.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(c.status)
				_, _ = w.Write([]byte(c.body))
			}))
			defer srv.Close()
			_, err := newTest(Options{}).Get(context.Background(), srv.URL+"/p", nil)
			var he *listener.HTTPError
			if !errors.As(err, &he) {
				t.Fatalf("want *listener.HTTPError, got %T %v", err, err)
			}
			if he.StatusCode != c.status || he.RetryAfter != c.retry || he.URL != srv.URL+"/p" {
				t.Fatalf("got status %d retry %s url %s", he.StatusCode, he.RetryAfter, he.URL)
			}
			wantBody := c.body
			if len(wantBody) > errorBodyLimit {
				wantBody = wantBody[:errorBodyLimit]
			}
			if he.Body != wantBody {
				t.Fatalf("body %q", he.Body)
			}
		})
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

func TestGzipAndCaps(t *testing.T) {
	plain := []byte(strings.Repeat("feed ", 100))
	bomb := gz(make([]byte, 50<<20)) // 50 MB of zeros, ~50 KB compressed
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gz":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz(plain))
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb)
		case "/big":
			_, _ = w.Write(make([]byte, 2048))
		case "/exact":
			_, _ = w.Write(make([]byte, 1024))
		case "/badgz":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write([]byte("not gzip at all"))
		}
	}))
	defer srv.Close()
	f := newTest(Options{MaxBody: 1024})
	ctx := context.Background()
	resp, err := f.Get(ctx, srv.URL+"/gz", nil)
	if err != nil || !bytes.Equal(resp.Body, plain) {
		t.Fatalf("gzip: %v %+v", err, resp)
	}
	for _, p := range []string{"/bomb", "/big"} {
		if _, err := f.Get(ctx, srv.URL+p, nil); !errors.Is(err, ErrBodyTooLarge) {
			t.Fatalf("%s: want ErrBodyTooLarge, got %v", p, err)
		}
	}
	if resp, err := f.Get(ctx, srv.URL+"/exact", nil); err != nil || len(resp.Body) != 1024 {
		t.Fatalf("exact cap: %v", err)
	}
	if _, err := f.Get(ctx, srv.URL+"/badgz", nil); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Fatalf("bad gzip: %v", err)
	}
}

func TestBadURL(t *testing.T) {
	f := newTest(Options{})
	for _, u := range []string{"ftp://x/y", "::", "http://"} {
		if _, err := f.Get(context.Background(), u, nil); err == nil {
			t.Fatalf("%q: want error", u)
		}
	}
}

// TestPerHostInterval uses a fake clock that never advances, so the only way
// a second request can go out is by waiting the whole interval on the timer;
// cancelling the context must end that wait.
func TestPerHostInterval(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
	}))
	defer srv.Close()
	f := New(Options{PerHostInterval: time.Hour, Clock: fixed})
	if _, err := f.Get(context.Background(), srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.Get(ctx, srv.URL, nil)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits != 1 {
		t.Fatalf("second request reached the server: hits=%d", hits)
	}
}

func TestPerHostIntervalSchedules(t *testing.T) {
	now := t0
	f := New(Options{PerHostInterval: 2 * time.Second, Clock: func() time.Time { return now }})
	// Book three slots on one host and one on another without sleeping:
	// inspect the booked times.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = f.wait(context.Background(), "a:1")
	_ = f.wait(ctx, "a:1")
	_ = f.wait(ctx, "a:1")
	_ = f.wait(context.Background(), "b:1")
	if got := f.next["a:1"].Sub(t0); got != 6*time.Second {
		t.Fatalf("host a next slot at +%s, want +6s", got)
	}
	if got := f.next["b:1"].Sub(t0); got != 2*time.Second {
		t.Fatalf("host b next slot at +%s, want +2s", got)
	}
	now = t0.Add(time.Minute)
	if err := f.wait(context.Background(), "a:1"); err != nil {
		t.Fatalf("after the gap no wait expected: %v", err)
	}
}

func TestDoPostsBody(t *testing.T) {
	var got, ctype, method string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got, ctype, method = string(b), r.Header.Get("Content-Type"), r.Method
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	f := newTest(Options{})
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	resp, err := f.Do(context.Background(), http.MethodPost, srv.URL+"/token", h, []byte("grant_type=client_credentials"))
	if err != nil {
		t.Fatal(err)
	}
	if method != "POST" || got != "grant_type=client_credentials" || ctype != "application/x-www-form-urlencoded" || string(resp.Body) != `{"ok":true}` {
		t.Errorf("method %s body %q ctype %q resp %q", method, got, ctype, resp.Body)
	}
}
