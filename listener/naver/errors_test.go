package naver

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/naver/naverfake"
)

func TestAuthFailure(t *testing.T) {
	base, rc := fake(t, nil, naverfake.Options{ClientID: "id", ClientSecret: "right"})
	cfg := config(base, "아크미", "Acme")
	cfg.ClientSecret = "wrong"
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 401 || posts != nil || next != nil {
		t.Fatalf("want 401 and nothing: %v %v %s", err, posts, next)
	}
	for _, want := range []string{"authentication failed", "client_id_env", "client_secret_env", "[naver 024]", `blog "아크미"`} {
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
		{func(c *Config) { c.ClientID = " " }, "client_id_env"},
		{func(c *Config) { c.ClientSecret = "" }, "client_secret_env"},
		{func(c *Config) { c.Queries = []string{" "} }, "no queries"},
		{func(c *Config) { c.Kinds = []string{"webkr"} }, `unknown kind "webkr"`},
		{func(c *Config) { c.PathTemplate = "/v1/search/blog.json" }, "{kind}"},
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

func TestAPIHubConfig(t *testing.T) {
	base, rc := fake(t, nil, naverfake.Options{ClientID: "hub-id", ClientSecret: "hub-key", IDHeader: "X-NCP-APIGW-API-KEY-ID", SecretHeader: "X-NCP-APIGW-API-KEY"})
	cfg := Config{BaseURL: base + "/", PathTemplate: "/search/v1/{kind}", Queries: []string{"Globex"}, Kinds: []string{KindNews},
		ClientID: "hub-id", ClientSecret: "hub-key", IDHeader: "X-NCP-APIGW-API-KEY-ID", SecretHeader: "X-NCP-APIGW-API-KEY", Lookback: 15 * 24 * time.Hour}
	posts, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err != nil || len(posts) != 1 || rc.Requests()[0].URL.Path != "/naver/search/v1/news" {
		t.Fatalf("hub: %d posts %v", len(posts), err)
	}
}

func TestErrorsPartial(t *testing.T) {
	base, rc := fake(t, nil, naverfake.Options{RetryAfter: 30 * time.Second, Faults: map[string]naverfake.Fault{
		"broken": naverfake.FaultServer, "garbled": naverfake.FaultMalformed, "slow": naverfake.FaultRateLimit,
	}})
	prev := mustJSON(t, cursor{Searches: map[string]map[string]*searchState{
		KindNews: {"broken": {Seen: []string{"https://a.example/1"}}, "after": {Seen: []string{"https://a.example/2"}}},
	}})
	cfg := config(base, "글로벡스", "broken", "garbled", "slow", "after")
	cfg.Kinds = []string{KindNews}
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), prev)
	if err == nil || next == nil || len(posts) != 3 {
		t.Fatalf("want partial result: %d posts next=%s err=%v", len(posts), next, err)
	}
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 500 {
		t.Fatalf("want the 500 first in %v", err)
	}
	msg := err.Error()
	for _, want := range []string{`news "broken"`, "naver system error [naver SE99]", `news "garbled"`, "decode " + base + "/v1/search/news.json?", "unexpected end of JSON",
		`news "slow"`, "rate limit exceeded", "[naver 012]", "retry after 30s"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	for _, r := range rc.Requests() {
		if r.URL.Query().Get("query") == "after" {
			t.Error("a query after the 429 was still sent")
		}
	}
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	if len(cur.Searches[KindNews]["글로벡스"].Seen) != 3 || cur.Searches[KindNews]["broken"].Seen[0] != "https://a.example/1" ||
		cur.Searches[KindNews]["after"].Seen[0] != "https://a.example/2" || cur.Searches[KindNews]["garbled"] != nil {
		t.Errorf("cursor %s", next)
	}

	// Only the 429: no posts, no cursor, the wait reachable.
	cfg.Queries = []string{"slow"}
	posts, next, err = New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != 30*time.Second || posts != nil || next != nil {
		t.Fatalf("429: %v %v %s", err, posts, next)
	}
}

func TestBudget(t *testing.T) {
	base, rc := fake(t, nil, naverfake.Options{})
	cfg := config(base, "아크미", "Acme")
	cfg.Display = 4
	b := budget(5)
	posts, next, err := New(cfg, fetcher(), clock, b).Fetch(context.Background(), nil)
	var be *listener.BudgetError
	if !errors.As(err, &be) || next == nil || len(posts) == 0 {
		t.Fatalf("want partial with BudgetError: %d posts, %v", len(posts), err)
	}
	if rc.Count() != 5 || b.Used != 5 {
		t.Fatalf("%d calls, %d units used, want 5 and 5", rc.Count(), b.Used)
	}
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	// 아크미: blog 2 calls (7 results, 4 a page), news 1, café 1 (first
	// fetch); Acme: blog 1, then news is refused. The interrupted search
	// keeps no state.
	done := 0
	for _, byQuery := range cur.Searches {
		done += len(byQuery)
	}
	if done != 4 || cur.Searches[KindBlog]["Acme"] == nil || cur.Searches[KindNews]["Acme"] != nil {
		t.Errorf("%d searches in the cursor, want 4 (all but Acme news and café): %s", done, next)
	}

	// Spent before the first call: nothing sent, nothing committed.
	rc2 := rc.Count()
	posts, next, err = New(cfg, fetcher(), clock, budget(0)).Fetch(context.Background(), nil)
	if !errors.As(err, &be) || posts != nil || next != nil || rc.Count() != rc2 {
		t.Fatalf("empty budget: %v %v %s, %d calls", err, posts, next, rc.Count()-rc2)
	}
}
