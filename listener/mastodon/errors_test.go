package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
)

func TestSearchWithToken(t *testing.T) {
	base, c := fake(t, mastodonfake.Options{Token: "s3cret"})
	cfg := Config{BaseURL: base, Queries: []string{"acme corp"}, Token: "s3cret", Lookback: lookback}
	posts, cur, err := New(cfg, fetcher(), clock).Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// "acme corp": the Acme Corp outage post, the pricing rant (both words).
	if len(posts) != 2 || c.Requests()[0].Header.Get("Authorization") != "Bearer s3cret" || c.Requests()[0].URL.Query().Get("type") != "statuses" {
		t.Fatalf("search: %d posts, request %v", len(posts), c.Requests()[0].URL)
	}
	if !strings.Contains(string(cur), `"search:acme corp":"117670438502416813"`) {
		t.Fatalf("cursor %s", cur)
	}
	// A wrong token: a clear error naming token_env, nothing committed.
	cfg.Token = "wrong"
	posts, next, err := New(cfg, fetcher(), clock).Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if err == nil || !strings.Contains(err.Error(), "check token_env") || !strings.Contains(err.Error(), "The access token is invalid") || !errors.As(err, &he) || he.StatusCode != 401 || next != nil || posts != nil {
		t.Fatalf("wrong token: %v next=%s", err, next)
	}
}

func TestQueriesWithoutToken(t *testing.T) {
	base, c := fake(t, mastodonfake.Options{})
	s := New(Config{BaseURL: base, Queries: []string{"Acme"}, Hashtags: []string{"initech"}, Lookback: lookback}, fetcher(), clock)
	posts, cur, err := s.Fetch(context.Background(), nil)
	if !errors.Is(err, ErrSearchNeedsToken) || len(posts) != 3 || cur == nil || c.Count("/search") != 0 {
		t.Fatalf("first fetch: %d posts, cursor %s, err %v", len(posts), cur, err)
	}
	if _, _, err := s.Fetch(context.Background(), cur); err != nil {
		t.Fatalf("the warning is given once, got %v", err)
	}
	// Only queries and no token: nothing to do is an error, no cursor.
	_, next, err := New(Config{BaseURL: base, Queries: []string{"Acme"}}, fetcher(), clock).Fetch(context.Background(), nil)
	if err == nil || next != nil || !strings.Contains(err.Error(), "token_env") {
		t.Fatalf("queries only: %v", err)
	}
}

func TestHashtagTimelinesDisabled(t *testing.T) {
	for _, access := range []string{"authenticated", "disabled"} {
		t.Run(access, func(t *testing.T) {
			base, _ := fake(t, mastodonfake.Options{HashtagFeeds: access})
			posts, next, err := New(Config{BaseURL: base, Hashtags: []string{"acme"}, Lookback: lookback}, fetcher(), clock).Fetch(context.Background(), nil)
			if !errors.Is(err, ErrHashtagTimelinesDisabled) || next != nil || posts != nil {
				t.Fatalf("got %d posts, next %s, err %v", len(posts), next, err)
			}
			host := strings.TrimPrefix(strings.TrimSuffix(base, "/mastodon"), "http://")
			if !strings.Contains(err.Error(), "disabled on "+host) {
				t.Fatalf("error does not name the instance: %v", err)
			}
			if access == "authenticated" && !strings.Contains(err.Error(), "(401); configure token_env") {
				t.Fatalf("error %v", err)
			}
		})
	}
	// Public but quiet: an empty timeline is not an error, and an unknown
	// tag (404) is an empty timeline.
	base, c := fake(t, mastodonfake.Options{})
	s := New(Config{BaseURL: base, Hashtags: []string{"acme", "neverused"}, Lookback: time.Minute}, fetcher(), clock)
	for range 2 {
		if posts, cur, err := s.Fetch(context.Background(), nil); err != nil || len(posts) != 0 || cur == nil {
			t.Fatalf("quiet: %d posts %v", len(posts), err)
		}
	}
	if n := c.Count("/api/v2/instance"); n != 1 {
		t.Fatalf("instance read %d times, want once", n)
	}
}

