package naver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/naver/naverfake"
	"github.com/rs/zerolog"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// repoFS is the repository root, where testdata/naver lives.
func repoFS(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, name := range []string{"blog.json", "news.json", "cafearticle.json", "errors/auth_failed.json", "errors/rate_limited.json",
		"errors/system_error.json", "errors/malformed.json", "errors/incorrect_query.json"} {
		b, err := os.ReadFile("../../testdata/naver/" + name)
		if err != nil {
			t.Fatal(err)
		}
		m[naverfake.Dir+"/"+name] = &fstest.MapFile{Data: b}
	}
	return m
}

// recorder counts the requests reaching the fake.
type recorder struct {
	h    http.Handler
	mu   sync.Mutex
	reqs []*http.Request
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, r.Clone(context.Background()))
	rc.mu.Unlock()
	rc.h.ServeHTTP(w, r)
}

func (rc *recorder) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.reqs)
}

// fake starts the fake API mounted under /naver, as the demo does, and
// returns its base URL.
func fake(t *testing.T, fsys fstest.MapFS, opts naverfake.Options) (string, *recorder) {
	t.Helper()
	if fsys == nil {
		fsys = repoFS(t)
	}
	opts.Logger = zerolog.Nop()
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = "id", "secret"
	}
	rc := &recorder{h: http.StripPrefix("/naver", naverfake.New(fsys, opts))}
	mux := http.NewServeMux()
	mux.Handle("/naver/", rc)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/naver", rc
}

func config(base string, queries ...string) Config {
	return Config{BaseURL: base, Queries: queries, ClientID: "id", ClientSecret: "secret", Lookback: 15 * 24 * time.Hour}
}

// budget is an in-memory listener.Budget.
type budget struct {
	mu          sync.Mutex
	used, limit int
}

func (b *budget) Take(n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return &listener.BudgetError{Used: b.used, Limit: b.limit, Resets: now.Add(14 * time.Hour)}
	}
	b.used += n
	return nil
}

func (b *budget) Usage() listener.BudgetUsage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return listener.BudgetUsage{Used: b.used, Limit: b.limit, Resets: now.Add(14 * time.Hour)}
}

func byID(posts []listener.Post) map[string]listener.Post {
	m := map[string]listener.Post{}
	for _, p := range posts {
		m[p.NativeID] = p
	}
	return m
}
