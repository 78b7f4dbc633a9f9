package bluesky

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
)

func TestSessionReusedAndRefreshed(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{AccessTTL: 30 * time.Minute})
	cfg := e.config()
	cfg.Queries = []string{"Acme"}
	s := e.source(cfg, nil)
	ctx := context.Background()
	var cur []byte
	for i := 0; i < 3; i++ {
		_, next, err := s.Fetch(ctx, cur)
		if err != nil {
			t.Fatalf("fetch %d: %v", i, err)
		}
		cur = next
		e.clock.Add(10 * time.Minute)
	}
	if l, r := e.count("com.atproto.server.createSession"), e.count("com.atproto.server.refreshSession"); l != 1 || r != 0 {
		t.Fatalf("3 fetches in 30 minutes: %d logins, %d refreshes; want 1, 0", l, r)
	}
	// At 30 minutes the token's exp claim has come: refreshed before use.
	if _, _, err := s.Fetch(ctx, cur); err != nil {
		t.Fatal(err)
	}
	if l, r := e.count("com.atproto.server.createSession"), e.count("com.atproto.server.refreshSession"); l != 1 || r != 1 {
		t.Fatalf("expired token: %d logins, %d refreshes; want 1, 1", l, r)
	}
	if n := e.count("app.bsky.feed.searchPosts"); n != 4 {
		t.Fatalf("%d searches, want 4 (no refused request)", n)
	}
}

func TestSessionRenewedOnRefusal(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{Faults: []blueskyfake.Fault{
		{Method: "app.bsky.feed.searchPosts", Match: "Globex", Status: 400, File: "errors/expired_token.json", Times: 1},
		{Method: "app.bsky.feed.searchPosts", Match: "Initech", Status: 401, File: "errors/invalid_token.json", Times: 1},
		{Method: "com.atproto.server.refreshSession", Status: 400, File: "errors/expired_token.json", Times: 1},
	}})
	cfg := e.config()
	cfg.Queries = []string{"Acme", "Globex", "Initech"}
	posts, _, err := e.source(cfg, nil).Fetch(context.Background(), nil)
	if err != nil || len(posts) == 0 {
		t.Fatalf("%d posts, %v", len(posts), err)
	}
	// Globex: 400 ExpiredToken -> refresh refused -> new login -> retry.
	// Initech: 401 -> refresh (accepted) -> retry.
	if l, r, q := e.count("com.atproto.server.createSession"), e.count("com.atproto.server.refreshSession"), e.count("app.bsky.feed.searchPosts"); l != 2 || r != 2 || q != 5 {
		t.Fatalf("%d logins, %d refreshes, %d searches; want 2, 2, 5", l, r, q)
	}
}

func TestWrongPassword(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{})
	cfg := e.config()
	cfg.Password = "wrong-pass-word-1234"
	cfg.Queries = []string{"Acme"}
	cfg.Accounts = brands
	s := e.source(cfg, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if err == nil || next != nil || posts != nil || !errors.As(err, &he) || he.StatusCode != http.StatusUnauthorized {
		t.Fatalf("want 401 with no posts or cursor, got %d posts, next %s, %v", len(posts), next, err)
	}
	for _, want := range []string{`"earshot-listener.bsky.social"`, "Invalid identifier or password", "identifier", "password_env"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	// The refusal is remembered: no login storm against createSession's limit.
	e.clock.Add(5 * time.Minute)
	if _, _, err := s.Fetch(context.Background(), nil); err == nil {
		t.Fatal("second fetch: want error")
	}
	if n := e.count("com.atproto.server.createSession"); n != 1 {
		t.Fatalf("%d logins, want 1", n)
	}
	e.clock.Add(loginHoldoff)
	_, _, _ = s.Fetch(context.Background(), nil)
	if n := e.count("com.atproto.server.createSession"); n != 2 {
		t.Fatalf("after the hold-off: %d logins, want 2", n)
	}
}

func TestNoLoginSearchRefused(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{})
	cfg := e.config()
	cfg.Identifier, cfg.Password = "", ""
	cfg.Queries = []string{"Acme"}
	cfg.Accounts = brands[:1]
	posts, next, err := e.source(cfg, nil).Fetch(context.Background(), nil)
	var he *listener.HTTPError
	if err == nil || !errors.As(err, &he) || he.StatusCode != http.StatusForbidden || !strings.Contains(err.Error(), "set identifier and password_env") {
		t.Fatalf("want a 403 explaining the login, got %v", err)
	}
	// The public author feed still works: partial success.
	if next == nil || len(posts) != 5 || !posts[0].Owned || e.count("com.atproto.server.createSession") != 0 {
		t.Fatalf("account without login: %d posts, next %s", len(posts), next)
	}
}

func TestJWTExpiry(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for tok, want := range map[string]int64{
		"h." + enc(`{"exp":1795600000,"sub":"did:plc:x"}`) + ".s": 1795600000,
		"h." + enc(`{"exp":"soon"}`) + ".s":                       0,
		"h." + enc(`{"exp":-1}`) + ".s":                           0,
		"h." + enc(`{}`) + ".s":                                   0,
		"h.!!!.s":                                                 0,
		"opaque-token":                                            0,
	} {
		got := jwtExpiry(tok)
		if (want == 0 && !got.IsZero()) || (want != 0 && got.Unix() != want) {
			t.Errorf("jwtExpiry(%q) = %v, want %d", tok, got, want)
		}
	}
}
