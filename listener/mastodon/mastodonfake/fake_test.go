package mastodonfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, url, token string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b []byte
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b = append(b, buf[:n]...)
		if err != nil {
			break
		}
	}
	return resp, b
}

func TestPrefixPagingAndShift(t *testing.T) {
	now := time.Date(2026, 12, 27, 10, 0, 0, 0, time.UTC)
	shift := 31 * 24 * time.Hour
	h := New(Options{Shift: shift, Clock: func() time.Time { return now }, Token: "tok"})
	srv := httptest.NewServer(http.StripPrefix("/mastodon", h))
	defer srv.Close()

	resp, body := get(t, srv.URL+"/mastodon/api/v1/timelines/tag/ACME?limit=2&min_id=0", "")
	var page []struct {
		ID, CreatedAt, URL string
	}
	var raw []map[string]any
	if err := json.Unmarshal(body, &raw); err != nil || resp.StatusCode != 200 || len(raw) != 2 {
		t.Fatalf("status %d, %d statuses, %v", resp.StatusCode, len(raw), err)
	}
	for _, m := range raw {
		page = append(page, struct{ ID, CreatedAt, URL string }{m["id"].(string), m["created_at"].(string), m["url"].(string)})
	}
	// min_id: the two oldest #acme statuses, newest first, shifted a month.
	if page[0].CreatedAt != "2026-12-18T08:30:00.000Z" || page[1].CreatedAt != "2026-12-17T09:12:31.405Z" {
		t.Fatalf("page %+v", page)
	}
	for _, p := range page {
		id, _ := strconv.ParseInt(p.ID, 10, 64)
		ct, _ := time.Parse(time.RFC3339, p.CreatedAt)
		if id>>16 != ct.UnixMilli() || !strings.HasSuffix(p.URL, p.ID) {
			t.Errorf("id %s does not match created_at %s / url %s", p.ID, p.CreatedAt, p.URL)
		}
	}
	link := resp.Header.Get("Link")
	if !strings.Contains(link, srv.URL+"/mastodon/api/v1/timelines/tag/ACME?limit=2&min_id="+page[0].ID+`>; rel="prev"`) ||
		!strings.Contains(link, "max_id="+page[1].ID+`>; rel="next"`) {
		t.Fatalf("link %q", link)
	}
	if resp.Header.Get("X-RateLimit-Remaining") != "299" || resp.Header.Get("X-RateLimit-Reset") != "2026-12-27T10:05:00.000000Z" {
		t.Fatalf("rate headers %v", resp.Header)
	}
	// Nothing newer than the newest status.
	_, body = get(t, srv.URL+"/mastodon/api/v1/timelines/tag/acme?min_id=999999999999999999", "")
	if strings.TrimSpace(string(body)) != "[]" {
		t.Fatalf("after newest: %s", body)
	}
	// Search needs the token; a wrong token is rejected.
	_, body = get(t, srv.URL+"/mastodon/api/v2/search?q=globex+support&type=statuses", "")
	if !strings.Contains(string(body), `"statuses":[]`) {
		t.Fatalf("anonymous search %s", body)
	}
	_, body = get(t, srv.URL+"/mastodon/api/v2/search?q=globex+support&type=statuses", "tok")
	var sr struct{ Statuses []map[string]any }
	if err := json.Unmarshal(body, &sr); err != nil || len(sr.Statuses) != 1 {
		t.Fatalf("search: %s", body)
	}
	resp, body = get(t, srv.URL+"/mastodon/api/v2/search?q=acme", "nope")
	if resp.StatusCode != 401 || !strings.Contains(string(body), "The access token is invalid") {
		t.Fatalf("bad token: %d %s", resp.StatusCode, body)
	}
	// Lookup by local and qualified handle; statuses of an account.
	for _, acct := range []string{"acme", "@acme", "acme@mastodon.social", "initech@hachyderm.io"} {
		resp, body = get(t, srv.URL+"/mastodon/api/v1/accounts/lookup?acct="+acct, "")
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"followers_count"`) {
			t.Fatalf("lookup %s: %d %s", acct, resp.StatusCode, body)
		}
	}
	resp, _ = get(t, srv.URL+"/mastodon/api/v1/accounts/lookup?acct=ghost", "")
	if resp.StatusCode != 404 {
		t.Fatalf("unknown account: %d", resp.StatusCode)
	}
	_, body = get(t, srv.URL+"/mastodon/api/v1/accounts/109311200040005001/statuses?exclude_reblogs=true", "")
	if err := json.Unmarshal(body, &raw); err != nil || len(raw) != 2 {
		t.Fatalf("globex statuses without boosts or private: %d %v", len(raw), err)
	}
}

func TestBrokenFixturesAndLimits(t *testing.T) {
	h := New(Options{FS: os.DirFS(t.TempDir()), RateLimit: 1, Clock: func() time.Time { return time.Unix(0, 0) }})
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, _ := get(t, srv.URL+"/api/v1/timelines/tag/acme", "")
	if resp.StatusCode != 500 {
		t.Fatalf("missing fixtures: %d", resp.StatusCode)
	}
	resp, body := get(t, srv.URL+"/api/v1/timelines/tag/acme", "")
	if resp.StatusCode != 429 || !strings.Contains(string(body), "Too many requests") || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("rate limit: %d %s", resp.StatusCode, body)
	}
}
