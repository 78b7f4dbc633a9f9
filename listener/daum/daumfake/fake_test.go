package daumfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

type envelope struct {
	Meta struct {
		TotalCount    int  `json:"total_count"`
		PageableCount int  `json:"pageable_count"`
		IsEnd         bool `json:"is_end"`
	} `json:"meta"`
	Documents []map[string]any `json:"documents"`
	ErrorType string           `json:"errorType"`
	Message   string           `json:"message"`
}

func serve(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	opts.Logger = zerolog.Nop()
	mux := http.NewServeMux()
	mux.Handle("/daum/", http.StripPrefix("/daum", New(opts)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string, v url.Values, auth string) (envelope, *http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/daum"+path+"?"+v.Encode(), nil)
	if auth != "-" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e envelope
	_ = json.Unmarshal(b, &e)
	return e, resp, b
}

const key = "KakaoAK k"

func TestPagingFilterAndOrder(t *testing.T) {
	srv := serve(t, Options{APIKey: "k"})
	v := url.Values{"query": {"아크미"}, "size": {"2"}, "sort": {"recency"}}
	var all []map[string]any
	for page := 1; page < 10; page++ {
		v.Set("page", strconv.Itoa(page))
		e, resp, b := get(t, srv, "/v2/search/blog", v, key)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
		if page == 1 && !strings.Contains(string(b), "<b>아크미</b>") {
			t.Errorf("highlight tags escaped or missing: %.200s", b)
		}
		if e.Meta.TotalCount != 5 || e.Meta.PageableCount != 5 || e.Meta.IsEnd != (page*2 >= 5) {
			t.Fatalf("page %d meta %+v", page, e.Meta)
		}
		all = append(all, e.Documents...)
		if e.Meta.IsEnd {
			break
		}
	}
	if len(all) != 5 {
		t.Fatalf("got %d documents, want 5", len(all))
	}
	prev := "9999"
	for _, d := range all {
		if !strings.Contains(d["title"].(string)+d["contents"].(string)+d["blogname"].(string), "아크미") {
			t.Errorf("document without the query word: %v", d["title"])
		}
		if dt := d["datetime"].(string); dt > prev {
			t.Errorf("not newest first: %s after %s", dt, prev)
		} else {
			prev = dt
		}
	}
	// accuracy keeps the file order; words must all be present; - excludes.
	e, _, _ := get(t, srv, "/v2/search/web", url.Values{"query": {"글로벡스 요금"}}, key)
	if e.Meta.TotalCount != 1 || !strings.Contains(e.Documents[0]["title"].(string), "요금") {
		t.Fatalf("two words: %+v", e)
	}
	e, _, _ = get(t, srv, "/v2/search/cafe", url.Values{"query": {"아크미 -글로벡스"}}, key)
	for _, d := range e.Documents {
		if strings.Contains(d["title"].(string)+d["contents"].(string), "글로벡스") {
			t.Errorf("excluded word served: %v", d["title"])
		}
	}
	if e.Meta.TotalCount != 2 {
		t.Errorf("exclusion: %d results, want 2", e.Meta.TotalCount)
	}
}

func TestShift(t *testing.T) {
	srv := serve(t, Options{Shift: 48 * time.Hour})
	e, _, _ := get(t, srv, "/v2/search/vclip", url.Values{"query": {"아크미"}, "sort": {"recency"}}, key)
	if e.Documents[0]["datetime"] != "2026-11-28T15:05:00.000+09:00" {
		t.Fatalf("vclip not shifted: %v", e.Documents[0]["datetime"])
	}
}

func TestAuth(t *testing.T) {
	srv := serve(t, Options{APIKey: "s3cret"})
	if _, resp, _ := get(t, srv, "/v2/search/blog", url.Values{"query": {"acme"}}, "KakaoAK s3cret"); resp.StatusCode != 200 {
		t.Fatalf("right key: %d", resp.StatusCode)
	}
	for _, auth := range []string{"KakaoAK wrong", "Bearer s3cret", "s3cret", "-"} {
		e, resp, _ := get(t, srv, "/v2/search/blog", url.Values{"query": {"acme"}}, auth)
		if resp.StatusCode != 401 || e.ErrorType != "AccessDeniedError" || e.Message == "" {
			t.Errorf("auth %q: %d %+v", auth, resp.StatusCode, e)
		}
	}
}

func TestParameterErrors(t *testing.T) {
	srv := serve(t, Options{})
	cases := []struct {
		path   string
		v      url.Values
		status int
		typ    string
	}{
		{"/v2/search/blog", url.Values{"query": {""}}, 400, "MissingParameter"},
		{"/v2/search/blog", url.Values{"query": {"a"}, "size": {"51"}}, 400, "InvalidArgument"},
		{"/v2/search/vclip", url.Values{"query": {"a"}, "size": {"31"}}, 400, "InvalidArgument"},
		{"/v2/search/blog", url.Values{"query": {"a"}, "page": {"51"}}, 400, "InvalidArgument"},
		{"/v2/search/vclip", url.Values{"query": {"a"}, "page": {"16"}}, 400, "InvalidArgument"},
		{"/v2/search/blog", url.Values{"query": {"a"}, "page": {"0"}}, 400, "InvalidArgument"},
		{"/v2/search/blog", url.Values{"query": {"a"}, "sort": {"date"}}, 400, "InvalidArgument"},
		{"/v2/search/news", url.Values{"query": {"a"}}, 404, "NotFound"},
	}
	for _, c := range cases {
		e, resp, b := get(t, srv, c.path, c.v, key)
		if resp.StatusCode != c.status || e.ErrorType != c.typ || e.Message == "" {
			t.Errorf("%s %v: %d %s", c.path, c.v, resp.StatusCode, b)
		}
	}
}

func TestFaults(t *testing.T) {
	srv := serve(t, Options{RetryAfter: 30 * time.Second, Faults: map[string]Fault{
		"slow": FaultQuota, "down": FaultServer, "garbled": FaultMalformed, "nothing": FaultEmpty, "locked": FaultAuth,
	}})
	e, resp, _ := get(t, srv, "/v2/search/web", url.Values{"query": {"slow"}}, key)
	if resp.StatusCode != 429 || e.ErrorType != "RequestThrottled" || resp.Header.Get("Retry-After") != "30" {
		t.Fatalf("quota: %d %+v %q", resp.StatusCode, e, resp.Header.Get("Retry-After"))
	}
	if e, resp, _ = get(t, srv, "/v2/search/web", url.Values{"query": {"down"}}, key); resp.StatusCode != 500 || e.ErrorType != "InternalServerError" {
		t.Fatalf("server error: %d %+v", resp.StatusCode, e)
	}
	if e, resp, _ = get(t, srv, "/v2/search/web", url.Values{"query": {"locked"}}, key); resp.StatusCode != 401 {
		t.Fatalf("auth fault: %d %+v", resp.StatusCode, e)
	}
	e, resp, b := get(t, srv, "/v2/search/web", url.Values{"query": {"nothing"}}, key)
	if resp.StatusCode != 200 || len(e.Documents) != 0 || !e.Meta.IsEnd || e.Meta.TotalCount != 0 || !json.Valid(b) {
		t.Fatalf("empty: %d %s", resp.StatusCode, b)
	}
	if _, resp, b = get(t, srv, "/v2/search/web", url.Values{"query": {"garbled"}}, key); resp.StatusCode != 200 || json.Valid(b) {
		t.Fatalf("malformed: %d valid=%v", resp.StatusCode, json.Valid(b))
	}
}

// Every recording decodes and every document carries the documented
// fields of its kind.
func TestRecordingsShape(t *testing.T) {
	fields := map[string][]string{
		"blog":  {"title", "contents", "url", "datetime", "blogname", "thumbnail"},
		"cafe":  {"title", "contents", "url", "datetime", "cafename", "thumbnail"},
		"web":   {"title", "contents", "url", "datetime"},
		"vclip": {"title", "url", "datetime", "play_time", "thumbnail", "author"},
	}
	for kind, want := range fields {
		p, err := loadPool(recordings, kind, 0)
		if err != nil || len(p.items) < 4 {
			t.Fatalf("%s: %v", kind, err)
		}
		for _, it := range p.items {
			for _, f := range want {
				if _, ok := it.raw[f]; !ok {
					t.Errorf("%s document %v lacks %s", kind, it.raw["url"], f)
				}
			}
		}
	}
}
