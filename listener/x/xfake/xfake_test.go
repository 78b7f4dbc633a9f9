package xfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func startServer(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	opts.BearerToken = "tok"
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return now }
	}
	srv := httptest.NewServer(http.StripPrefix("/x", New(opts)))
	t.Cleanup(srv.Close)
	return srv
}

type body struct {
	Data     []map[string]any `json:"data"`
	Includes *struct {
		Users []map[string]any `json:"users"`
	} `json:"includes"`
	Errors []map[string]any `json:"errors"`
	Meta   map[string]any   `json:"meta"`
	Title  string           `json:"title"`
	Type   string           `json:"type"`
}

func get(t *testing.T, srv *httptest.Server, path string, q url.Values) (int, body, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x"+path+"?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b body
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return resp.StatusCode, b, resp.Header
}

func search(q string, extra ...string) url.Values {
	v := url.Values{"query": {q}, "max_results": {"10"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

func TestPagingAndProjection(t *testing.T) {
	srv := startServer(t, Options{})
	seen := map[string]bool{}
	q := search("Acme OR 아크미 OR Globex OR 글로벡스 OR Initech OR 이니텍 OR battery")
	pages := 0
	for {
		code, b, h := get(t, srv, "/2/tweets/search/recent", q)
		if code != 200 || h.Get("x-rate-limit-limit") != "450" || h.Get("x-rate-limit-reset") == "" {
			t.Fatalf("status %d headers %v", code, h)
		}
		pages++
		for _, d := range b.Data {
			id := d["id"].(string)
			if seen[id] {
				t.Fatalf("tweet %s served twice", id)
			}
			seen[id] = true
			if len(d) != 3 || d["edit_history_tweet_ids"] == nil {
				t.Errorf("unasked fields served: %v", d)
			}
		}
		if b.Includes != nil {
			t.Error("includes without expansions")
		}
		tok, _ := b.Meta["next_token"].(string)
		if tok == "" {
			break
		}
		q.Set("next_token", tok)
	}
	if pages < 2 || len(seen) < 15 {
		t.Fatalf("%d tweets in %d pages", len(seen), pages)
	}
	_, b, _ := get(t, srv, "/2/tweets/search/recent", search("Acme", "tweet.fields", "created_at,public_metrics", "expansions", "author_id", "user.fields", "public_metrics"))
	if b.Data[0]["public_metrics"] == nil || b.Data[0]["lang"] != nil || b.Includes == nil || b.Includes.Users[0]["public_metrics"] == nil {
		t.Errorf("projection: %v %v", b.Data[0], b.Includes)
	}
	if len(b.Errors) != 1 || b.Errors[0]["title"] != "Not Found Error" {
		t.Errorf("missing author not reported: %v", b.Errors)
	}
}

func TestQueries(t *testing.T) {
	srv := startServer(t, Options{})
	count := func(q string, extra ...string) int {
		code, b, _ := get(t, srv, "/2/tweets/search/recent", search(q, append(extra, "max_results", "100")...))
		if code != 200 {
			t.Fatalf("%q: status %d", q, code)
		}
		if b.Data == nil && b.Meta["result_count"].(float64) != 0 {
			t.Fatalf("%q: data absent but count %v", q, b.Meta)
		}
		return len(b.Data)
	}
	all, notGlobex := count("Globex"), count("Globex -from:globex")
	if all != 3 || notGlobex != 2 || count("(Globex) -is:retweet") != all {
		t.Errorf("Globex %d, without own %d", all, notGlobex)
	}
	if n := count(`"Acme Corp"`); n != 1 {
		t.Errorf("phrase: %d", n)
	}
	if n := count("아크미 lang:ko"); n != 1 {
		t.Errorf("korean in window: %d", n)
	}
	if n := count("Acme is:retweet"); n != 1 {
		t.Errorf("retweets: %d", n)
	}
	if n := count("nosuchwordanywhere"); n != 0 {
		t.Errorf("no match: %d", n)
	}
	if n := count("Acme", "since_id", "2125858346339393614"); n != 0 {
		t.Errorf("since_id: %d", n)
	}
}

func TestErrorsAndTimeline(t *testing.T) {
	srv := startServer(t, Options{Fail: map[string]string{"slow": RateLimited}})
	for _, c := range []url.Values{
		search("Acme", "max_results", "5"), search("Acme", "bogus", "1"), search("Acme ("), search("Acme", "start_time", "2026-11-01T00:00:00Z"),
		search(strings.Repeat("a", 513)), search("Acme", "since_id", "abc"), search("Acme", "next_token", "garbage"), search("x foo:bar"),
	} {
		code, b, _ := get(t, srv, "/2/tweets/search/recent", c)
		if code != 400 || b.Type != "https://api.twitter.com/2/problems/invalid-request" || len(b.Errors) != 1 {
			t.Errorf("%v: status %d body %+v", c, code, b)
		}
	}
	if code, b, h := get(t, srv, "/2/tweets/search/recent", search("slow")); code != 429 || b.Title != "Too Many Requests" || h.Get("x-rate-limit-remaining") != "0" {
		t.Errorf("429: %d %+v", code, b)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x/2/tweets/search/recent?query=a", nil)
	req.Header.Set("Authorization", "Bearer nope")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("wrong token: %v %v", resp, err)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/x/2/users/by/username/Acme?user.fields=public_metrics", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var user struct {
		Data map[string]any `json:"data"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&user)
	resp.Body.Close()
	if user.Data["id"] != "2984471234" || user.Data["username"] != "acme" || user.Data["public_metrics"] == nil {
		t.Errorf("lookup: %v", user.Data)
	}
	_, b, _ := get(t, srv, "/2/users/by/username/nosuch", nil)
	if len(b.Errors) != 1 || !strings.Contains(b.Errors[0]["detail"].(string), "nosuch") {
		t.Errorf("missing user: %+v", b)
	}
	_, b, _ = get(t, srv, "/2/users/2984471234/tweets", url.Values{"max_results": {"5"}, "exclude": {"retweets,replies"}, "tweet.fields": {"referenced_tweets"}})
	for _, d := range b.Data {
		if d["referenced_tweets"] != nil {
			t.Errorf("reply not excluded: %v", d)
		}
	}
	if len(b.Data) != 3 {
		t.Errorf("timeline: %d tweets", len(b.Data))
	}
}

func TestShiftAndClock(t *testing.T) {
	srv := startServer(t, Options{Shift: 48 * time.Hour, Clock: func() time.Time { return now.Add(48 * time.Hour) }})
	_, b, _ := get(t, srv, "/2/tweets/search/recent", search("Acme", "tweet.fields", "created_at"))
	if len(b.Data) == 0 || b.Data[0]["created_at"] != "2026-11-28T07:45:00.962Z" {
		t.Fatalf("shifted: %v", b.Data)
	}
	early := startServer(t, Options{Clock: func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }})
	_, b, _ = get(t, early, "/2/tweets/search/recent", search("Acme", "tweet.fields", "created_at"))
	for _, d := range b.Data {
		if d["created_at"].(string) > "2026-11-24T12" {
			t.Errorf("future tweet served: %v", d)
		}
	}
}

func FuzzQuery(f *testing.F) {
	for _, s := range []string{"Acme", `"Acme Corp" -from:acme`, "(a OR b) -(c d)", "아크미 lang:ko", "a OR", "((", `"x`, "-"} {
		f.Add(s)
	}
	tweets := []*poolTweet{
		{search: "acme corp battery 아크미의", refs: map[string]bool{}},
		{search: "\"x (a) - b", username: "acme", lang: "ko", hasLinks: true, refs: map[string]bool{"replied_to": true}},
		{search: "", refs: map[string]bool{}},
	}
	f.Fuzz(func(t *testing.T, q string) {
		m, err := parseQuery(q)
		if err != nil {
			return
		}
		// Grouping changes nothing, -( ) negates, and q OR q is q, on
		// every tweet; the answer does not depend on asking twice.
		group, gerr := parseQuery("(" + q + ")")
		neg, nerr := parseQuery("-(" + q + ")")
		or, oerr := parseQuery(q + " OR " + q)
		if oerr != nil {
			t.Fatalf("%q parses but %q OR itself: %v", q, q, oerr)
		}
		if (gerr != nil || nerr != nil) && !strings.Contains(fmt.Sprint(gerr, nerr), "nests too deeply") {
			t.Fatalf("%q parses but (%q): %v, -(%q): %v", q, q, gerr, q, nerr)
		}
		for i, tw := range tweets {
			got := m(tw)
			if m(tw) != got || or(tw) != got {
				t.Fatalf("query %q on tweet %d: %v, again %v, OR itself %v", q, i, got, m(tw), or(tw))
			}
			if gerr == nil && (group(tw) != got || neg(tw) == got) {
				t.Fatalf("query %q on tweet %d: %v, grouped %v, negated %v", q, i, got, group(tw), neg(tw))
			}
		}
	})
}