func TestRateLimit(t *testing.T) {
	// One request per window: the first answer says Remaining 0, so the
	// Fetch stops with the wait; the next Fetch meets the 429.
	base, c := fake(t, mastodonfake.Options{RateLimit: 1})
	s := New(Config{BaseURL: base, Hashtags: []string{"acme", "initech"}, Limit: 3, Lookback: lookback}, fetcher(), clock)
	posts, cur, err := s.Fetch(context.Background(), nil)
	var he *listener.HTTPError
	wait := now.Truncate(5 * time.Minute).Add(5 * time.Minute).Sub(now)
	if !errors.As(err, &he) || he.RetryAfter != wait || len(posts) != 3 || cur == nil || c.Count() != 1 {
		t.Fatalf("remaining 0: %d posts, %d requests, err %v", len(posts), c.Count(), err)
	}
	posts, next, err := s.Fetch(context.Background(), cur)
	if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != wait || next != nil || posts != nil || c.Count() != 2 {
		t.Fatalf("429: %v, %d requests", err, c.Count())
	}
}

func TestPartialSuccessAndErrors(t *testing.T) {
	malformed := readFixture(t, "malformed.json")
	limited := readFixture(t, "error_rate_limited.json")
	inner := http.StripPrefix("/mastodon", mastodonfake.New(mastodonfake.Options{Clock: clock}))
	c := &listenertest.Recorder{Next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/mastodon/api/v1/timelines/tag/broken":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html><body>503 Service Unavailable</body></html>"))
		case "/mastodon/api/v1/timelines/tag/garbled":
			_, _ = w.Write(malformed)
		case "/mastodon/api/v1/timelines/tag/slow":
			w.Header().Set("X-RateLimit-Limit", "300")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", now.Add(90*time.Second).Format("2006-01-02T15:04:05.000000Z"))
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write(limited)
		default:
			inner.ServeHTTP(w, r)
		}
	})}
	base := newServer(t, c) + "/mastodon"
	prev, _ := json.Marshal(cursor{Timelines: map[string]string{"tag:broken": "117600000000000000", "tag:after": "117600000000000001"}})
	accounts := []listener.Account{{Brand: "Acme", Handle: "acme"}, {Brand: "Nobody", Handle: "nobody@nowhere.example"}}
	s := New(Config{BaseURL: base, Accounts: accounts, Hashtags: []string{"broken", "garbled", "initech", "slow", "after"}, Lookback: lookback}, fetcher(), clock)
	posts, next, err := s.Fetch(context.Background(), prev)
	if err == nil || next == nil || len(posts) != 9 { // acme's 6 timeline entries + 3 #initech
		t.Fatalf("partial: %d posts, next %s, err %v", len(posts), next, err)
	}
	msg := err.Error()
	for _, want := range []string{
		`account "nobody@nowhere.example" not found`, "tag:broken", "http 503", "tag:garbled", "decode " + base + "/api/v1/timelines/tag/garbled",
		"unexpected end of JSON", "tag:slow", "http 429 (retry after 1m30s)", "Too many requests",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if c.Count("/tag/after") != 0 {
		t.Error("a timeline after the 429 was still polled")
	}
	var cu cursor
	_ = json.Unmarshal(next, &cu)
	want := map[string]string{
		"tag:broken": "117600000000000000", "tag:after": "117600000000000001",
		"tag:initech": "117659507097614620", "account:acme": "117680268902419737",
	}
	if len(cu.Timelines) != len(want) {
		t.Errorf("cursor %v, want %v", cu.Timelines, want)
	}
	for k, v := range want {
		if cu.Timelines[k] != v {
			t.Errorf("cursor %s = %q, want %q", k, cu.Timelines[k], v)
		}
	}
	if _, _, err := s.Fetch(context.Background(), []byte(`{"timelines":{"tag:x":"12abc"}}`)); err == nil {
		t.Error("bad cursor id accepted")
	}
	if _, _, err := New(Config{BaseURL: "ftp://x", Hashtags: []string{"a"}}, fetcher(), clock).Fetch(context.Background(), nil); err == nil {
		t.Error("bad base url accepted")
	}
}

func TestCompareIDs(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"99", "100", -1}, {"113496872345678901", "113496872345678901", 0}, {"0099", "99", 0},
		{"117680268902419737", "117680268902419736", 1}, {"9", "10000000000000000000000", -1}, {"0", "000", 0},
	}
	for _, c := range cases {
		if got := compareIDs(c.a, c.b); got != c.want {
			t.Errorf("compareIDs(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	if validID("") || validID("12a") || validID("-1") || validID(strings.Repeat("9", 31)) || !validID("113496872345678901") {
		t.Error("validID")
	}
	if got := linkMinID(`<https://m.example/api/v1/timelines/tag/a?max_id=1>; rel="next", <https://m.example/api/v1/timelines/tag/a?min_id=42>; rel="prev"`); got != "42" {
		t.Errorf("linkMinID = %q", got)
	}
}
