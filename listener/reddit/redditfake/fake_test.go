package redditfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func serve(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return now }
	}
	opts.ClientID, opts.ClientSecret = "id", "secret"
	s := New(opts)
	mux := http.NewServeMux()
	mux.Handle("/reddit/", http.StripPrefix("/reddit", s))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return s, srv.URL + "/reddit"
}

func do(t *testing.T, method, u, auth, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func token(t *testing.T, base string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/access_token", strings.NewReader("grant_type=client_credentials"))
	req.SetBasicAuth("id", "secret")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
		Scope       string `json:"scope"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.AccessToken == "" || tr.TokenType != "bearer" || tr.ExpiresIn != 86400 || tr.Scope != "*" {
		t.Fatalf("token answer %+v %v", tr, err)
	}
	return "bearer " + tr.AccessToken
}

type page struct {
	Kind string `json:"kind"`
	Data struct {
		After    *string `json:"after"`
		Dist     int     `json:"dist"`
		Children []struct {
			Kind string         `json:"kind"`
			Data map[string]any `json:"data"`
		} `json:"children"`
	} `json:"data"`
}

func get(t *testing.T, u, auth string) (page, *http.Response) {
	t.Helper()
	resp, body := do(t, "GET", u, auth, "")
	var p page
	if resp.StatusCode == 200 {
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	return p, resp
}

func TestAuth(t *testing.T) {
	_, base := serve(t, Options{})
	resp, body := do(t, "POST", base+"/api/v1/access_token", "Basic "+"aWQ6d3Jvbmc=", "grant_type=client_credentials")
	if resp.StatusCode != 401 || body != `{"message": "Unauthorized", "error": 401}` {
		t.Fatalf("wrong secret: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, "POST", base+"/api/v1/access_token", "Basic aWQ6c2VjcmV0", "grant_type=password")
	if resp.StatusCode != 200 || !strings.Contains(body, "unsupported_grant_type") {
		t.Fatalf("bad grant: %d %s", resp.StatusCode, body)
	}
	if _, resp := get(t, base+"/search?q=Acme", "bearer nope"); resp.StatusCode != 401 {
		t.Fatalf("bad token: %d", resp.StatusCode)
	}
	tok := token(t, base)
	if _, resp := get(t, base+"/search.json?q=Acme", tok); resp.StatusCode != 200 || resp.Header.Get("X-Ratelimit-Remaining") != "999.0" {
		t.Fatalf("good token: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestPagingAndEscaping(t *testing.T) {
	_, base := serve(t, Options{})
	tok := token(t, base)
	var names []string
	after := ""
	for i := 0; i < 10; i++ {
		v := url.Values{"q": {"acme"}, "sort": {"new"}, "limit": {"4"}, "raw_json": {"1"}}
		if after != "" {
			v.Set("after", after)
		}
		p, resp := get(t, base+"/search?"+v.Encode(), tok)
		if resp.StatusCode != 200 || p.Kind != "Listing" || p.Data.Dist != len(p.Data.Children) {
			t.Fatalf("page %d: %d %+v", i, resp.StatusCode, p)
		}
		for _, c := range p.Data.Children {
			names = append(names, c.Data["name"].(string))
		}
		if p.Data.After == nil {
			break
		}
		after = *p.Data.After
	}
	if len(names) != 9 || names[0] != "t3_1r2d8xs" || names[8] != "t3_1qt4e8r" {
		t.Fatalf("paged names %v", names)
	}
	p, _ := get(t, base+"/search?q=Acme+Globex&limit=100", tok)
	for _, c := range p.Data.Children {
		if c.Data["id"] == "1qy0p5j" && c.Data["title"] != "Acme &amp; Globex both skipping CES 2027?" {
			t.Fatalf("not escaped without raw_json: %q", c.Data["title"])
		}
	}
	if p, _ := get(t, base+"/search?q=Acme&after=t3_zzzzzzz", tok); len(p.Data.Children) != 0 || p.Data.After != nil {
		t.Fatalf("unknown anchor: %+v", p)
	}
	if p, _ := get(t, base+"/r/korea+hanguk/search?q=%EC%9D%B4%EB%8B%88%ED%85%8D&restrict_sr=1", tok); len(p.Data.Children) != 1 {
		t.Fatalf("subreddit search: %+v", p)
	}
	if _, resp := get(t, base+"/user/nobody_here/submitted", tok); resp.StatusCode != 404 {
		t.Fatalf("unknown user: %d", resp.StatusCode)
	}
}

func TestShiftClockAndFaults(t *testing.T) {
	s, base := serve(t, Options{Shift: 27 * time.Hour, RateLimit: 3, Faults: []Fault{{Path: "/user/acme/comments", Kind: FaultServerError, Times: 1}}})
	tok := token(t, base)
	p, _ := get(t, base+"/user/acme/submitted?raw_json=1", tok)
	// Shifted by 27h, the newest acme post (2026-11-25 10:00) is not out yet.
	if len(p.Data.Children) != 1 || p.Data.Children[0].Data["created_utc"].(float64) != float64(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC).Unix()) {
		t.Fatalf("shifted submitted: %+v", p.Data.Children)
	}
	if _, resp := get(t, base+"/user/acme/comments", tok); resp.StatusCode != 503 {
		t.Fatalf("fault: %d", resp.StatusCode)
	}
	if _, resp := get(t, base+"/user/acme/comments", tok); resp.StatusCode != 200 || resp.Header.Get("X-Ratelimit-Remaining") != "0.0" {
		t.Fatalf("fault spent: %d %v", resp.StatusCode, resp.Header)
	}
	if _, resp := get(t, base+"/user/acme/comments", tok); resp.StatusCode != 429 || resp.Header.Get("X-Ratelimit-Reset") != "600" {
		t.Fatalf("over limit: %d %v", resp.StatusCode, resp.Header)
	}
	if st := s.Stats(); st.TokensIssued != 1 || st.APIRequests != 4 {
		t.Fatalf("stats %+v", st)
	}
}
