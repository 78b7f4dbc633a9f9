package youtube

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

// now is 04:00 in Los Angeles: the quota day resets 20h later.
var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const key = "AIzaSyTestKey-0123456789"

func clock() time.Time { return now }

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

var repo = os.DirFS("../..")

// recorder wraps a handler, counting requests per endpoint and query.
type recorder struct {
	h    http.Handler
	mu   sync.Mutex
	reqs []string // path?query without key
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	q.Del("key")
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, r.URL.Path+"?"+q.Encode())
	rc.mu.Unlock()
	rc.h.ServeHTTP(w, r)
}

func (rc *recorder) count(subs ...string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := 0
	for _, r := range rc.reqs {
		all := true
		for _, sub := range subs {
			all = all && strings.Contains(r, sub)
		}
		if all {
			n++
		}
	}
	return n
}

// serve mounts h under /yt, like the demo mounts the fake under a prefix,
// and returns the base URL and the recorder.
func serve(t *testing.T, h http.Handler) (string, *recorder) {
	t.Helper()
	rc := &recorder{h: h}
	mux := http.NewServeMux()
	mux.Handle("/yt/", http.StripPrefix("/yt", rc))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/yt", rc
}

func fake(opts youtubefake.Options) http.Handler {
	if opts.APIKey == "" {
		opts.APIKey = key
	}
	return youtubefake.New(repo, opts)
}

var accounts = []listener.Account{
	{Brand: "Acme", Handle: "@acme"},
	{Brand: "Globex", Handle: "globex"},
	{Brand: "Initech", Handle: "UCinitechOfficialCh002cc"},
}

// budget is a listener.Budget with a fixed limit that records what it gave.
type budget struct {
	mu          sync.Mutex
	used, limit int
}

func (b *budget) Take(n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return &listener.BudgetError{Used: b.used, Limit: b.limit, Resets: quotaReset(now)}
	}
	b.used += n
	return nil
}

func (b *budget) Usage() listener.BudgetUsage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return listener.BudgetUsage{Used: b.used, Limit: b.limit, Resets: quotaReset(now)}
}

func byID(posts []listener.Post) map[string]listener.Post {
	m := map[string]listener.Post{}
	for _, p := range posts {
		m[p.NativeID] = p
	}
	return m
}
