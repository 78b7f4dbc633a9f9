package blueskyfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func newServer(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return now }
	}
	opts.Identifier, opts.Password = "listener.example", "app-pass"
	srv := httptest.NewServer(http.StripPrefix("/bsky", New(opts)))
	t.Cleanup(srv.Close)
	return srv
}

func call(t *testing.T, method, u, token, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, resp.Header, m
}

func login(t *testing.T, srv *httptest.Server) (string, string) {
	t.Helper()
	code, _, m := call(t, "POST", srv.URL+"/bsky/xrpc/com.atproto.server.createSession", "", `{"identifier":"listener.example","password":"app-pass"}`)
	if code != 200 || m["did"] == "" {
		t.Fatalf("login: %d %v", code, m)
	}
	return m["accessJwt"].(string), m["refreshJwt"].(string)
}

func TestSessionFlow(t *testing.T) {
	clock := now
	srv := newServer(t, Options{Clock: func() time.Time { return clock }, AccessTTL: time.Hour})
	base := srv.URL + "/bsky/xrpc/"
	if code, _, m := call(t, "POST", base+"com.atproto.server.createSession", "", `{"identifier":"listener.example","password":"nope"}`); code != 401 || m["error"] != "AuthenticationRequired" {
		t.Fatalf("wrong password: %d %v", code, m)
	}
	access, refresh := login(t, srv)
	search := base + "app.bsky.feed.searchPosts?q=acme"
	if code, _, _ := call(t, "GET", search, access, ""); code != 200 {
		t.Fatalf("search: %d", code)
	}
	if code, _, _ := call(t, "GET", search, "", ""); code != 403 {
		t.Fatalf("search without token: %d", code)
	}
	if code, _, m := call(t, "GET", search, refresh, ""); code != 400 || m["error"] != "InvalidToken" {
		t.Fatalf("refresh token as access: %d %v", code, m)
	}
	clock = clock.Add(time.Hour)
	if code, _, m := call(t, "GET", search, access, ""); code != 400 || m["error"] != "ExpiredToken" {
		t.Fatalf("expired: %d %v", code, m)
	}
	code, _, m := call(t, "POST", base+"com.atproto.server.refreshSession", refresh, "")
	if code != 200 || m["accessJwt"] == access {
		t.Fatalf("refresh: %d %v", code, m)
	}
	if code, _, _ := call(t, "GET", search, m["accessJwt"].(string), ""); code != 200 {
		t.Fatalf("search with refreshed token: %d", code)
	}
	if code, _, m := call(t, "POST", base+"com.atproto.server.refreshSession", refresh, ""); code != 400 || m["error"] != "InvalidToken" {
		t.Fatalf("reused refresh token: %d %v", code, m)
	}
	for i := 0; i < loginLimit; i++ { // the earlier logins are an hour old
		login(t, srv)
	}
	code, h, _ := call(t, "POST", base+"com.atproto.server.createSession", "", `{"identifier":"listener.example","password":"app-pass"}`)
	if code != 429 || h.Get("RateLimit-Remaining") != "0" || h.Get("RateLimit-Reset") == "" {
		t.Fatalf("login limit: %d %v", code, h)
	}
}

func TestSearchFilterSincePaging(t *testing.T) {
	srv := newServer(t, Options{Shift: 24 * time.Hour})
	access, _ := login(t, srv)
	get := func(q url.Values) map[string]any {
		code, _, m := call(t, "GET", srv.URL+"/bsky/xrpc/app.bsky.feed.searchPosts?"+q.Encode(), access, "")
		if code != 200 {
			t.Fatalf("%v: %d %v", q, code, m)
		}
		return m
	}
	all := get(url.Values{"q": {"아크미"}, "limit": {"100"}})
	if n := len(all["posts"].([]any)); n != 2 || all["cursor"] != nil {
		t.Fatalf("korean query: %d posts, cursor %v", n, all["cursor"])
	}
	p := get(url.Values{"q": {"Acme"}, "limit": {"3"}})
	if len(p["posts"].([]any)) != 3 || p["cursor"] != "3" {
		t.Fatalf("page 1: %v", p["cursor"])
	}
	p2 := get(url.Values{"q": {"Acme"}, "limit": {"3"}, "cursor": {"3"}})
	first := p["posts"].([]any)[0].(map[string]any)
	if first["indexedAt"] != "2026-11-27T08:00:02.137Z" || p2["posts"].([]any)[0].(map[string]any)["uri"] == first["uri"] {
		t.Fatalf("shifted newest first, distinct pages: %v", first["indexedAt"])
	}
	since := get(url.Values{"q": {"Acme"}, "since": {"2026-11-26T10:00:00.000Z"}})
	if n := len(since["posts"].([]any)); n != 3 {
		t.Fatalf("since: %d posts", n)
	}
	if n := len(get(url.Values{"q": {`"acme corp pricing"`}})["posts"].([]any)); n != 1 {
		t.Fatalf("phrase: %d", n)
	}
	for _, bad := range []url.Values{{}, {"q": {"x"}, "limit": {"101"}}, {"q": {"x"}, "since": {"yesterday"}}, {"q": {"x"}, "cursor": {"-1"}}} {
		if code, _, m := call(t, "GET", srv.URL+"/bsky/xrpc/app.bsky.feed.searchPosts?"+bad.Encode(), access, ""); code != 400 || m["error"] != "InvalidRequest" {
			t.Errorf("%v: %d %v", bad, code, m)
		}
	}
}

