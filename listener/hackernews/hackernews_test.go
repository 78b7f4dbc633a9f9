package hackernews

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/replay"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// readFixture reads a recorded Algolia answer from testdata/.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hits is the replayed hit pool, from the replay fake's recordings.
func hits(t testing.TB) []byte {
	t.Helper()
	return listenertest.ReadFile(t, replay.Recordings(), replay.HitsFile)
}

// recorder serves fixed bodies by page number and records the queries.
type recorder struct {
	mu    sync.Mutex
	reqs  []*http.Request
	pages map[string][]byte
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, r)
	rc.mu.Unlock()
	b, ok := rc.pages[r.URL.Query().Get("page")]
	if !ok || r.URL.Path != "/api/v1/search_by_date" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func TestFetchTwoPages(t *testing.T) {
	rc := &recorder{pages: map[string][]byte{"0": readFixture(t, "page0.json"), "1": readFixture(t, "page1.json")}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	s := New(Config{BaseURL: srv.URL + "/", Queries: []string{"Acme"}, HitsPerPage: 6, Lookback: 10 * 24 * time.Hour}, fetcher(), clock)
	posts, next, err := s.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 12 || len(rc.reqs) != 2 {
		t.Fatalf("got %d posts in %d requests, want 12 in 2", len(posts), len(rc.reqs))
	}
	q := rc.reqs[1].URL.Query()
	want := map[string]string{
		"query": "Acme", "tags": "(story,comment)", "hitsPerPage": "6", "page": "1",
		"numericFilters": "created_at_i>=" + itoa(now.Add(-10*24*time.Hour).Unix()),
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("param %s = %q, want %q", k, q.Get(k), v)
		}
	}
	var cur cursor
	if err := json.Unmarshal(next, &cur); err != nil {
		t.Fatal(err)
	}
	newest := posts[0].Published.Unix()
	if st := cur.Queries["Acme"]; st.Since != newest || len(st.IDs) != 1 || st.IDs[0] != posts[0].NativeID {
		t.Fatalf("cursor %+v, want since %d id %s", st, newest, posts[0].NativeID)
	}
	if s.Name() != "hackernews" || s.Network() != "hackernews" {
		t.Fatal("name/network")
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func replayServer(t *testing.T, fsys fstest.MapFS) *httptest.Server {
	t.Helper()
	opts := replay.Options{}
	if fsys != nil {
		opts.FS = fsys
	}
	srv := httptest.NewServer(replay.New(opts))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchMappingFromPool(t *testing.T) {
	srv := replayServer(t, nil)
	s := New(Config{BaseURL: srv.URL, Queries: []string{"Acme", "Initech", "아크미"}, HitsPerPage: 7, Lookback: 15 * 24 * time.Hour}, fetcher(), clock)
	posts, _, err := s.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := listenertest.ByID(posts)
	if len(m) != len(posts) {
		t.Fatalf("duplicate posts across queries: %d unique of %d", len(m), len(posts))
	}
	var story, ask, comment, pre *listener.Post
	for i := range posts {
		p := &posts[i]
		switch {
		case strings.HasPrefix(p.Title, "Acme unveils"):
			story = p
		case strings.HasPrefix(p.Title, "Ask HN: Anyone else seeing Initech"):
			ask = p
		case p.Author == "cellchem":
			comment = p
		case p.Author == "hwhacker" && strings.Contains(p.Text, "CAN frames"):
			pre = p
		}
		if strings.ContainsAny(p.Text, "<>") && !strings.Contains(p.Text, "> only") {
			t.Errorf("%s: HTML left in text %q", p.NativeID, p.Text)
		}
		if strings.Contains(p.Text, "&#x") || strings.Contains(p.Text, "&amp;") {
			t.Errorf("%s: entity left in text %q", p.NativeID, p.Text)
		}
		if p.URL != "https://news.ycombinator.com/item?id="+p.NativeID || p.Network != "hackernews" || p.Published.IsZero() {
			t.Errorf("%s: bad post %+v", p.NativeID, p)
		}
	}
	if story == nil || ask == nil || comment == nil || pre == nil {
		t.Fatalf("missing expected posts: story %v ask %v comment %v pre %v", story != nil, ask != nil, comment != nil, pre != nil)
	}
	if story.Text != "https://www.acme.com/blog/solid-state-pack" || story.Engagement["points"] != 412 || story.Engagement["num_comments"] != 187 {
		t.Errorf("link story: %+v", story)
	}
	if !strings.Contains(ask.Text, "We've had three P1 tickets") || !strings.Contains(ask.Text, "\n\nIs this just us?") {
		t.Errorf("ask text: %q", ask.Text)
	}
	if comment.Title != "" || comment.ParentTitle != "Acme unveils solid-state battery pack with 1,200-cycle warranty" || comment.Engagement != nil {
		t.Errorf("comment: title %q engagement %v", comment.Title, comment.Engagement)
	}
	if !strings.Contains(comment.Text, "Acme's fine print") {
		t.Errorf("comment text %q", comment.Text)
	}
	if !strings.Contains(pre.Text, "  0x1A4  pack_temp           0.1 / degC\n") || !strings.Contains(pre.Text, "C&D") {
		t.Errorf("pre text %q", pre.Text)
	}
}

func TestCursorBoundarySecond(t *testing.T) {
	pool := hits(t)
	var hits []map[string]any
	if err := json.Unmarshal(pool, &hits); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{replay.HitsFile: {Data: pool}}
	srv := replayServer(t, fsys)
	s := New(Config{BaseURL: srv.URL, Queries: []string{"Acme"}, HitsPerPage: 5, Lookback: 15 * 24 * time.Hour}, fetcher(), clock)
	ctx := context.Background()
	first, cur, err := s.Fetch(ctx, nil)
	if err != nil || len(first) == 0 {
		t.Fatalf("first fetch: %d posts, %v", len(first), err)
	}
	again, cur2, err := s.Fetch(ctx, cur)
	if err != nil || len(again) != 0 {
		t.Fatalf("second fetch returned %d posts (%v), want none", len(again), err)
	}

	// A new comment lands in the same second as the newest one seen.
	newest := first[0]
	extra := map[string]any{
		"_tags": []string{"comment", "author_late", "story_1"}, "author": "late", "comment_text": "Acme late reply",
		"created_at": newest.Published.Format("2006-01-02T15:04:05.000Z"), "created_at_i": newest.Published.Unix(),
		"objectID": "99999999", "story_title": "Acme thing", "title": nil, "points": nil, "num_comments": nil,
	}
	hits = append(hits, extra)
	b, _ := json.Marshal(hits)
	srv2 := replayServer(t, fstest.MapFS{replay.HitsFile: {Data: b}})
	s2 := New(Config{BaseURL: srv2.URL, Queries: []string{"Acme"}, HitsPerPage: 5}, fetcher(), clock)
	got, cur3, err := s2.Fetch(ctx, cur2)
	if err != nil || len(got) != 1 || got[0].NativeID != "99999999" || got[0].ParentTitle != "Acme thing" {
		t.Fatalf("boundary fetch: %+v %v", got, err)
	}
	if got, _, err := s2.Fetch(ctx, cur3); err != nil || len(got) != 0 {
		t.Fatalf("after boundary: %d posts, %v", len(got), err)
	}
}

func TestErrors(t *testing.T) {
	malformed := readFixture(t, "malformed.json")
	empty := readFixture(t, "empty.json")
	var mu sync.Mutex
	calls := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("query")
		mu.Lock()
		calls[q]++
		mu.Unlock()
		switch q {
		case "slow":
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"message":"Too many requests","status":429}`))
		case "broken":
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
		case "garbled":
			_, _ = w.Write(malformed)
		default:
			_, _ = w.Write(empty)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	prev, _ := json.Marshal(cursor{Queries: map[string]queryState{"broken": {Since: 100, IDs: []string{"7"}}, "after": {Since: 200}}})

	s := New(Config{BaseURL: srv.URL, Queries: []string{"ok", "broken", "garbled", "slow", "after"}}, fetcher(), clock)
	posts, next, err := s.Fetch(ctx, prev)
	if err == nil || next == nil || len(posts) != 0 {
		t.Fatalf("want partial result with error, got %d posts next=%s err=%v", len(posts), next, err)
	}
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 502 {
		t.Fatalf("want 502 HTTPError in %v", err)
	}
	msg := err.Error()
	for _, want := range []string{`query "broken"`, `query "garbled"`, "decode " + srv.URL, "unexpected end of JSON", "retry after 30s", `query "slow"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if calls["after"] != 0 {
		t.Errorf("query after a 429 was still sent")
	}
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	if cur.Queries["broken"].Since != 100 || cur.Queries["after"].Since != 200 || cur.Queries["ok"].Since != now.Add(-DefaultLookback).Unix() {
		t.Errorf("cursor: %+v", cur)
	}
	if _, ok := cur.Queries["garbled"]; ok {
		t.Errorf("failed first-run query got a cursor")
	}

	// Only a 429: no posts, no cursor, an HTTPError with the wait.
	s = New(Config{BaseURL: srv.URL, Queries: []string{"slow"}}, fetcher(), clock)
	posts, next, err = s.Fetch(ctx, nil)
	if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != 30*time.Second || next != nil || posts != nil {
		t.Fatalf("429: %v %s %v", err, next, posts)
	}

	if _, _, err := New(Config{BaseURL: srv.URL}, fetcher(), clock).Fetch(ctx, nil); err == nil {
		t.Fatal("no queries: want error")
	}
	if _, _, err := New(Config{BaseURL: srv.URL, Queries: []string{"ok"}}, fetcher(), clock).Fetch(ctx, []byte("{bad")); err == nil {
		t.Fatal("bad cursor: want error")
	}
}

func TestNullsAndJunk(t *testing.T) {
	body := `{"hits":[
	 {"objectID":"1","author":null,"created_at":"2026-11-25T10:00:00.000Z","created_at_i":null,"title":null,"url":null,"story_text":null,"points":null,"num_comments":null,"_tags":null},
	 {"objectID":"","created_at_i":1795600000},
	 {"objectID":"not-a-number","created_at_i":1795600000},
	 {"objectID":"2"},
	 {"objectID":"3","created_at_i":1795600001,"comment_text":"<p>x","story_title":null,"_highlightResult":{"comment_text":{"value":"<em>x</em>","matchLevel":"full"}}},
	 {"objectID":"3","created_at_i":1795600001,"comment_text":"dup"}
	],"nbHits":6,"page":0,"nbPages":1,"hitsPerPage":100}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }))
	defer srv.Close()
	posts, _, err := New(Config{BaseURL: srv.URL, Queries: []string{"x"}}, fetcher(), clock).Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || posts[0].NativeID != "1" || posts[1].NativeID != "3" {
		t.Fatalf("posts %+v", posts)
	}
	if !posts[0].Published.Equal(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) || posts[0].Engagement != nil || posts[0].Title != "" {
		t.Fatalf("null story %+v", posts[0])
	}
	if posts[1].Title != "" || posts[1].Text != "x" {
		t.Fatalf("comment without story title %+v", posts[1])
	}
}

func FuzzDecodeHits(f *testing.F) {
	for _, n := range []string{"page0.json", "page1.json", "empty.json", "malformed.json"} {
		f.Add(readFixture(f, n))
	}
	f.Add([]byte(`{"hits":[{"objectID":"1","created_at_i":-5,"points":1e99}],"nbPages":-1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeResponse(b)
		if err != nil {
			return
		}
		for i := range r.Hits {
			h := &r.Hits[i]
			c, ok := h.created()
			if !ok || !validID(h.ObjectID) {
				continue
			}
			p := h.toPost(c)
			if p.NativeID == "" || !strings.HasPrefix(p.URL, "https://news.ycombinator.com/item?id=") {
				t.Fatalf("bad post %+v", p)
			}
		}
	})
}
