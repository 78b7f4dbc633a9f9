package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/reddit/redditfake"
)

func TestTokenReusedAndRefreshed(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	s := e.source(nil)
	_, cur := fetch(t, s, nil)
	e.clock.Set(t0.Add(time.Hour))
	_, cur = fetch(t, s, cur)
	if n := e.fake.Stats().TokensIssued; n != 1 {
		t.Fatalf("token fetched %d times, want 1", n)
	}
	// Four minutes before expiry the token is renewed ahead of time.
	e.clock.Set(t0.Add(24*time.Hour - 4*time.Minute))
	fetch(t, s, cur)
	if n := e.fake.Stats().TokensIssued; n != 2 {
		t.Fatalf("token fetched %d times, want 2", n)
	}
}

func TestUnauthorizedReauthenticatesOnce(t *testing.T) {
	e := newEnv(t, redditfake.Options{Faults: []redditfake.Fault{{Path: "/search", Query: "Globex", Kind: redditfake.FaultUnauthorized, Times: 1}}}, nil)
	posts, _ := fetch(t, e.source(nil), nil)
	if len(posts) != len(allIDs) || e.fake.Stats().TokensIssued != 2 {
		t.Fatalf("%d posts, %d tokens", len(posts), e.fake.Stats().TokensIssued)
	}
	// A token refused twice in a row is a credentials problem.
	e = newEnv(t, redditfake.Options{Faults: []redditfake.Fault{{Path: "/user/acme/about", Kind: redditfake.FaultUnauthorized}}}, nil)
	posts, next, err := e.source(nil).Fetch(context.Background(), nil)
	if !errors.Is(err, ErrCredentials) || posts != nil || next != nil || e.fake.Stats().TokensIssued != 2 {
		t.Fatalf("got %d posts, next %s, err %v", len(posts), next, err)
	}
}

func TestWrongCredentials(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, func(c *Config) { c.ClientSecret = "wrong" })
	posts, next, err := e.source(nil).Fetch(context.Background(), nil)
	if !errors.Is(err, ErrCredentials) || posts != nil || next != nil {
		t.Fatalf("got %d posts, next %s, err %v", len(posts), next, err)
	}
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusUnauthorized || !strings.Contains(he.Body, `"Unauthorized"`) {
		t.Fatalf("want the 401 inside: %v", err)
	}
	if !strings.Contains(err.Error(), "client_id_env / client_secret_env credentials rejected") {
		t.Fatalf("message: %v", err)
	}
	if n := e.fake.Stats().APIRequests; n != 0 {
		t.Fatalf("%d API calls after a failed login", n)
	}
}

// A generic fetcher's User-Agent does not replace Reddit's required one:
// the source sets its own on every request.
func TestRedditUserAgentWinsOverFetcher(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	f := httpx.New(httpx.Options{PerHostInterval: -1, Clock: e.clock.Now}) // generic Earshot UA
	if _, _, err := New(e.cfg, f, e.clock.Now, nil).Fetch(context.Background(), nil); err != nil {
		t.Fatalf("fetch through a generic fetcher: %v", err)
	}
}

// The fake, like Reddit, refuses a User-Agent not of the required form.
func TestWrongUserAgentRejected(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	f := httpx.New(httpx.Options{PerHostInterval: -1, Clock: e.clock.Now})
	_, err := f.Get(context.Background(), e.cfg.BaseURL+"/search?q=acme", http.Header{"User-Agent": {"curl/8.0"}})
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusForbidden {
		t.Fatalf("want 403, got %v", err)
	}
}

func TestRateLimit429(t *testing.T) {
	e := newEnv(t, redditfake.Options{Faults: []redditfake.Fault{{Path: "/search", Query: "Globex", Kind: redditfake.FaultRateLimit}}}, nil)
	posts, next, err := e.source(nil).Fetch(context.Background(), []byte(`{"chains":{"q:이니텍":{"since":1795000000}}}`))
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != 600*time.Second {
		t.Fatalf("want 429 with a 600s wait, got %v", err)
	}
	if len(posts) == 0 || next == nil {
		t.Fatal("posts of the chains before the 429 are lost")
	}
	var c cursor
	if err := json.Unmarshal(next, &c); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Chains["q:Globex"]; ok {
		t.Fatal("failed chain advanced")
	}
	if st := c.Chains["q:이니텍"]; st.Since != 1795000000 {
		t.Fatalf("untried chain not kept: %+v", st)
	}
	if _, ok := c.Chains["q:Acme"]; !ok {
		t.Fatal("good chain not advanced")
	}
}

