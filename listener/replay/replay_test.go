package replay

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rs/zerolog"
)

type envelope struct {
	Hits []struct {
		ObjectID   string   `json:"objectID"`
		CreatedAt  string   `json:"created_at"`
		CreatedAtI int64    `json:"created_at_i"`
		Tags       []string `json:"_tags"`
		Title      *string  `json:"title"`
	} `json:"hits"`
	NbHits      int    `json:"nbHits"`
	Page        int    `json:"page"`
	NbPages     int    `json:"nbPages"`
	HitsPerPage int    `json:"hitsPerPage"`
	Query       string `json:"query"`
	Params      string `json:"params"`
}

func search(t *testing.T, srv *httptest.Server, v url.Values) (envelope, int) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/api/v1/search_by_date?" + v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e envelope
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 {
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("decode: %v: %s", err, b)
		}
	}
	return e, resp.StatusCode
}

func TestSearchPagingAndFilters(t *testing.T) {
	srv := httptest.NewServer(New(Options{Logger: zerolog.Nop()}))
	defer srv.Close()

	all, _ := search(t, srv, url.Values{"hitsPerPage": {"1000"}})
	if all.NbHits != 60 || len(all.Hits) != 60 || all.NbPages != 1 {
		t.Fatalf("pool: nbHits %d hits %d pages %d", all.NbHits, len(all.Hits), all.NbPages)
	}
	for i := 1; i < len(all.Hits); i++ {
		if all.Hits[i].CreatedAtI > all.Hits[i-1].CreatedAtI {
			t.Fatalf("not newest first at %d", i)
		}
	}

	v := url.Values{"query": {"acme"}, "tags": {"(story,comment)"}, "hitsPerPage": {"5"}}
	p0, _ := search(t, srv, v)
	if p0.NbHits < 10 || p0.NbPages != (p0.NbHits+4)/5 || len(p0.Hits) != 5 || p0.Query != "acme" {
		t.Fatalf("page 0: %+v", p0)
	}
	seen := map[string]bool{}
	total := 0
	for p := 0; p < p0.NbPages; p++ {
		v.Set("page", strconv.Itoa(p))
		e, _ := search(t, srv, v)
		for _, h := range e.Hits {
			if seen[h.ObjectID] {
				t.Fatalf("hit %s on two pages", h.ObjectID)
			}
			seen[h.ObjectID] = true
			total++
		}
	}
	if total != p0.NbHits {
		t.Fatalf("paged %d hits, nbHits %d", total, p0.NbHits)
	}
	v.Set("page", "99")
	if e, _ := search(t, srv, v); len(e.Hits) != 0 || e.Page != 99 {
		t.Fatalf("page past end: %+v", e)
	}

	stories, _ := search(t, srv, url.Values{"tags": {"story"}, "hitsPerPage": {"1000"}})
	comments, _ := search(t, srv, url.Values{"tags": {"comment"}, "hitsPerPage": {"1000"}})
	if stories.NbHits+comments.NbHits != 60 || stories.NbHits == 0 || comments.NbHits == 0 {
		t.Fatalf("stories %d + comments %d != 60", stories.NbHits, comments.NbHits)
	}
	for _, h := range comments.Hits {
		if h.Title != nil {
			t.Fatalf("comment %s has a title", h.ObjectID)
		}
	}
	ask, _ := search(t, srv, url.Values{"tags": {"story,ask_hn"}})
	if ask.NbHits != 3 {
		t.Fatalf("ask_hn stories: %d", ask.NbHits)
	}

	mid := all.Hits[30].CreatedAtI
	gt, _ := search(t, srv, url.Values{"numericFilters": {"created_at_i>" + itoa(mid)}, "hitsPerPage": {"1000"}})
	ge, _ := search(t, srv, url.Values{"numericFilters": {"created_at_i>=" + itoa(mid)}, "hitsPerPage": {"1000"}})
	if ge.NbHits <= gt.NbHits {
		t.Fatalf(">= (%d) should include the boundary hits that > (%d) excludes", ge.NbHits, gt.NbHits)
	}
	for _, h := range gt.Hits {
		if h.CreatedAtI <= mid {
			t.Fatalf("hit %s at %d not > %d", h.ObjectID, h.CreatedAtI, mid)
		}
	}

	words, _ := search(t, srv, url.Values{"query": {"Initech outage"}, "hitsPerPage": {"1000"}})
	one, _ := search(t, srv, url.Values{"query": {"Initech"}, "hitsPerPage": {"1000"}})
	if words.NbHits == 0 || words.NbHits >= one.NbHits {
		t.Fatalf("two-word query %d should narrow one-word %d", words.NbHits, one.NbHits)
	}
	ko, _ := search(t, srv, url.Values{"query": {"아크미"}})
	if ko.NbHits == 0 {
		t.Fatal("korean query found nothing")
	}

	for _, bad := range []url.Values{
		{"hitsPerPage": {"x"}}, {"page": {"-1"}}, {"numericFilters": {"created_at_i>abc"}},
		{"numericFilters": {"secret>1"}}, {"tags": {"(story"}},
	} {
		if _, code := search(t, srv, bad); code != http.StatusBadRequest {
			t.Fatalf("%v: status %d, want 400", bad, code)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestRebase(t *testing.T) {
	rebase := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	rs := New(Options{Rebase: rebase})
	srv := httptest.NewServer(rs)
	defer srv.Close()
	// The newest fixture time of all (a feed's lastBuildDate here) lands at
	// rebase-30m; check it against the recorded newest.
	recorded := newestHit(New(Options{}).hits)
	for _, f := range New(Options{}).feeds {
		if t := newestFeedTime(f.body); t.After(recorded) {
			recorded = t
		}
	}
	if got := recorded.Add(rs.Shift()); !got.Equal(rebase.Add(-30 * time.Minute)) {
		t.Fatalf("newest fixture time rebased to %s, want %s", got, rebase.Add(-30*time.Minute))
	}
	all, _ := search(t, srv, url.Values{"hitsPerPage": {"1000"}})
	newest := time.Unix(all.Hits[0].CreatedAtI, 0).UTC()
	if d := rebase.Sub(newest); d < 30*time.Minute || d > 6*time.Hour {
		t.Fatalf("newest hit %s is %s before rebase", newest, d)
	}
	for _, h := range all.Hits {
		ct, err := time.Parse(time.RFC3339, h.CreatedAt)
		if err != nil || ct.Unix() != h.CreatedAtI {
			t.Fatalf("hit %s: created_at %s != created_at_i %d", h.ObjectID, h.CreatedAt, h.CreatedAtI)
		}
	}
	resp, err := http.Get(srv.URL + "/rss/googlenews_ko.xml")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "2030 ") || strings.Contains(string(b), "Nov 2026") {
		t.Fatalf("feed dates not rebased: %.400s", b)
	}
	lm, err := http.ParseTime(resp.Header.Get("Last-Modified"))
	if err != nil || lm.After(rebase) || rebase.Sub(lm) > 48*time.Hour {
		t.Fatalf("Last-Modified %q not near rebase", resp.Header.Get("Last-Modified"))
	}
}

func TestFeedConditional(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	get := func(path string, h map[string]string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	first := get("/rss/techblog.xml", nil)
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if first.StatusCode != 200 || etag == "" || lm == "" || !strings.Contains(first.Header.Get("Content-Type"), "rss") {
		t.Fatalf("first: %d etag %q lm %q", first.StatusCode, etag, lm)
	}
	cases := []struct {
		h    map[string]string
		want int
	}{
		{map[string]string{"If-None-Match": etag}, 304},
		{map[string]string{"If-None-Match": `"other", ` + etag}, 304},
		{map[string]string{"If-None-Match": `"other"`}, 200},
		{map[string]string{"If-Modified-Since": lm}, 304},
		{map[string]string{"If-Modified-Since": "Mon, 02 Jan 2006 15:04:05 GMT"}, 200},
		{map[string]string{"If-None-Match": `"other"`, "If-Modified-Since": lm}, 200},
	}
	for _, c := range cases {
		if got := get("/rss/techblog.xml", c.h).StatusCode; got != c.want {
			t.Fatalf("%v: %d want %d", c.h, got, c.want)
		}
	}
	if ct := get("/rss/atom.xml", nil).Header.Get("Content-Type"); !strings.Contains(ct, "atom") {
		t.Fatalf("atom content type %q", ct)
	}
	if ct := get("/rss/jsonfeed.json", nil).Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Fatalf("json content type %q", ct)
	}
	for _, p := range []string{"/rss/nope.xml", "/rss/", "/rss/../go.mod", "/", "/api/v1/items/1"} {
		if got := get(p, nil).StatusCode; got != 404 {
			t.Fatalf("%s: %d want 404", p, got)
		}
	}
}

func TestBrokenPool(t *testing.T) {
	fsys := fstest.MapFS{HitsFile: {Data: []byte(`[{"objectID": 5}]`)}}
	srv := httptest.NewServer(New(Options{FS: fsys}))
	defer srv.Close()
	if _, code := search(t, srv, url.Values{}); code != 500 {
		t.Fatalf("status %d, want 500", code)
	}
}
