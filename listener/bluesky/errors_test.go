package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
	"github.com/earshot/earshot/listener/listenertest"
)

func TestPartialSuccessAndErrors(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{Faults: []blueskyfake.Fault{
		{Method: "app.bsky.feed.searchPosts", Match: "Initech", Status: 502, File: "errors/upstream_failure.json"},
		{Method: "app.bsky.feed.searchPosts", Match: "Acme", Status: 200, File: "errors/malformed.json"},
		{Method: "app.bsky.feed.searchPosts", Match: "Globex", Status: 429, File: "errors/ratelimit.json", Reset: 2 * time.Minute},
		{Method: "app.bsky.actor.getProfile", Match: "initech.bsky.social", Status: 400, File: "errors/profile_not_found.json"},
	}})
	cfg := e.config()
	cfg.Accounts = brands
	cfg.Queries = []string{"outage", "Initech", "Acme", "Globex", "pricing"}
	prev, _ := json.Marshal(cursor{Queries: map[string]*feedState{
		"Initech": {Since: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		"pricing": {Since: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)},
	}})
	posts, next, err := e.source(cfg, nil).Fetch(context.Background(), prev)
	if err == nil || next == nil || len(posts) == 0 {
		t.Fatalf("want partial success, got %d posts, next %s, %v", len(posts), next, err)
	}
	msg := err.Error()
	for _, want := range []string{
		`account "initech.bsky.social"`, "Profile not found",
		`query "Initech"`, "http 502", "UpstreamFailure",
		`query "Acme": decode ` + e.srv.URL + "/bsky/xrpc/app.bsky.feed.searchPosts?", "unexpected end of JSON",
		`query "Globex"`, "http 429", "RateLimitExceeded",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	var he *listener.HTTPError
	var rl *listener.HTTPError
	for _, x := range err.(interface{ Unwrap() []error }).Unwrap() {
		if errors.As(x, &he) && he.StatusCode == 429 {
			rl = he
		}
	}
	// httpx reads Retry-After and X-RateLimit-Reset; Bluesky's
	// RateLimit-Reset is honoured when httpx learns it (2m here), else the
	// 5-minute window applies.
	if rl == nil || (rl.RetryAfter != 2*time.Minute && rl.RetryAfter != rateLimitWindow) {
		t.Fatalf("429: %+v", rl)
	}
	if e.count("app.bsky.feed.searchPosts") != 4 {
		t.Errorf("the query after a 429 was still sent (%d searches)", e.count("app.bsky.feed.searchPosts"))
	}
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	if cur.Queries["outage"] == nil || cur.Accounts["acme.bsky.social"] == nil || cur.Accounts["globex.bsky.social"] == nil {
		t.Errorf("succeeded endpoints not advanced: %s", next)
	}
	if st := cur.Queries["Initech"]; st == nil || !st.Since.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("failed query moved: %+v", st)
	}
	if st := cur.Queries["pricing"]; st == nil || !st.Since.Equal(time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("untried query lost its state: %+v", st)
	}
	if _, ok := cur.Queries["Acme"]; ok {
		t.Error("failed first-run query got a state")
	}
	if _, ok := cur.Accounts["initech.bsky.social"]; ok {
		t.Error("failed first-run account got a state")
	}
}

func TestOnly429(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{Faults: []blueskyfake.Fault{
		{Method: "app.bsky.feed.searchPosts", Status: 429, File: "errors/ratelimit.json"},
	}})
	cfg := e.config()
	cfg.Queries = []string{"Acme", "Globex"}
	posts, next, err := e.source(cfg, nil).Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if posts != nil || next != nil || !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter <= 0 {
		t.Fatalf("429: %d posts, next %s, %v", len(posts), next, err)
	}
}

// budget allows limit units, resetting 12 hours after start.
func budget(limit int) *listenertest.Budget {
	return &listenertest.Budget{Limit: limit, Resets: start.Add(12 * time.Hour)}
}

func TestBudget(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{})
	cfg := e.config()
	cfg.PageSize = 2
	cfg.Accounts = brands[:1]
	cfg.Queries = []string{"Acme", "Globex"}
	b := budget(7) // login, profile, 4 feed pages (5 posts, 2 reposts), 1 search page
	posts, next, err := e.source(cfg, b).Fetch(context.Background(), nil)
	var be *listener.BudgetError
	if !errors.As(err, &be) || next == nil || len(posts) == 0 {
		t.Fatalf("want partial result with BudgetError, got %d posts, next %s, %v", len(posts), next, err)
	}
	if e.total() != 7 || b.Used != 7 {
		t.Fatalf("%d requests, %d units used; want 7", e.total(), b.Used)
	}
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	if cur.Accounts["acme.bsky.social"] == nil || len(cur.Queries) != 0 {
		t.Fatalf("only the account finished: %s", next)
	}
}

func TestLoginOutageStopsFetch(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{Faults: []blueskyfake.Fault{
		{Method: "com.atproto.server.createSession", Status: 502, File: "errors/upstream_failure.json"},
	}})
	cfg := e.config()
	cfg.Queries = []string{"Acme", "Globex", "Initech"}
	posts, next, err := e.source(cfg, nil).Fetch(context.Background(), nil)
	if err == nil || next != nil || posts != nil || !strings.Contains(err.Error(), "create session") {
		t.Fatalf("want a session error, got %d posts, next %s, %v", len(posts), next, err)
	}
	if n := e.count("com.atproto.server.createSession"); n != 1 {
		t.Fatalf("%d logins in one fetch, want 1", n)
	}
}