func TestRateLimitHeadersStopFetch(t *testing.T) {
	e := newEnv(t, redditfake.Options{RateLimit: 5}, nil)
	s := e.source(nil)
	first, cur, err := s.Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.RetryAfter != 600*time.Second || !strings.Contains(he.Body, "X-Ratelimit-Remaining 0.0") {
		t.Fatalf("want a stop with the reset wait, got %v", err)
	}
	if n := e.fake.Stats().APIRequests; n != 5 {
		t.Fatalf("%d requests, want 5 (no request beyond the limit)", n)
	}
	// After the window the rest comes, nothing twice.
	e.clock.Set(t0.Add(11 * time.Minute))
	seen := map[string]int{}
	for _, p := range first {
		seen[p.NativeID]++
	}
	for i := 0; i < 10; i++ {
		posts, next, err := s.Fetch(context.Background(), cur)
		if err != nil && !errors.As(err, &he) {
			t.Fatal(err)
		}
		for _, p := range posts {
			seen[p.NativeID]++
		}
		cur = next
		e.clock.Set(e.clock.Now().Add(11 * time.Minute))
		if err == nil {
			break
		}
	}
	if got := keys(seen); len(got) != len(allIDs) {
		t.Fatalf("got %d of %d: %v", len(got), len(allIDs), got)
	}
}

func TestServerErrorAndMalformedArePartial(t *testing.T) {
	e := newEnv(t, redditfake.Options{Faults: []redditfake.Fault{
		{Path: "/user/globex/submitted", Kind: redditfake.FaultServerError},
		{Path: "/search", Query: "Acme", Kind: redditfake.FaultMalformed},
	}}, nil)
	posts, next, err := e.source(nil).Fetch(context.Background(), nil)
	if err == nil || next == nil || len(posts) == 0 {
		t.Fatalf("want partial success, got %d posts, %s, %v", len(posts), next, err)
	}
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 || !strings.Contains(he.Body, "reddit broke") {
		t.Fatalf("503 not reported: %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "decode "+e.cfg.BaseURL+"/search?") || !strings.Contains(msg, "q:Acme") {
		t.Fatalf("malformed body not named: %v", err)
	}
	var c cursor
	_ = json.Unmarshal(next, &c)
	for _, k := range []string{"submitted:globex", "q:Acme"} {
		if _, ok := c.Chains[k]; ok {
			t.Fatalf("failed chain %s advanced", k)
		}
	}
	if _, ok := c.Chains["comments:globex"]; !ok {
		t.Fatal("other chains stopped after a 503")
	}
	if listenertest.ByID(posts)["1qw6h0t"].NativeID != "" {
		t.Fatal("post of the failed chain returned")
	}
}

func TestUnknownAccountSkipped(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, func(c *Config) {
		c.Accounts = append(c.Accounts, listener.Account{Brand: "Umbrella", Handle: "umbrella_corp"})
	})
	posts, _, err := e.source(nil).Fetch(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), `account "umbrella_corp"`) || len(posts) != len(allIDs) {
		t.Fatalf("got %d posts, %v", len(posts), err)
	}
}

func TestBudgetNeverExceeded(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	b := budget(6)
	posts, next, err := e.source(b).Fetch(context.Background(), nil)
	var be *listener.BudgetError
	if !errors.As(err, &be) {
		t.Fatalf("want BudgetError, got %v", err)
	}
	st := e.fake.Stats()
	if sent := st.TokensIssued + st.APIRequests; sent != 6 || b.Used != 6 {
		t.Fatalf("sent %d requests, budget used %d, limit 6", sent, b.Used)
	}
	if len(posts) == 0 || next == nil {
		t.Fatal("work done before the budget ran out is lost")
	}
	// Nothing at all left: nothing sent, nothing committed.
	b2 := budget(0)
	posts, next, err = e.source(b2).Fetch(context.Background(), next)
	if !errors.As(err, &be) || posts != nil || next != nil {
		t.Fatalf("empty budget: %d posts, %s, %v", len(posts), next, err)
	}
}

func TestBadCursorAndConfig(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	if _, _, err := e.source(nil).Fetch(context.Background(), []byte("{nope")); err == nil || !strings.Contains(err.Error(), "bad cursor") {
		t.Fatalf("bad cursor: %v", err)
	}
	cases := map[string]func(*Config){
		"client id":  func(c *Config) { c.ClientID = "" },
		"app_id":     func(c *Config) { c.AppID = "a:b" },
		"username":   func(c *Config) { c.Username = "no spaces allowed" },
		"subreddit":  func(c *Config) { c.Subreddits = []string{"../etc"} },
		"account":    func(c *Config) { c.Accounts = []listener.Account{{Brand: "X", Handle: "a/b"}} },
		"no queries": func(c *Config) { c.Queries, c.Accounts = nil, nil },
		"bad url":    func(c *Config) { c.BaseURL = "ftp://x" },
	}
	for name, mod := range cases {
		c := baseConfig()
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := baseConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	if ua := baseConfig().UserAgent(); ua != "linux:earshot:0.1.0 (by /u/acme_marketing)" {
		t.Fatal(ua)
	}
}
