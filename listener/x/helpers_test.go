package x

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/x/xfake"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

const token = "AAAAAAAAAAAAAAAAAAAAAEarshotTestToken%2Fabc"

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// fakeAPI is the fake X API mounted under /x, recording requests.
type fakeAPI struct {
	*httptest.Server
	rec *listenertest.Recorder
}

func (f *fakeAPI) base() string { return f.URL + "/x" }

func (f *fakeAPI) requests() []*http.Request { return f.rec.Requests() }

// paths returns the request paths (prefix removed) in order.
func (f *fakeAPI) paths() []string {
	var out []string
	for _, r := range f.requests() {
		out = append(out, strings.TrimPrefix(r.URL.Path, "/x"))
	}
	return out
}

func newFake(t *testing.T, fsys fs.FS, opts xfake.Options) *fakeAPI {
	t.Helper()
	return newFakeWrap(t, fsys, opts, nil)
}

// newFakeWrap is newFake with the fake served through wrap (nil: as is);
// fsys nil serves the fake's own recordings.
func newFakeWrap(t *testing.T, fsys fs.FS, opts xfake.Options, wrap func(http.Handler) http.Handler) *fakeAPI {
	t.Helper()
	opts.FS = fsys
	if opts.BearerToken == "" {
		opts.BearerToken = token
	}
	if opts.Clock == nil {
		opts.Clock = clock
	}
	var h http.Handler = xfake.New(opts)
	if wrap != nil {
		h = wrap(h)
	}
	f := &fakeAPI{rec: &listenertest.Recorder{Next: http.StripPrefix("/x", h)}}
	f.Server = httptest.NewServer(f.rec)
	t.Cleanup(f.Close)
	return f
}

// withTweet returns the fake's recordings plus one tweet by author
// (a user id from the pool) at created, with text.
func withTweet(t *testing.T, id, authorID, text string, created time.Time) fs.FS {
	t.Helper()
	m := listenertest.Copy(t, xfake.Recordings())
	b := m[xfake.PoolFile].Data
	var pool map[string]json.RawMessage
	if err := json.Unmarshal(b, &pool); err != nil {
		t.Fatal(err)
	}
	var data []map[string]any
	if err := json.Unmarshal(pool["data"], &data); err != nil {
		t.Fatal(err)
	}
	data = append(data, map[string]any{
		"id": id, "text": text, "edit_history_tweet_ids": []string{id}, "author_id": authorID, "lang": "en",
		"created_at": created.Format("2006-01-02T15:04:05.000Z"), "conversation_id": id,
		"public_metrics": map[string]int{"retweet_count": 0, "reply_count": 0, "like_count": 1, "quote_count": 0, "bookmark_count": 0, "impression_count": 9},
	})
	pool["data"], _ = json.Marshal(data)
	m[xfake.PoolFile].Data, _ = json.Marshal(pool)
	return m
}

// budget is an in-memory budget of limit units, of which used are spent.
func budget(limit, used int) *listenertest.Budget {
	return &listenertest.Budget{Limit: limit, Used: used, Resets: now.Add(14 * time.Hour)}
}

func decodeCursor(t *testing.T, b []byte) cursor {
	t.Helper()
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("cursor %s: %v", b, err)
	}
	return c
}

// find returns the post by author whose text contains sub.
func find(t *testing.T, posts []listener.Post, author, sub string) listener.Post {
	t.Helper()
	for _, p := range posts {
		if p.Author == author && strings.Contains(p.Text, sub) {
			return p
		}
	}
	t.Fatalf("no post by %q containing %q among %d posts", author, sub, len(posts))
	return listener.Post{}
}

func ids(posts []listener.Post) map[string]bool {
	m := map[string]bool{}
	for _, p := range posts {
		m[p.NativeID] = true
	}
	return m
}

func query(r *http.Request) url.Values { return r.URL.Query() }

func describe(posts []listener.Post) string {
	var b strings.Builder
	for _, p := range posts {
		fmt.Fprintf(&b, "%s @%s %.40q\n", p.NativeID, p.Author, p.Text)
	}
	return b.String()
}

func xfakeOpts() xfake.Options { return xfake.Options{} }
