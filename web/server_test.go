package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web/metrics"
)

type fakeSearcher struct {
	last    store.SearchRequest
	calls   int
	panicky bool
	err     error
}

func (f *fakeSearcher) Search(_ context.Context, req store.SearchRequest) (*store.SearchResult, error) {
	f.calls++
	f.last = req
	if f.panicky {
		panic("boom")
	}
	if f.err != nil {
		return nil, f.err
	}
	m := store.Mention{ID: "hackernews:1", Network: "hackernews", Brands: []string{"Acme"}, Text: "Acme battery <script>",
		Published: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Kind: store.KindMention}
	return &store.SearchResult{
		Total:  1,
		Hits:   []store.Hit{{Mention: m, Score: 1.5, Snippet: "Acme <mark>battery</mark> &lt;script&gt;"}},
		Facets: map[string][]store.FacetCount{"brand": {{Term: "Acme", Count: 1}}, "network": {{Term: "hackernews", Count: 1}}},
		Took:   1500 * time.Microsecond,
	}, nil
}

func (f *fakeSearcher) SearchEach(ctx context.Context, req store.SearchRequest, limit int, fn func(store.Mention) error) (int, error) {
	res, err := f.Search(ctx, req)
	if err != nil {
		return 0, err
	}
	for i, h := range res.Hits {
		if err := fn(h.Mention); err != nil {
			return i, err
		}
	}
	return len(res.Hits), nil
}

func (f *fakeSearcher) Get(id string) (store.Mention, bool, error) {
	if id == "hackernews:1" {
		return store.Mention{ID: id, Network: "hackernews", Text: "hello"}, true, nil
	}
	return store.Mention{}, false, nil
}

type fakeHealth []metrics.SourceHealth

func (f fakeHealth) Health() []metrics.SourceHealth { return f }

func newTestServer(fs *fakeSearcher) *Server {
	return New(Options{
		Searcher: fs, Logger: zerolog.Nop(),
		Health: fakeHealth{{Name: "hn", Network: "hackernews", Healthy: false, LastError: "http 429", ConsecutiveFailures: 2}},
		Brands: []string{"Acme", "Globex"}, Networks: []string{"hackernews", "rss"}, Version: "test",
	})
}

func do(t *testing.T, h http.Handler, method, target string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	var body map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s %s: bad json %q: %v", method, target, rec.Body.String(), err)
		}
	}
	return rec, body
}

func TestSearchOK(t *testing.T) {
	fs := &fakeSearcher{}
	rec, body := do(t, newTestServer(fs), "GET", "/api/search?q=battery&brand=acme,Globex&network=hackernews&from=2026-11-01&to=2026-11-20&size=500&page=2")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	req := fs.last
	if got := req.Brands; len(got) != 2 || got[0] != "Acme" || got[1] != "Globex" {
		t.Errorf("brands = %v, want canonical [Acme Globex]", got)
	}
	if req.Size != maxSize || req.Page != 2 || req.Sort != "relevance" {
		t.Errorf("size/page/sort = %d/%d/%s", req.Size, req.Page, req.Sort)
	}
	if want := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC); !req.To.Equal(want) {
		t.Errorf("to = %v, want end of day %v", req.To, want)
	}
	if _, ok := req.Query.(query.Term); !ok {
		t.Errorf("query = %#v, want a term", req.Query)
	}
	hits := body["hits"].([]any)
	if len(hits) != 1 || hits[0].(map[string]any)["snippet"] != "Acme <mark>battery</mark> &lt;script&gt;" {
		t.Errorf("hits = %v", hits)
	}
	if body["total"].(float64) != 1 || body["took_ms"].(float64) != 1.5 {
		t.Errorf("total/took = %v/%v", body["total"], body["took_ms"])
	}
	if f := body["facets"].(map[string]any)["brand"].([]any); len(f) != 1 {
		t.Errorf("brand facet = %v", f)
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("missing nosniff header")
	}
}

