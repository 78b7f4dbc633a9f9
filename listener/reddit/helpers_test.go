package reddit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/reddit/redditfake"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// clock is a settable test clock shared by the source and the fake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// env is a fake Reddit mounted under /reddit plus a matching Config.
type env struct {
	fake  *redditfake.Server
	srv   *httptest.Server
	clock *clock
	cfg   Config
	f     *httpx.Fetcher
}

const (
	testID     = "p-jq8SFa3nB1kQ"
	testSecret = "dZk2vW9x_secret"
)

func baseConfig() Config {
	return Config{
		Name: "reddit-test", Queries: []string{"Acme", "Globex", "이니텍"},
		Accounts: []listener.Account{{Brand: "Acme", Handle: "acme"}, {Brand: "Globex", Handle: "u/globex"}, {Brand: "Initech", Handle: "initech"}},
		Lookback: 11 * 24 * time.Hour, ClientID: testID, ClientSecret: testSecret,
		AppID: "earshot", Username: "acme_marketing", Version: "0.1.0", Platform: "linux",
	}
}

func newEnv(t *testing.T, opts redditfake.Options, mod func(*Config)) *env {
	t.Helper()
	e := &env{clock: &clock{t: t0}, cfg: baseConfig()}
	if mod != nil {
		mod(&e.cfg)
	}
	opts.ClientID, opts.ClientSecret = testID, testSecret
	opts.UserAgent = "linux:earshot:0.1.0 (by /u/acme_marketing)"
	if opts.Clock == nil {
		opts.Clock = e.clock.Now
	}
	e.fake = redditfake.New(opts)
	mux := http.NewServeMux()
	mux.Handle("/reddit/", http.StripPrefix("/reddit", e.fake))
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.cfg.BaseURL = e.srv.URL + "/reddit"
	e.cfg.AuthURL = e.srv.URL + "/reddit/"
	// httpx overrides a caller-set User-Agent, so the fetcher carries Reddit's.
	e.f = httpx.New(httpx.Options{UserAgent: e.cfg.UserAgent(), PerHostInterval: -1, Clock: e.clock.Now})
	return e
}

func (e *env) source(b listener.Budget) *Source { return New(e.cfg, e.f, e.clock.Now, b) }

func ids(posts []listener.Post) []string {
	out := make([]string, 0, len(posts))
	for _, p := range posts {
		out = append(out, p.NativeID)
	}
	sort.Strings(out)
	return out
}

// allIDs is what baseConfig finds in the fixtures at t0.
var allIDs = sorted(
	"1r0x2ka", "1qw4b7n", "1qu9f2c", "1r1c5wq", "1qw6h0t", "1qvb2r8", "1qz0d9e", "1qx3s6f", "1qtz5nh", "1qt4e8r",
	"1r2d8xs", "1qx9t2u", "1r3f1yv", "1r0b6gh", "1r0b6gk", "1qy0p5j",
	"nf3k7qa", "nex9d1b", "nev1q4c", "nf0m2wd", "new4c7e", "nezr8kk", "nfb3d4e")

func sorted(s ...string) []string { sort.Strings(s); return s }

func fetch(t *testing.T, s *Source, cur []byte) ([]listener.Post, []byte) {
	t.Helper()
	posts, next, err := s.Fetch(context.Background(), cur)
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if next == nil {
		t.Fatal("nil cursor")
	}
	return posts, next
}

// budget allows limit units, resetting 12 hours after t0.
func budget(limit int) *listenertest.Budget {
	return &listenertest.Budget{Limit: limit, Resets: t0.Add(12 * time.Hour)}
}