func TestAuthorFeed(t *testing.T) {
	srv := newServer(t, Options{})
	var items []map[string]any
	cursor := ""
	for pages := 0; ; pages++ {
		u := srv.URL + "/bsky/xrpc/app.bsky.feed.getAuthorFeed?actor=acme.bsky.social&limit=3&cursor=" + url.QueryEscape(cursor)
		code, _, m := call(t, "GET", u, "", "")
		if code != 200 || pages > 5 {
			t.Fatalf("feed: %d %v", code, m)
		}
		for _, it := range m["feed"].([]any) {
			items = append(items, it.(map[string]any))
		}
		c, _ := m["cursor"].(string)
		if c == "" {
			break
		}
		cursor = c
	}
	var reposts, replies int
	for _, it := range items {
		if r, ok := it["reason"].(map[string]any); ok && r["$type"] == "app.bsky.feed.defs#reasonRepost" {
			reposts++
		}
		if r, ok := it["reply"].(map[string]any); ok && r["parent"].(map[string]any)["$type"] == "app.bsky.feed.defs#postView" {
			replies++
		}
	}
	if len(items) != 7 || reposts != 2 || replies != 2 {
		t.Fatalf("%d items, %d reposts, %d replies", len(items), reposts, replies)
	}
	code, _, m := call(t, "GET", srv.URL+"/bsky/xrpc/app.bsky.feed.getAuthorFeed?actor=jiwoo.bsky.social", "", "")
	found := false
	for _, it := range m["feed"].([]any) {
		if r, ok := it.(map[string]any)["reply"].(map[string]any); ok && r["parent"].(map[string]any)["notFound"] == true {
			found = true
		}
	}
	if code != 200 || !found {
		t.Fatal("reply to a deleted post has no notFoundPost parent")
	}
	if code, _, m := call(t, "GET", srv.URL+"/bsky/xrpc/app.bsky.actor.getProfile?actor=nobody.example", "", ""); code != 400 || m["message"] != "Profile not found" {
		t.Fatalf("unknown actor: %d %v", code, m)
	}
	if code, _, m := call(t, "GET", srv.URL+"/bsky/xrpc/app.bsky.actor.getProfile?actor=globex.bsky.social", "", ""); code != 200 || m["followersCount"] != float64(30544) {
		t.Fatalf("profile: %d %v", code, m)
	}
}

func TestFaultsAndMissingFixtures(t *testing.T) {
	srv := newServer(t, Options{Faults: []Fault{{Method: "app.bsky.actor.getProfile", Status: 429, File: "errors/ratelimit.json", Times: 1}}})
	u := srv.URL + "/bsky/xrpc/app.bsky.actor.getProfile?actor=acme.bsky.social"
	code, h, m := call(t, "GET", u, "", "")
	if code != 429 || m["error"] != "RateLimitExceeded" || h.Get("RateLimit-Reset") != strconv.FormatInt(now.Add(2*time.Minute).Unix(), 10) {
		t.Fatalf("fault: %d %v %v", code, m, h)
	}
	if code, _, _ := call(t, "GET", u, "", ""); code != 200 {
		t.Fatalf("fault fired twice: %d", code)
	}
	empty := httptest.NewServer(New(Options{FS: os.DirFS(t.TempDir())}))
	defer empty.Close()
	if code, _, _ := call(t, "GET", empty.URL+"/xrpc/app.bsky.actor.getProfile?actor=x", "", ""); code != 500 {
		t.Fatalf("no fixtures: %d", code)
	}
	if code, _, m := call(t, "GET", srv.URL+"/bsky/xrpc/app.bsky.feed.getTimeline", "", ""); code != 501 || m["error"] != "MethodNotImplemented" {
		t.Fatalf("unknown method: %d %v", code, m)
	}
}
