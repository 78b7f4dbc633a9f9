package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/replay"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

func fetcher() *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: clock})
}

// server wraps the replay server and records conditional headers.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	inm  map[string]string
	code map[string]int
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{inm: map[string]string{}, code: map[string]int{}}
	rp := replay.New(replay.Options{})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.inm[r.URL.Path] = r.Header.Get("If-None-Match")
		s.mu.Unlock()
		if r.URL.Path == "/rss/down.xml" {
			http.Error(w, "upstream timeout", http.StatusGatewayTimeout)
			return
		}
		rw := &codeWriter{ResponseWriter: w}
		rp.ServeHTTP(rw, r)
		s.mu.Lock()
		s.code[r.URL.Path] = rw.code
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	return s
}

type codeWriter struct {
	http.ResponseWriter
	code int
}

func (c *codeWriter) WriteHeader(code int) { c.code = code; c.ResponseWriter.WriteHeader(code) }

func fetchAll(t *testing.T, srv *server, files ...string) ([]listener.Post, []byte, error) {
	t.Helper()
	var urls []string
	for _, f := range files {
		urls = append(urls, srv.URL+"/rss/"+f)
	}
	s := New(Config{URLs: urls, Lookback: 30 * 24 * time.Hour}, fetcher(), clock)
	return s.Fetch(context.Background(), nil)
}

// parse decodes a feed body served without a Content-Type; see parseFeed.
func parse(body []byte, feedURL string, now time.Time) ([]item, error) {
	return parseFeed(body, "", feedURL, now)
}

// find returns the post whose NativeID is, or whose title starts with, key.
func find(t *testing.T, ps []listener.Post, key string) listener.Post {
	t.Helper()
	for _, p := range ps {
		if p.NativeID == key || strings.HasPrefix(p.Title, key) {
			return p
		}
	}
	t.Fatalf("no post %q", key)
	return listener.Post{}
}

