package daum

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/daum/daumfake"
)

func TestAuthFailure(t *testing.T) {
	base, rc := fake(t, nil, daumfake.Options{APIKey: "right"})
	cfg := config(base, "아크미", "Acme")
	cfg.APIKey = "wrong"
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 401 || posts != nil || next != nil {
		t.Fatalf("want 401 and nothing: %v %v %s", err, posts, next)
	}
	for _, want := range []string{"authentication failed", "api_key_env", "KakaoAK", "[daum AccessDeniedError", `blog "아크미"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if rc.Count() != 1 {
		t.Errorf("%d calls after a 401, want 1: every call would fail", rc.Count())
	}

	for _, c := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.APIKey = " " }, "api_key_env"},
		{func(c *Config) { c.Queries = []string{" "} }, "no queries"},
		{func(c *Config) { c.Kinds = []string{"news"} }, `unknown kind "news"`},
	} {
		cfg := config(base, "Acme")
		c.mod(&cfg)
		if _, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("config check: %v, want %q", err, c.want)
		}
	}
	if rc.Count() != 1 {
		t.Errorf("config errors sent requests")
	}
	if _, _, err := New(config(base, "Acme"), fetcher(), clock, nil).Fetch(context.Background(), []byte("{bad")); err == nil {
		t.Error("bad cursor accepted")
	}
}

// Failures of some searches keep the others: an empty result is a success,
// a malformed body and a server error fail their search alone, the quota's
// 429 ends the Fetch and the searches after it keep their state.
func TestErrorsPartial(t *testing.T) {
	// The real API sends no Retry-After with its 429: the status alone
	// ends the Fetch.
	base, rc := fake(t, nil, daumfake.Options{Faults: map[string]daumfake.Fault{
		"nothing": daumfake.FaultEmpty, "garbled": daumfake.FaultMalformed, "down": daumfake.FaultServer, "slow": daumfake.FaultQuota,
	}})
	prev, _ := json.Marshal(cursor{Searches: map[string]map[string]*searchState{
		KindBlog: {"down": {Seen: []string{"https://a.example/1"}}, "Acme": {Seen: []string{"https://a.example/2"}}},
	}})
	cfg := config(base, "아크미", "nothing", "garbled", "down", "slow", "Acme")
	cfg.Kinds = []string{KindBlog}
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), prev)
	if err == nil || next == nil || len(posts) != 5 {
		t.Fatalf("want partial result: %d posts next=%s err=%v", len(posts), next, err)
	}
	for _, want := range []string{`"garbled"`, "unexpected end of JSON input", "kakao server error", "[daum InternalServerError",
		"quota exceeded", "[daum RequestThrottled: API limit has been exceeded.]", "http 429"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if n := rc.Count("query=Acme"); n != 0 {
		t.Errorf("Acme searched %d times after the quota's 429", n)
	}
	var cur cursor
	if err := json.Unmarshal(next, &cur); err != nil {
		t.Fatal(err)
	}
	blog := cur.Searches[KindBlog]
	if len(blog["아크미"].Seen) != 5 || blog["nothing"] == nil || blog["garbled"] != nil ||
		blog["down"].Seen[0] != "https://a.example/1" || blog["Acme"].Seen[0] != "https://a.example/2" {
		t.Errorf("cursor %s", next)
	}
}

func TestBudgetStopsFetch(t *testing.T) {
	base, rc := fake(t, nil, daumfake.Options{})
	b := budget(3)
	cfg := config(base, "아크미", "Acme")
	posts, next, err := New(cfg, fetcher(), clock, b).Fetch(context.Background(), nil)
	var be *listener.BudgetError
	if !errors.As(err, &be) || rc.Count() != 3 || b.Used != 3 || next == nil {
		t.Fatalf("budget: %v after %d calls, used %d", err, rc.Count(), b.Used)
	}
	// blog, cafe and web of 아크미: 5 + 3 + 3 results.
	if len(posts) != 11 {
		t.Errorf("%d posts, want the 11 of the three searches the budget paid for", len(posts))
	}
}

func TestNullsAndJunk(t *testing.T) {
	body := `{"meta":{"total_count":8,"pageable_count":8,"is_end":true},"documents":[
	 {"title":null,"contents":null,"url":"https://cafe.daum.net/junk/a/1","datetime":null,"cafename":null},
	 {"title":"no url","url":"","datetime":"2026-11-26T09:00:00.000+09:00"},
	 {"title":"script url","url":"javascript:alert(1)","datetime":"2026-11-26T09:00:00.000+09:00"},
	 {"title":"relative","url":"/x/1","datetime":"2026-11-26T09:00:00.000+09:00"},
	 {"title":"<b>dup</b>","url":"http://CAFE.daum.net/junk/a/1#comment","datetime":"2026-11-26T09:00:00.000+09:00"},
	 {"title":"future","url":"https://cafe.daum.net/junk/a/2","datetime":"2036-11-26T09:00:00.000+09:00"},
	 {"title":"bad date","url":"https://cafe.daum.net/junk/a/3","datetime":"2026-11-2"},
	 {"title":"epoch","url":"https://cafe.daum.net/junk/a/4","datetime":"1970-01-01T09:00:00.000+09:00"}
	],"extra":{"ignored":true}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }))
	defer srv.Close()
	cfg := config(srv.URL, "x")
	cfg.Kinds = []string{KindCafe}
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 4 || posts[0].NativeID != "https://cafe.daum.net/junk/a/1" || posts[1].NativeID != "https://cafe.daum.net/junk/a/2" {
		t.Fatalf("posts %+v", posts)
	}
	for _, p := range posts {
		if !p.Published.Equal(now) || !p.PublishedEstimated {
			t.Errorf("%s: published %s estimated %v, want the fetch time, estimated", p.NativeID, p.Published, p.PublishedEstimated)
		}
	}
	if p := posts[0]; p.Title != "" || p.Author != "cafe.daum.net/junk" {
		t.Errorf("null document %+v", p)
	}
	// Undated documents do not move the search's newest date.
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	if st := cur.Searches[KindCafe]["x"]; !st.Newest.IsZero() || len(st.Seen) != 4 {
		t.Errorf("cursor %+v", st)
	}

	for _, b := range []string{`{"documents":[]}`, `{"errorType":"InvalidArgument","message":"page is more than max"}`, `[]`} {
		if _, err := decodeEnvelope([]byte(b)); err == nil {
			t.Errorf("decode %s: no error", b)
		}
	}
}

