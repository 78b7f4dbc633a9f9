package faults

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

const page = `{"hits":[{"objectID":"41234567","created_at":"2026-11-25T08:12:00Z","created_at_i":1795594320,"text":"Acme 아크미"},{"objectID":"41234566","created_at":"2026-11-25T08:00:00Z","created_at_i":1795593600,"text":"b"}]}`

func origin() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"v1"`)
		_, _ = io.WriteString(w, page)
	})
}

func get(t *testing.T, url string, client *http.Client) (*http.Response, []byte, error) {
	t.Helper()
	if client == nil {
		client = &http.Client{Transport: &http.Transport{DisableCompression: true}}
	}
	resp, err := client.Get(url)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func serve(t *testing.T, p Plan) (*Handler, *httptest.Server) {
	h := Wrap(origin(), p)
	srv := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); srv.Close() })
	return h, srv
}

func TestPassThroughAndMatch(t *testing.T) {
	h, srv := serve(t, Plan{Kind: Storm, Match: func(r *http.Request) bool { return r.URL.Path == "/bad" }})
	if resp, b, err := get(t, srv.URL+"/good", nil); err != nil || resp.StatusCode != 200 || string(b) != page {
		t.Fatalf("unmatched request changed: %v %v", resp, err)
	}
	if resp, _, _ := get(t, srv.URL+"/bad", nil); resp.StatusCode != 500 {
		t.Fatalf("matched request: %d", resp.StatusCode)
	}
	if h.Faulted() != 1 {
		t.Fatalf("faulted %d", h.Faulted())
	}
	h.Set(Plan{})
	if resp, _, _ := get(t, srv.URL+"/bad", nil); resp.StatusCode != 200 {
		t.Fatalf("after Set(Plan{}): %d", resp.StatusCode)
	}
}

func TestStatusFaults(t *testing.T) {
	_, srv := serve(t, Plan{Kind: Storm})
	var codes []int
	for range 5 {
		resp, _, _ := get(t, srv.URL, nil)
		codes = append(codes, resp.StatusCode)
	}
	if want := []int{500, 502, 503, 504, 500}; !equal(codes, want) {
		t.Fatalf("storm codes %v, want %v", codes, want)
	}
	_, srv = serve(t, Plan{Kind: RateLimited, RetryAfter: 90500 * time.Millisecond})
	resp, _, _ := get(t, srv.URL, nil)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "91" {
		t.Fatalf("429: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	_, srv = serve(t, Plan{Kind: RateLimited})
	if resp, _, _ := get(t, srv.URL, nil); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "" {
		t.Fatalf("429 without header: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBodyFaults(t *testing.T) {
	_, srv := serve(t, Plan{Kind: Truncate})
	resp, b, err := get(t, srv.URL, nil)
	if err != nil || string(b) != page[:len(page)/2] || resp.Header.Get("ETag") != "" {
		t.Fatalf("truncate: %q %v etag %q", b, err, resp.Header.Get("ETag"))
	}
	if json.Valid(b) {
		t.Fatal("truncated JSON is valid")
	}
	_, srv = serve(t, Plan{Kind: HTMLPage})
	resp, b, _ = get(t, srv.URL, nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !bytes.Contains(b, []byte("Bad gateway")) {
		t.Fatalf("html page: %d %s", resp.StatusCode, b)
	}
	_, srv = serve(t, Plan{Kind: ErrorBody})
	resp, b, _ = get(t, srv.URL, nil)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"error"`)) {
		t.Fatalf("error body: %d %s", resp.StatusCode, b)
	}
}

func TestReset(t *testing.T) {
	_, srv := serve(t, Plan{Kind: Reset})
	if _, _, err := get(t, srv.URL, nil); err == nil {
		t.Fatal("reset: no error")
	}
}

func TestHangEndsWithTheClient(t *testing.T) {
	_, srv := serve(t, Plan{Kind: Hang})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hang: %v", err)
	}
}

func TestTrickle(t *testing.T) {
	_, srv := serve(t, Plan{Kind: Trickle, Every: time.Millisecond})
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 64)
	n, _ := resp.Body.Read(buf)
	if n != 1 {
		t.Fatalf("first read got %d bytes, want 1", n)
	}
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(buf[:1])+string(rest) != page {
		t.Fatalf("trickled body %q, %v", rest, err)
	}
}

func TestGzipBombAndHugeBody(t *testing.T) {
	const size = 8 << 20
	_, srv := serve(t, Plan{Kind: GzipBomb, Size: size})
	resp, b, err := get(t, srv.URL, nil)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" || len(b) > size/100 {
		t.Fatalf("bomb: %v, %d compressed bytes", err, len(b))
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(io.Discard, zr); err != nil || n != size {
		t.Fatalf("bomb inflates to %d, %v; want %d", n, err, size)
	}

	_, srv = serve(t, Plan{Kind: HugeBody, Size: size})
	resp, err = http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || n != size || resp.ContentLength != -1 {
		t.Fatalf("huge body: %d bytes, %v, length %d", n, err, resp.ContentLength)
	}
	// A client that hangs up early ends the stream.
	resp, err = http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadFull(resp.Body, make([]byte, 1024))
	resp.Body.Close()
}