func TestFormats(t *testing.T) {
	srv := newServer(t)
	cases := []struct {
		file  string
		n     int
		check func(t *testing.T, ps []listener.Post)
	}{
		{"techblog.xml", 11, func(t *testing.T, ps []listener.Post) {
			p := find(t, ps, "Benchmarking home batteries")
			if p.Title != "Benchmarking home batteries: Acme, Globex and Initech compared" || p.AuthorName != "Mara Lindqvist" ||
				p.URL != "https://blog.example.dev/benchmarking-home-batteries/" || p.NativeID != "https://blog.example.dev/?p=4100" || p.Lang != "en" {
				t.Errorf("post %+v", p)
			}
			if !strings.Contains(p.Text, "Acme’s unit held 98.1% capacity") || !strings.Contains(p.Text, "Full data & scripts on GitHub.") {
				t.Errorf("text %q", p.Text)
			}
			if p.Published.Location() != time.UTC || p.Published.IsZero() {
				t.Errorf("published %v", p.Published)
			}
			var undated *listener.Post
			for i := range ps {
				if strings.Contains(ps[i].Title, "LFP state-of-charge") {
					undated = &ps[i]
				}
			}
			if undated == nil || !undated.Published.Equal(now) {
				t.Errorf("undated item should carry the fetch time: %+v", undated)
			}
			var code *listener.Post
			for i := range ps {
				if strings.Contains(ps[i].Title, "Why we left Globex") {
					code = &ps[i]
				}
			}
			if code == nil || !strings.Contains(code.Text, "terraform state mv globex_bucket.main acme_bucket.main") {
				t.Errorf("pre code text lost: %+v", code)
			}
		}},
		{"atom.xml", 10, func(t *testing.T, ps []listener.Post) {
			p := find(t, ps, "tag:engineering.globex.com,2026:posts/postmortem-2026-11-20")
			if p.NativeID != "tag:engineering.globex.com,2026:posts/postmortem-2026-11-20" || p.URL != "https://engineering.globex.com/postmortem-2026-11-20" ||
				p.AuthorName != "Globex SRE" || !strings.Contains(p.Text, "six hours of telemetry") {
				t.Errorf("post %+v", p)
			}
			for _, p := range ps {
				if strings.HasPrefix(p.Title, "Status page migration") && (p.Published.Equal(now) || p.Published.IsZero()) {
					t.Errorf("entry without <published> should use <updated>: %v", p.Published)
				}
			}
		}},
		{"jsonfeed.json", 10, func(t *testing.T, ps []listener.Post) {
			p := find(t, ps, "https://www.initech.com/news/900")
			if p.NativeID != "https://www.initech.com/news/900" || !strings.HasPrefix(p.URL, "https://www.initech.com/news/900-") ||
				p.Text != "Affected customers will receive a 20% credit automatically." || p.AuthorName != "Initech Newsroom" {
				t.Errorf("post %+v", p)
			}
			last := find(t, ps, "Holiday support schedule")
			if last.NativeID != last.URL || last.NativeID == "" {
				t.Errorf("item without id should be keyed by its url: %+v", last)
			}
			for _, p := range ps {
				if strings.HasPrefix(p.Title, "Initech at the Energy") && p.Text != "We skipped the summit to focus on reliability work." {
					t.Errorf("content_text item: %q", p.Text)
				}
			}
		}},
		{"googlenews_ko.xml", 15, func(t *testing.T, ps []listener.Post) {
			p := find(t, ps, "아크미, 전고체 배터리 팩 공개")
			if p.Title != "아크미, 전고체 배터리 팩 공개…1200회 충전 보증" || p.AuthorName != "조선비즈" || p.Author != "biz.chosun.com" || p.Lang != "ko" {
				t.Errorf("post %+v", p)
			}
			if p.Text != p.Title || !strings.HasPrefix(p.URL, "https://news.google.com/rss/articles/CBMi") || strings.HasPrefix(p.NativeID, "http") {
				t.Errorf("text %q url %q id %q", p.Text, p.URL, p.NativeID)
			}
			for _, p := range ps {
				if strings.HasSuffix(p.Title, p.AuthorName) || p.AuthorName == "" {
					t.Errorf("publisher not stripped: %q / %q", p.Title, p.AuthorName)
				}
			}
		}},
		{"googlealerts.xml", 10, func(t *testing.T, ps []listener.Post) {
			for _, p := range ps {
				if strings.Contains(p.URL, "google.com") || !strings.HasPrefix(p.URL, "https://") || strings.Contains(p.Title, "<b>") || strings.Contains(p.Text, "<b>") {
					t.Errorf("alert not cleaned: %+v", p)
				}
				if p.AuthorName != "" {
					t.Errorf("author %q", p.AuthorName)
				}
			}
			p := find(t, ps, "Acme recalls 12,000 chargers")
			if p.URL != "https://www.reuters.com/business/acme-recall-chargers-2026-11-22/" || p.Title != "Acme recalls 12,000 chargers over overheating risk" {
				t.Errorf("first alert %+v", p)
			}
			if !strings.HasSuffix(p.Text, "overheating ...") {
				t.Errorf("alert text %q", p.Text)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			ps, next, err := fetchAll(t, srv, c.file)
			if err != nil || next == nil {
				t.Fatalf("fetch: %v", err)
			}
			if len(ps) != c.n {
				t.Fatalf("%d posts, want %d", len(ps), c.n)
			}
			ids := map[string]bool{}
			for _, p := range ps {
				if p.Network != "rss" || p.NativeID == "" || ids[p.NativeID] || p.Title == "" {
					t.Fatalf("bad or duplicate post %+v", p)
				}
				ids[p.NativeID] = true
			}
			c.check(t, ps)
		})
	}
}

func TestConditionalAndNoDuplicates(t *testing.T) {
	srv := newServer(t)
	s := New(Config{URLs: []string{srv.URL + "/rss/techblog.xml", srv.URL + "/rss/atom.xml"}, Lookback: 30 * 24 * time.Hour}, fetcher(), clock)
	ctx := context.Background()
	first, cur, err := s.Fetch(ctx, nil)
	if err != nil || len(first) != 21 {
		t.Fatalf("first: %d posts, %v", len(first), err)
	}
	second, cur2, err := s.Fetch(ctx, cur)
	if err != nil || len(second) != 0 {
		t.Fatalf("second: %d posts, %v", len(second), err)
	}
	if srv.inm["/rss/techblog.xml"] == "" || srv.code["/rss/techblog.xml"] != http.StatusNotModified {
		t.Fatalf("no conditional GET: inm %q code %d", srv.inm["/rss/techblog.xml"], srv.code["/rss/techblog.xml"])
	}
	if string(cur2) != string(cur) {
		t.Fatalf("304 changed the cursor")
	}
	// Without validators the feed is downloaded again, but the seen keys
	// still keep every item from coming back.
	var c cursor
	_ = json.Unmarshal(cur, &c)
	for _, st := range c.Feeds {
		st.ETag, st.LastModified = "", ""
		if st.Keys == "" {
			t.Fatal("no seen keys in cursor")
		}
	}
	stripped, _ := json.Marshal(c)
	third, _, err := s.Fetch(ctx, stripped)
	if err != nil || len(third) != 0 || srv.code["/rss/atom.xml"] != http.StatusOK {
		t.Fatalf("refetch without validators: %d posts, %v, code %d", len(third), err, srv.code["/rss/atom.xml"])
	}
}

func TestLookbackFirstRun(t *testing.T) {
	srv := newServer(t)
	s := New(Config{URLs: []string{srv.URL + "/rss/atom.xml"}, Lookback: 24 * time.Hour}, fetcher(), clock)
	ps, cur, err := s.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) == 0 || len(ps) >= 10 {
		t.Fatalf("lookback kept %d of 10", len(ps))
	}
	for _, p := range ps {
		if p.Published.Before(now.Add(-24 * time.Hour)) {
			t.Fatalf("old item returned %v", p.Published)
		}
	}
	// The old items are below the floor (now - lookback), so they are not
	// remembered one by one and still never come back.
	var c cursor
	_ = json.Unmarshal(cur, &c)
	st := c.Feeds[srv.URL+"/rss/atom.xml"]
	if st.Floor != now.Add(-24*time.Hour).Unix() || len(load(st, now, now).at) != len(ps) {
		t.Fatalf("floor %d, %d records for %d posts", st.Floor, len(load(st, now, now).at), len(ps))
	}
	st.ETag, st.LastModified = "", ""
	stripped, _ := json.Marshal(c)
	if again, _, err := s.Fetch(context.Background(), stripped); err != nil || len(again) != 0 {
		t.Fatalf("refetch: %d posts, %v", len(again), err)
	}
}