func TestExplain(t *testing.T) {
	cases := []struct {
		he   *listener.HTTPError
		want string
	}{
		{&listener.HTTPError{StatusCode: 400, Body: `{"errorType":"MissingParameter","message":"query parameter required"}`}, "bad request: check the query and kinds [daum MissingParameter: query parameter required]"},
		{&listener.HTTPError{StatusCode: 401, Body: `{"errorType":"AccessDeniedError","message":"cannot find appKey"}`}, "authentication failed: check the REST API key"},
		{&listener.HTTPError{StatusCode: 403, Body: `<html>forbidden</html>`}, "enable Daum search for this app"},
		{&listener.HTTPError{StatusCode: 429, Body: `{"errorType":"RequestThrottled","message":"API limit has been exceeded."}`}, "quota exceeded"},
		{&listener.HTTPError{StatusCode: 502, Body: `bad gateway`}, "kakao server error: "},
	}
	for _, c := range cases {
		err := explain(c.he)
		var he *listener.HTTPError
		if !strings.Contains(err.Error(), c.want) || !errors.As(err, &he) || he != c.he {
			t.Errorf("explain(%d %s) = %v, want %q", c.he.StatusCode, c.he.Body, err, c.want)
		}
	}
	if err := errors.New("x"); explain(err) != err {
		t.Error("a non-HTTP error is changed")
	}
}