func TestServerDownUp(t *testing.T) {
	s, err := Start(origin())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, _, err := get(t, s.URL, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Down(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := get(t, s.URL, nil); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("down: %v, want connection refused", err)
	}
	if err := s.Up(); err != nil {
		t.Fatal(err)
	}
	if _, b, err := get(t, s.URL, nil); err != nil || string(b) != page {
		t.Fatalf("up again: %v", err)
	}
}

func TestItems(t *testing.T) {
	it := Items{Path: []string{"hits"}, IDs: [][]string{{"objectID"}}}
	objectIDs := func(b []byte) []string {
		var r struct {
			Hits []struct{ ObjectID string } `json:"hits"`
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		var out []string
		for _, h := range r.Hits {
			out = append(out, h.ObjectID)
		}
		return out
	}
	body := []byte(page)
	if got := strings.Join(objectIDs(it.Duplicate()(body, "")), ","); got != "41234567,41234567,41234566,41234566" {
		t.Errorf("duplicate: %s", got)
	}
	if got := strings.Join(objectIDs(it.Reverse()(body, "")), ","); got != "41234566,41234567" {
		t.Errorf("reverse: %s", got)
	}
	if got := strings.Join(objectIDs(it.Keep(1)(body, "")), ","); got != "41234567" {
		t.Errorf("keep: %s", got)
	}
	many := objectIDs(it.Many(3)(body, ""))
	if strings.Join(many, ",") != "41200000,41200001,41200002" {
		t.Errorf("many: %v", many)
	}
	if out := it.Many(3)(body, ""); !bytes.Contains(out, []byte("Acme 아크미")) || !bytes.Contains(out, []byte("1795594320")) {
		t.Errorf("many lost fields: %s", out)
	}
	for _, junk := range []string{"", "not json", `{"other":[1]}`, `[1,2]`} {
		if got := it.Duplicate()([]byte(junk), ""); string(got) != junk {
			t.Errorf("%q changed to %q", junk, got)
		}
	}
	root := Items{IDs: [][]string{{"id"}}}
	if got := string(root.Many(2)([]byte(`[{"id":"abc"}]`), "")); got != `[{"id":"abc00000"},{"id":"abc00001"}]`+"\n" {
		t.Errorf("root many: %s", got)
	}
}

func TestBlocks(t *testing.T) {
	feed := "<rss><channel><title>t</title>\n<item><guid>a</guid></item>\n<item><guid>b</guid></item>\n</channel></rss>"
	b := Blocks{Open: "<item>", Close: "</item>", IDs: []*regexp.Regexp{regexp.MustCompile(`<guid>([^<]+)</guid>`)}}
	guids := func(s []byte) string {
		var out []string
		for _, m := range regexp.MustCompile(`<guid>([^<]+)</guid>`).FindAllSubmatch(s, -1) {
			out = append(out, string(m[1]))
		}
		return strings.Join(out, ",")
	}
	if got := guids(b.Reverse()([]byte(feed), "")); got != "b,a" {
		t.Errorf("reverse: %s", got)
	}
	if got := guids(b.Duplicate()([]byte(feed), "")); got != "a,a,b,b" {
		t.Errorf("duplicate: %s", got)
	}
	if got := guids(b.Many(3)([]byte(feed), "")); got != "a00000,b00001,a00002" {
		t.Errorf("many: %s", got)
	}
	if got := string(b.Keep(1)([]byte(feed), "")); !strings.HasSuffix(got, "</channel></rss>") || guids([]byte(got)) != "a" {
		t.Errorf("keep: %s", got)
	}
}

func TestTextMutators(t *testing.T) {
	out := InvalidUTF8()([]byte(page), "")
	if utf8.Valid(out) {
		t.Fatal("still valid UTF-8")
	}
	when := time.Date(2036, 1, 2, 3, 4, 5, 0, time.UTC)
	in := `{"created_at":"2026-11-25T08:12:00.000Z","created_at_i":1795594320,"created_utc":1795594320.0,"postdate":"20261125"} <pubDate>Wed, 25 Nov 2026 08:12:00 GMT</pubDate> <time datetime="2026-11-25T09:30:00+09:00">`
	got := string(SetTimes(when)([]byte(in), ""))
	unix := strconv.FormatInt(when.Unix(), 10)
	for _, want := range []string{`"2036-01-02T03:04:05Z"`, `"created_at_i":` + unix, `"created_utc":` + unix, `"postdate":"20360102"`, `Wed, 02 Jan 2036 03:04:05 +0000`, `datetime="2036-01-02T03:04:05Z"`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	if strings.Contains(got, "2026") {
		t.Errorf("a 2026 time left: %s", got)
	}
}

func TestRewriteDropsValidators(t *testing.T) {
	_, srv := serve(t, Plan{Kind: Rewrite, Rewrite: Items{Path: []string{"hits"}}.Keep(1)})
	resp, b, err := get(t, srv.URL, nil)
	if err != nil || resp.Header.Get("ETag") != "" || bytes.Contains(b, []byte("41234566")) {
		t.Fatalf("rewrite: %v etag %q body %s", err, resp.Header.Get("ETag"), b)
	}
}
