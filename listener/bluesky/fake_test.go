package bluesky

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
)

// testClock is a settable clock shared by the fake, the fetcher and the source.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const (
	ident = "earshot-listener.bsky.social"
	pass  = "abcd-efgh-ijkl-mnop"
)

// env is a fake Bluesky mounted under /bsky, with request counts per method.
type env struct {
	srv   *httptest.Server
	clock *testClock
	mu    sync.Mutex
	calls map[string]int
	reqs  []string
}

func newEnv(t *testing.T, opts blueskyfake.Options) *env {
	t.Helper()
	return newEnvOpts(t, nil, opts)
}

func newEnvFS(t *testing.T, fsys fs.FS) *env {
	t.Helper()
	return newEnvOpts(t, fsys, blueskyfake.Options{})
}

func newEnvOpts(t *testing.T, fsys fs.FS, opts blueskyfake.Options) *env {
	t.Helper()
	return newEnvWrap(t, fsys, opts, nil)
}

// newEnvWrap is newEnvOpts with the fake served through wrap (nil: as is);
// fsys nil serves the fake's own recordings.
func newEnvWrap(t *testing.T, fsys fs.FS, opts blueskyfake.Options, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	opts.FS = fsys
	e := &env{clock: &testClock{t: start}, calls: map[string]int{}}
	opts.Clock = e.clock.Now
	if opts.Identifier == "" {
		opts.Identifier = ident
	}
	if opts.Password == "" {
		opts.Password = pass
	}
	var h http.Handler = blueskyfake.New(opts)
	if wrap != nil {
		h = wrap(h)
	}
	h = http.StripPrefix("/bsky", h)
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.calls[strings.TrimPrefix(r.URL.Path, "/bsky/xrpc/")]++
		e.reqs = append(e.reqs, r.URL.String())
		e.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) count(nsid string) int { e.mu.Lock(); defer e.mu.Unlock(); return e.calls[nsid] }

func (e *env) total() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.reqs)
}

func (e *env) config() Config {
	return Config{
		BaseURL: e.srv.URL + "/bsky/", Identifier: ident, Password: pass,
		Lookback: 11 * 24 * time.Hour,
	}
}

func (e *env) source(cfg Config, b listener.Budget) *Source {
	f := httpx.New(httpx.Options{PerHostInterval: -1, Clock: e.clock.Now})
	return New(cfg, f, e.clock.Now, b)
}

var brands = []listener.Account{
	{Brand: "Acme", Handle: "acme.bsky.social"},
	{Brand: "Globex", Handle: "@globex.bsky.social"},
	{Brand: "Initech", Handle: "initech.bsky.social"},
}

func byText(posts []listener.Post, sub string) *listener.Post {
	for i := range posts {
		if strings.Contains(posts[i].Text, sub) {
			return &posts[i]
		}
	}
	return nil
}

// poolWith is the fake's recordings with extra posts added to posts.json.
func poolWith(t *testing.T, extra ...map[string]any) fs.FS {
	t.Helper()
	m := listenertest.Copy(t, blueskyfake.Recordings())
	var posts []any
	if err := json.Unmarshal(m[blueskyfake.Dir+"/posts.json"].Data, &posts); err != nil {
		t.Fatal(err)
	}
	for _, p := range extra {
		posts = append(posts, p)
	}
	b, err := json.Marshal(posts)
	if err != nil {
		t.Fatal(err)
	}
	m[blueskyfake.Dir+"/posts.json"].Data = b
	return m
}
