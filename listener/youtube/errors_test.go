package youtube

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

func errFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(youtubefake.Recordings(), "testdata/errors/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAuthFailure(t *testing.T) {
	base, rc := serve(t, fake(youtubefake.Options{}))
	cfg := fullConfig(base)
	cfg.APIKey = "wrong-key"
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	var ae *AuthError
	var he *listener.HTTPError
	if !errors.As(err, &ae) || !errors.As(err, &he) || he.StatusCode != 400 || posts != nil || next != nil {
		t.Fatalf("want AuthError with 400, got %v (%d posts, next %s)", err, len(posts), next)
	}
	if !strings.Contains(err.Error(), "api_key_env") || strings.Contains(err.Error(), "wrong-key") {
		t.Errorf("error must name the credential, not leak it: %v", err)
	}
	if rc.Count() != 1 {
		t.Errorf("%d requests after an auth failure, want 1", rc.Count())
	}
	cfg.APIKey = " "
	if _, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "no api key") {
		t.Errorf("missing key: %v", err)
	}
}

func TestQuotaExceeded(t *testing.T) {
	base, _ := serve(t, fake(youtubefake.Options{DailyQuota: 250}))
	cfg := fullConfig(base)
	cfg.Accounts, cfg.PageSize = nil, 50
	cfg.Queries = []string{"Acme", "Initech", "Globex"}
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 403 || he.RetryAfter != 20*time.Hour {
		t.Fatalf("want 403 with 20h wait (midnight Pacific), got %v", err)
	}
	// Two searches fit; the third is refused and nothing after it is tried.
	var cur cursor
	if json.Unmarshal(next, &cur) != nil || len(cur.Queries) != 2 || len(posts) == 0 {
		t.Fatalf("partial: %d posts, cursor %s", len(posts), next)
	}
	if got := quotaReset(time.Date(2026, 7, 1, 6, 59, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 7, 1, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("summer reset %s", got) // PDT: midnight is 07:00 UTC
	}
}

func TestBudget(t *testing.T) {
	base, rc := serve(t, fake(youtubefake.Options{}))
	cfg := fullConfig(base)
	cfg.Accounts, cfg.PageSize = nil, 50
	b := budget(150)
	posts, next, err := New(cfg, fetcher(), clock, b).Fetch(context.Background(), nil)
	var be *listener.BudgetError
	if !errors.As(err, &be) || be.Limit != 150 {
		t.Fatalf("want BudgetError, got %v", err)
	}
	if b.Used > b.Limit || rc.Count("/search?") != 1 || rc.Count("q=Initech") != 0 || rc.Count("/videos?") != 0 {
		t.Fatalf("budget used %d, %d requests", b.Used, rc.Count())
	}
	var cur cursor
	if json.Unmarshal(next, &cur) != nil || len(cur.Queries) != 1 || len(posts) != 9 {
		t.Fatalf("partial: %d posts, cursor %s", len(posts), next)
	}
	// Spent budget: nothing is sent at all.
	_, next, err = New(cfg, fetcher(), clock, b).Fetch(context.Background(), next)
	if !errors.As(err, &be) || next != nil || rc.Count() != 1 {
		t.Fatalf("spent budget: %v, %d requests", err, rc.Count())
	}
}

func TestErrorsPartialSuccess(t *testing.T) {
	inner := fake(youtubefake.Options{})
	bodies := map[string][]byte{"broken": errFixture(t, "backendError.json"), "slow": errFixture(t, "rateLimitExceeded.json"), "garbled": errFixture(t, "malformed.json")}
	base, rc := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		switch q {
		case "broken":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "slow":
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
		case "garbled":
		default:
			inner.ServeHTTP(w, r)
			return
		}
		_, _ = w.Write(bodies[q])
	}))
	cfg := fullConfig(base)
	cfg.Accounts = nil
	cfg.Queries = []string{"Acme", "broken", "garbled", "slow", "Initech"}
	prev, _ := json.Marshal(cursor{Queries: map[string]mark{"broken": {Since: now.Add(-time.Hour), IDs: []string{"x"}}, "Initech": {Since: now.Add(-2 * time.Hour)}}})
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), prev)
	if err == nil || next == nil || len(posts) == 0 {
		t.Fatalf("want partial success, got %d posts, next %s, err %v", len(posts), next, err)
	}
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 {
		t.Errorf("503 not in %v", err)
	}
	msg := err.Error()
	for _, want := range []string{`query "broken"`, `query "garbled"`, "decode " + base + "/youtube/v3/search?", "unexpected end of JSON", `query "slow"`, "retry after 30s"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, key) {
		t.Error("api key leaked into the error")
	}
	if rc.Count("q=Initech") != 0 || rc.Count("commentThreads") != 0 {
		t.Error("calls made after a 429")
	}
	var cur cursor
	_ = json.Unmarshal(next, &cur)
	if !cur.Queries["broken"].Since.Equal(now.Add(-time.Hour)) || !cur.Queries["Initech"].Since.Equal(now.Add(-2*time.Hour)) || cur.Queries["Acme"].Since.IsZero() {
		t.Errorf("cursor %+v", cur.Queries)
	}
	if _, ok := cur.Queries["garbled"]; ok {
		t.Error("failed query advanced")
	}
	// Only failures: no posts, no cursor.
	cfg.Queries = []string{"slow"}
	posts, next, err = New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != 30*time.Second || posts != nil || next != nil {
		t.Fatalf("429 alone: %v %s", err, next)
	}
	if _, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), []byte("{nope")); err == nil {
		t.Error("bad cursor accepted")
	}
	cfg.Queries = nil
	if _, _, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil); err == nil {
		t.Error("nothing configured accepted")
	}
}

func TestUnknownHandle(t *testing.T) {
	base, _ := serve(t, fake(youtubefake.Options{}))
	cfg := fullConfig(base)
	cfg.Queries = nil
	cfg.Accounts = append(cfg.Accounts, listener.Account{Brand: "Hooli", Handle: "hooli"})
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "no channel with handle @hooli") || next == nil || len(posts) == 0 {
		t.Fatalf("unknown handle: %v, %d posts", err, len(posts))
	}
}