func TestPartialFailure(t *testing.T) {
	srv := newServer(t)
	good, broken, down := srv.URL+"/rss/jsonfeed.json", srv.URL+"/rss/broken.xml", srv.URL+"/rss/down.xml"
	prev, _ := json.Marshal(cursor{Feeds: map[string]*feedState{down: {ETag: `"old"`, Seen: []string{"k"}}, "http://gone.example/feed": {ETag: "x"}}})
	s := New(Config{URLs: []string{broken, good, down}, Lookback: 30 * 24 * time.Hour}, fetcher(), clock)
	ps, next, err := s.Fetch(context.Background(), prev)
	if len(ps) != 10 || next == nil || err == nil {
		t.Fatalf("want 10 posts, cursor and error; got %d, %s, %v", len(ps), next, err)
	}
	for _, want := range []string{broken, down, "parse feed", "http 504"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 504 {
		t.Errorf("504 not reachable with errors.As: %v", err)
	}
	var c cursor
	_ = json.Unmarshal(next, &c)
	if c.Feeds[good] == nil || c.Feeds[broken] != nil || c.Feeds[down] == nil || c.Feeds[down].ETag != `"old"` || len(c.Feeds) != 2 {
		t.Fatalf("cursor %s", next)
	}
	// every URL failing: no cursor at all
	ps, next, err = New(Config{URLs: []string{broken, down}}, fetcher(), clock).Fetch(context.Background(), nil)
	if ps != nil || next != nil || err == nil {
		t.Fatalf("all failed: %v %s %v", ps, next, err)
	}
}

func TestBadInput(t *testing.T) {
	srv := newServer(t)
	if _, _, err := New(Config{}, fetcher(), clock).Fetch(context.Background(), nil); err == nil {
		t.Fatal("no urls: want error")
	}
	if _, _, err := New(Config{URLs: []string{srv.URL + "/rss/atom.xml"}}, fetcher(), clock).Fetch(context.Background(), []byte("[")); err == nil {
		t.Fatal("bad cursor: want error")
	}
	_, _, err := New(Config{URLs: []string{srv.URL + "/rss/nope.xml"}}, fetcher(), clock).Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 404 {
		t.Fatalf("404: %v", err)
	}
}

// One feed longer than the records a URL keeps: the oldest records are
// dropped and the floor rises to them, so nothing comes back.
func TestSeenBounded(t *testing.T) {
	var items strings.Builder
	for i := 0; i < MaxSeen+300; i++ {
		fmt.Fprintf(&items, "<item><title>t%d</title><guid>g%d</guid><pubDate>%s</pubDate></item>", i, i, now.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	}
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>` + items.String() + `</channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }))
	defer srv.Close()
	s := New(Config{URLs: []string{srv.URL}, MaxItems: MaxSeen + 300, Lookback: 30 * 24 * time.Hour}, fetcher(), clock)
	ps, cur, err := s.Fetch(context.Background(), nil)
	if err != nil || len(ps) != MaxSeen+300 {
		t.Fatalf("%d posts, %v", len(ps), err)
	}
	var c cursor
	_ = json.Unmarshal(cur, &c)
	st := c.Feeds[srv.URL]
	if n := len(load(st, now, now).at); n != MaxSeen || st.Floor != now.Add(-MaxSeen*time.Minute).Unix() {
		t.Fatalf("%d records, floor %v", n, time.Unix(st.Floor, 0))
	}
	if again, _, err := s.Fetch(context.Background(), cur); err != nil || len(again) != 0 {
		t.Fatalf("refetch: %d posts, %v", len(again), err)
	}
	// MaxItems caps what one fetch returns.
	ps, _, _ = New(Config{URLs: []string{srv.URL}, MaxItems: 5}, fetcher(), clock).Fetch(context.Background(), nil)
	if len(ps) != 5 || ps[0].Title != "t0" {
		t.Fatalf("MaxItems: %d", len(ps))
	}
}