func TestSearchDefaultSortIsNewestWithoutQuery(t *testing.T) {
	fs := &fakeSearcher{}
	if rec, _ := do(t, newTestServer(fs), "GET", "/api/search"); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if fs.last.Sort != "newest" || fs.last.Query != nil || fs.last.Size != defaultSize || fs.last.Page != 1 {
		t.Errorf("req = %+v", fs.last)
	}
}

func TestSearchBadRequests(t *testing.T) {
	cases := []struct{ target, code, msg string }{
		{`/api/search?q=(battery`, "bad_query", "q:"},
		{`/api/search?q=%22unterminated`, "bad_query", "q:"},
		{`/api/search?q=AND`, "bad_query", "q:"},
		{`/api/search?brand=Umbrella`, "bad_request", `unknown value "Umbrella"`},
		{`/api/search?network=myspace`, "bad_request", "network:"},
		{`/api/search?kind=ad`, "bad_request", "kind:"},
		{`/api/search?size=0`, "bad_request", "size:"},
		{`/api/search?size=ten`, "bad_request", "size:"},
		{`/api/search?page=-1`, "bad_request", "page:"},
		{`/api/search?page=99999`, "bad_request", "page:"},
		{`/api/search?sort=oldest`, "bad_request", "sort:"},
		{`/api/search?from=yesterday`, "bad_request", "from:"},
		{`/api/search?from=2026-11-20&to=2026-11-01`, "bad_request", "to:"},
		{`/api/search?q=` + strings.Repeat("a", maxQueryLen+1), "bad_request", "limit"},
	}
	for _, c := range cases {
		fs := &fakeSearcher{}
		rec, body := do(t, newTestServer(fs), "GET", c.target)
		if rec.Code != 400 {
			t.Errorf("%s: status %d, want 400", c.target, rec.Code)
			continue
		}
		e := body["error"].(map[string]any)
		if e["code"] != c.code || !strings.Contains(e["message"].(string), c.msg) {
			t.Errorf("%s: error %v, want code %s containing %q", c.target, e, c.code, c.msg)
		}
		if fs.calls != 0 {
			t.Errorf("%s: searcher called on a bad request", c.target)
		}
	}
}

func TestStoreBadRequestIs400(t *testing.T) {
	fs := &fakeSearcher{err: store.ErrBadRequest}
	if rec, _ := do(t, newTestServer(fs), "GET", "/api/search?q=x"); rec.Code != 400 {
		t.Errorf("status %d, want 400", rec.Code)
	}
}

func TestPanicIs500Envelope(t *testing.T) {
	rec, body := do(t, newTestServer(&fakeSearcher{panicky: true}), "GET", "/api/search?q=x")
	if rec.Code != 500 || body["error"].(map[string]any)["code"] != "internal" {
		t.Errorf("status %d body %v", rec.Code, body)
	}
}

func TestRoutes(t *testing.T) {
	s := newTestServer(&fakeSearcher{})
	cases := []struct {
		method, target string
		status         int
	}{
		{"GET", "/api/mentions/hackernews:1", 200},
		{"GET", "/api/mentions/hackernews:2", 404},
		{"GET", "/api/mentions/nocolon", 400},
		{"GET", "/api/sources", 200},
		{"GET", "/healthz", 200},
		{"GET", "/", 200},
		{"GET", "/nope", 404},
		{"POST", "/api/search", 405},
		{"DELETE", "/api/mentions/hackernews:1", 405},
		{"POST", "/nope", 404},
	}
	for _, c := range cases {
		rec, _ := do(t, s, c.method, c.target)
		if rec.Code != c.status {
			t.Errorf("%s %s: status %d, want %d (%s)", c.method, c.target, rec.Code, c.status, rec.Body)
		}
	}
	_, body := do(t, s, "GET", "/api/sources")
	src := body["sources"].([]any)[0].(map[string]any)
	if src["healthy"] != false || src["last_error"] != "http 429" || src["consecutive_failures"].(float64) != 2 {
		t.Errorf("sources = %v", src)
	}
}
