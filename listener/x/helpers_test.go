package x

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
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
	mu   sync.Mutex
	reqs []*http.Request
}

func (f *fakeAPI) base() string { return f.URL + "/x" }

func (f *fakeAPI) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.reqs...)
}

// paths returns the request paths (prefix removed) in order.
func (f *fakeAPI) paths() []string {
	var out []string
	for _, r := range f.requests() {
		out = append(out, strings.TrimPrefix(r.URL.Path, "/x"))
	}
	return out
}

func repoFS() fs.FS { return os.DirFS("../..") }

func newFake(t *testing.T, fsys fs.FS, opts xfake.Options) *fakeAPI {
	t.Helper()
	return newFakeWrap(t, fsys, opts, nil)
}

// newFakeWrap is newFake with the fake served through wrap (nil: as is).
func newFakeWrap(t *testing.T, fsys fs.FS, opts xfake.Options, wrap func(http.Handler) http.Handler) *fakeAPI {
	t.Helper()
	if fsys == nil {
		fsys = repoFS()
	}
	if opts.BearerToken == "" {
		opts.BearerToken = token
	}
	if opts.Clock == nil {
		opts.Clock = clock
	}
	f := &fakeAPI{}
	var h http.Handler = xfake.New(fsys, opts)
	if wrap != nil {
		h = wrap(h)
	}
	h = http.StripPrefix("/x", h)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, r.Clone(r.Context()))
		f.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// withTweet returns the repository fixtures plus one tweet by author
// (a user id from the pool) at created, with text.
func withTweet(t *testing.T, id, authorID, text string, created time.Time) fs.FS {
	t.Helper()
	b, err := os.ReadFile("../../" + xfake.PoolFile)
	if err != nil {
		t.Fatal(err)
	}
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
	out, _ := json.Marshal(pool)
	m := fstest.MapFS{xfake.PoolFile: {Data: out}}
	entries, err := os.ReadDir("../../" + xfake.ErrorsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile("../../" + xfake.ErrorsDir + "/" + e.Name())
		m[xfake.ErrorsDir+"/"+e.Name()] = &fstest.MapFile{Data: b}
	}
	return m
}

// budget is an in-memory listener.Budget.
type budget struct {
	mu          sync.Mutex
	used, limit int
	takes       []int
}

func (b *budget) Take(n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return &listener.BudgetError{Used: b.used, Limit: b.limit, Resets: now.Add(14 * time.Hour)}
	}
	b.used += n
	b.takes = append(b.takes, n)
	return nil
}

func (b *budget) Usage() listener.BudgetUsage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return listener.BudgetUsage{Used: b.used, Limit: b.limit, Resets: now.Add(14 * time.Hour)}
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