func TestUnwrap(t *testing.T) {
	cases := map[string]string{
		"https://www.google.com/url?rct=j&sa=t&url=https://example.com/a?b=1&ct=ga": "https://example.com/a?b=1",
		"https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fexample.com%2Fx":   "https://example.com/x",
		"https://www.google.co.kr/url?q=https://news.example.kr/1":                  "https://news.example.kr/1",
		"https://www.google.com/url?url=javascript:alert(1)":                        "https://www.google.com/url?url=javascript:alert(1)",
		"https://evil.example/url?url=https://example.com":                          "https://evil.example/url?url=https://example.com",
		"https://example.com/plain":                                                 "https://example.com/plain",
	}
	for in, want := range cases {
		if got := unwrap(in); got != want {
			t.Errorf("unwrap(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseFeed(f *testing.F) {
	for _, n := range []string{"techblog.xml", "atom.xml", "jsonfeed.json", "googlenews_ko.xml", "googlealerts.xml", "broken.xml"} {
		b, err := fs.ReadFile(replay.Recordings(), replay.FeedDir+"/"+n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[null,{"id":""}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		posts, err := parse(b, "https://news.google.com/rss/search?q=x", now)
		_, _ = toUTF8(b, "text/xml; charset=euc-kr")
		if err != nil {
			return
		}
		ids := map[string]bool{}
		for _, p := range posts {
			if p.NativeID == "" || ids[p.NativeID] {
				t.Fatalf("empty or duplicate id in %+v", p)
			}
			ids[p.NativeID] = true
		}
	})
}
