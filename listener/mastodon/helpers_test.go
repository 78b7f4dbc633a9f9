package mastodon

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
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
)

var now = time.Date(2026, 11, 26, 10, 2, 30, 0, time.UTC)

func clock() time.Time { return now }

const lookback = 11 * 24 * time.Hour // reaches the oldest fixture (11-16)

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// counter records the requests a handler sees.
type counter struct {
	mu   sync.Mutex
	reqs []*http.Request
	next http.Handler
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.reqs = append(c.reqs, r.Clone(r.Context()))
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

// count returns how many requests had a path containing sub.
func (c *counter) count(sub string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, r := range c.reqs {
		if strings.Contains(r.URL.Path, sub) {
			n++
		}
	}
	return n
}

// fake starts the fixture server mounted under /mastodon, as the demo does,
// and returns the base URL and the request counter.
func fake(t *testing.T, opts mastodonfake.Options) (string, *counter) {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = clock
	}
	c := &counter{next: http.StripPrefix("/mastodon", mastodonfake.New(os.DirFS("../.."), opts))}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv.URL + "/mastodon", c
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/mastodon/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func byAuthorText(posts []listener.Post, author, sub string) *listener.Post {
	for i := range posts {
		if posts[i].Author == author && strings.Contains(posts[i].Text, sub) {
			return &posts[i]
		}
	}
	return nil
}

func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
