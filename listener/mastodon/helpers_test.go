package mastodon

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
)

var now = time.Date(2026, 11, 26, 10, 2, 30, 0, time.UTC)

func clock() time.Time { return now }

const lookback = 11 * 24 * time.Hour // reaches the oldest fixture (11-16)

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// fake starts the fixture server mounted under /mastodon, as the demo does,
// and returns the base URL and the request counter.
func fake(t *testing.T, opts mastodonfake.Options) (string, *listenertest.Recorder) {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = clock
	}
	c := &listenertest.Recorder{Next: http.StripPrefix("/mastodon", mastodonfake.New(opts))}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv.URL + "/mastodon", c
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	return listenertest.ReadFile(t, mastodonfake.Recordings(), mastodonfake.Dir+"/"+name)
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
