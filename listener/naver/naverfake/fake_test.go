package naverfake

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
	LastBuildDate string           `json:"lastBuildDate"`
	Total         int              `json:"total"`
	Start         int              `json:"start"`
	Display       int              `json:"display"`
	Items         []map[string]any `json:"items"`
	ErrorCode     string           `json:"errorCode"`
	ErrorMessage  string           `json:"errorMessage"`
}

func serve(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	opts.Logger = zerolog.Nop()
	mux := http.NewServeMux()
	mux.Handle("/naver/", http.StripPrefix("/naver", New(opts)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string, v url.Values, hdr map[string]string) (envelope, *http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/naver"+path+"?"+v.Encode(), nil)
	if hdr == nil {
		hdr = map[string]string{"X-Naver-Client-Id": "id", "X-Naver-Client-Secret": "secret"}
	}
	for k, val := range hdr {
		req.Header.Set(k, val)
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

func TestPagingFilterAndOrder(t *testing.T) {
	srv := serve(t, Options{})
	v := url.Values{"query": {"아크미"}, "display": {"3"}, "sort": {"date"}}
	var all []map[string]any
	total := -1
	for start := 1; start < 100; start += 3 {
		v.Set("start", strconv.Itoa(start))
		e, resp, b := get(t, srv, "/v1/search/blog.json", v, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
		if !strings.Contains(string(b), "<b>아크미</b>") && start == 1 {
			t.Errorf("highlight tags escaped or missing: %.200s", b)
		}
		if total == -1 {
			total = e.Total
		}
		if e.Start != start || e.Display != len(e.Items) || e.Total != total {
			t.Fatalf("envelope %+v", e)
		}
		all = append(all, e.Items...)
		if len(e.Items) < 3 {
			break
		}
	}
	if total < 7 || len(all) != total {
		t.Fatalf("got %d items of total %d", len(all), total)
	}
	prev := "99999999"
	for _, it := range all {
		text := it["title"].(string) + it["description"].(string)
		if !strings.Contains(text, "아크미") {
			t.Errorf("item without the query word: %v", it["title"])
		}
		d := it["postdate"].(string)
		if d > prev {
			t.Errorf("not newest first: %s after %s", d, prev)
		}
		prev = d
	}

	// Exclusion and several words.
	e, _, _ := get(t, srv, "/v1/search/news.json", url.Values{"query": {"globex outage"}, "display": {"100"}}, nil)
	if e.Total != 1 || !strings.Contains(e.Items[0]["title"].(string), "Globex") {
		t.Fatalf("two words: %+v", e)
	}
	e2, _, _ := get(t, srv, "/v1/search/cafearticle", url.Values{"query": {"아크미 -이니텍"}}, nil)
	for _, it := range e2.Items {
		if strings.Contains(it["title"].(string), "이니텍") {
			t.Errorf("excluded word served: %v", it["title"])
		}
	}
	if e2.Total == 0 {
		t.Fatal("no café results")
	}
}

func TestShift(t *testing.T) {
	srv := serve(t, Options{Shift: 48 * time.Hour})
	e, _, _ := get(t, srv, "/v1/search/news.json", url.Values{"query": {"아크미"}, "sort": {"date"}}, nil)
	if e.Items[0]["pubDate"] != "Sat, 28 Nov 2026 10:05:00 +0900" || e.LastBuildDate != "Sat, 28 Nov 2026 18:40:12 +0900" {
		t.Fatalf("news not shifted: %v %s", e.Items[0]["pubDate"], e.LastBuildDate)
	}
	b, _, _ := get(t, srv, "/v1/search/blog.json", url.Values{"query": {"acme"}, "sort": {"date"}}, nil)
	if b.Items[0]["postdate"] != "20261128" {
		t.Fatalf("blog not shifted: %v", b.Items[0]["postdate"])
	}
}

func TestAuthAndHubPaths(t *testing.T) {
	srv := serve(t, Options{ClientID: "good", ClientSecret: "s3cret", IDHeader: "X-NCP-APIGW-API-KEY-ID", SecretHeader: "X-NCP-APIGW-API-KEY"})
	ok := map[string]string{"X-NCP-APIGW-API-KEY-ID": "good", "X-NCP-APIGW-API-KEY": "s3cret"}
	e, resp, _ := get(t, srv, "/search/v1/blog", url.Values{"query": {"acme"}}, ok)
	if resp.StatusCode != 200 || e.Total == 0 {
		t.Fatalf("hub path: %d %+v", resp.StatusCode, e)
	}
	for _, hdr := range []map[string]string{
		{"X-NCP-APIGW-API-KEY-ID": "good", "X-NCP-APIGW-API-KEY": "wrong"},
		{"X-Naver-Client-Id": "good", "X-Naver-Client-Secret": "s3cret"},
	} {
		e, resp, _ := get(t, srv, "/search/v1/blog", url.Values{"query": {"acme"}}, hdr)
		if resp.StatusCode != 401 || e.ErrorCode != "024" || !strings.Contains(e.ErrorMessage, "Authentication failed") {
			t.Fatalf("bad credentials %v: %d %+v", hdr, resp.StatusCode, e)
		}
	}
}

func TestParameterErrors(t *testing.T) {
	srv := serve(t, Options{})
	cases := []struct {
		path   string
		v      url.Values
		status int
		code   string
	}{
		{"/v1/search/blog.json", url.Values{"query": {""}}, 400, "SE01"},
		{"/v1/search/blog.json", url.Values{"query": {"a"}, "display": {"101"}}, 400, "SE02"},
		{"/v1/search/blog.json", url.Values{"query": {"a"}, "start": {"1001"}}, 400, "SE03"},
		{"/v1/search/blog.json", url.Values{"query": {"a"}, "sort": {"new"}}, 400, "SE04"},
		{"/v1/search/webkr.json", url.Values{"query": {"a"}}, 404, "SE05"},
		{"/v1/search/blog.json", url.Values{"query": {"\xff\xfe"}}, 400, "SE06"},
	}
	for _, c := range cases {
		e, resp, b := get(t, srv, c.path, c.v, nil)
		if resp.StatusCode != c.status || e.ErrorCode != c.code || e.ErrorMessage == "" {
			t.Errorf("%s %v: %d %s", c.path, c.v, resp.StatusCode, b)
		}
	}
}

func TestFaults(t *testing.T) {
	srv := serve(t, Options{RetryAfter: 30 * time.Second, Faults: map[string]Fault{
		"slow": FaultRateLimit, "down": FaultServer, "garbled": FaultMalformed,
	}})
	e, resp, _ := get(t, srv, "/v1/search/news.json", url.Values{"query": {"slow"}}, nil)
	if resp.StatusCode != 429 || e.ErrorCode != "012" || resp.Header.Get("Retry-After") != "30" {
		t.Fatalf("rate limit: %d %+v %q", resp.StatusCode, e, resp.Header.Get("Retry-After"))
	}
	e, resp, _ = get(t, srv, "/v1/search/news.json", url.Values{"query": {"down"}}, nil)
	if resp.StatusCode != 500 || e.ErrorCode != "SE99" {
		t.Fatalf("server error: %d %+v", resp.StatusCode, e)
	}
	_, resp, b := get(t, srv, "/v1/search/news.json", url.Values{"query": {"garbled"}}, nil)
	if resp.StatusCode != 200 || json.Valid(b) {
		t.Fatalf("malformed: %d valid=%v", resp.StatusCode, json.Valid(b))
	}
}
