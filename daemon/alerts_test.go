package daemon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/alerts/notify/webhook"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// hookReceiver holds the first delivery unanswered (the daemon is killed
// while it waits) and accepts every later one, counting accepted
// deliveries per idempotency key.
type hookReceiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	held     string        // key of the request left unanswered
	arrived  chan struct{} // closed when it arrived
	release  chan struct{}
	accepted map[string]int
	badSig   int
}

func newHookReceiver(t *testing.T, secret string) *hookReceiver {
	h := &hookReceiver{arrived: make(chan struct{}), release: make(chan struct{}), accepted: map[string]int{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		key := r.Header.Get(webhook.HeaderKey)
		h.mu.Lock()
		if !webhook.Verify([]byte(secret), r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body) {
			h.badSig++
		}
		if h.held == "" {
			h.held = key
			close(h.arrived)
			h.mu.Unlock()
			<-h.release // never answered: the daemon dies waiting
			return
		}
		h.accepted[key]++
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(func() { close(h.release); h.srv.Close() })
	return h
}

// hnOnce answers Algolia's search_by_date with one fresh story that the
// query rule matches.
func hnOnce(t *testing.T, created time.Time) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts := created.UTC().Format("2006-01-02T15:04:05.000Z")
		hit := map[string]any{"objectID": "4242", "author": "reporter", "created_at": ts, "created_at_i": created.Unix(), "updated_at": ts,
			"_tags": []string{"story"}, "title": "Acme announces a battery recall", "story_text": "Acme recall of power banks", "url": nil,
			"points": 12, "num_comments": 3, "story_id": 4242}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"hits": []any{hit}, "nbHits": 1, "page": 0, "nbPages": 1, "hitsPerPage": 100,
			"exhaustiveNbHits": true, "processingTimeMS": 1})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestAlertSurvivesSIGKILLMidSend kills the daemon while its webhook
// delivery waits for an answer: the alert was decided in the commit and is
// still queued, so the restarted daemon sends it again with the same
// idempotency key, and the receiver accepts exactly one delivery per key.
func TestAlertSurvivesSIGKILLMidSend(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns and kills daemon processes")
	}
	const secret = "alert-crash-secret"
	t.Setenv("EARSHOT_TEST_HOOK_SECRET", secret)
	hook := newHookReceiver(t, secret)
	hn := hnOnce(t, time.Now().Add(-10*time.Minute))
	dir := t.TempDir()
	cfg := filepath.Join(dir, "earshot.toml")
	doc := fmt.Sprintf(`[earshot]
data_dir = %q
listen = "127.0.0.1:0"
log_format = "console"

[[brand]]
name = "Acme"
own = true

[[source]]
network = "hackernews"
name = "hn"
every = "1h"
base_url = %q
queries = ["acme"]

[[alert_channel]]
name = "hook"
type = "webhook"
url = %q
secret_env = "EARSHOT_TEST_HOOK_SECRET"

[[alert]]
name = "recalls"
kind = "query"
query = "recall"
channels = ["hook"]
`, filepath.Join(dir, "data"), hn.URL, hook.srv.URL)
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	c := startChild(t, childOpts{}, "run", "-config", cfg)
	select {
	case <-hook.arrived:
	case <-time.After(60 * time.Second):
		t.Fatalf("no delivery within 60 s; log:\n%s", tail(c.log(), 40))
	}
	c.kill()
	assertNoPanic(t, c.log())

	c2 := startChild(t, childOpts{}, "run", "-config", cfg)
	deadline := time.Now().Add(60 * time.Second)
	for {
		hook.mu.Lock()
		n := len(hook.accepted)
		hook.mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not redelivered after restart within 60 s; log:\n%s", tail(c2.log(), 40))
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a duplicate would arrive now
	c2.kill()
	hook.mu.Lock()
	defer hook.mu.Unlock()
	if len(hook.accepted) != 1 || hook.accepted[hook.held] != 1 || hook.badSig != 0 {
		t.Fatalf("held key %q; accepted %v; bad signatures %d", hook.held, hook.accepted, hook.badSig)
	}
}

// TestAlertRulesReloadAtomically runs the daemon in-process: a commit that
// matches the rule in force is delivered and listed by /api/alerts; after a
// reload the old rule no longer fires and the new one does.
func TestAlertRulesReloadAtomically(t *testing.T) {
	const secret = "reload-secret"
	var mu sync.Mutex
	var got []webhook.Body
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b webhook.Body
		_ = json.NewDecoder(r.Body).Decode(&b)
		mu.Lock()
		got = append(got, b)
		mu.Unlock()
	}))
	defer srv.Close()
	dir := t.TempDir()
	parse := func(q string) *config.Config {
		doc := fmt.Sprintf(`[earshot]
data_dir = %q
listen = "127.0.0.1:0"
[[brand]]
name = "Acme"
own = true
[[alert_channel]]
name = "hook"
type = "webhook"
url = %q
secret_env = "S"
[[alert]]
name = "watch"
kind = "query"
query = %q
cooldown = "0s"
channels = ["hook"]
`, dir, srv.URL, q)
		cfg, err := config.Parse([]byte(doc), "t.toml", func(string) string { return secret })
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	d, err := daemon.Open(parse("recall"), daemon.Options{Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() { cancel(); <-done }()
	n := 0
	post := func(text string) {
		n++
		m := store.Mention{ID: fmt.Sprintf("x:%d", n), Network: "x", Kind: store.KindMention, Brands: []string{"Acme"},
			Text: text, Published: time.Now(), Fetched: time.Now()}
		if _, err := d.Store().Commit("t", []store.Mention{m}, nil); err != nil {
			t.Fatal(err)
		}
	}
	wait := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			k := len(got)
			mu.Unlock()
			if k == want || time.Now().After(deadline) {
				time.Sleep(100 * time.Millisecond)
				mu.Lock()
				defer mu.Unlock()
				if len(got) != want {
					t.Fatalf("%d deliveries, want %d", len(got), want)
				}
				return
			}
		}
	}
	post("Acme recall")
	wait(1)
	if err := d.Reload(ctx, parse("lawsuit")); err != nil {
		t.Fatal(err)
	}
	post("another Acme recall")
	post("Acme lawsuit")
	wait(2)
	mu.Lock()
	last := got[1].Alerts[0]
	mu.Unlock()
	if last.Posts[0].ID != "x:3" {
		t.Fatalf("after reload fired on %s", last.Posts[0].ID)
	}
	var list web.AlertsResponse
	getJSON(t, d.Addr()+"/api/alerts", 200, &list)
	if len(list.Alerts) != 2 || list.Alerts[0].Status != "delivered" || list.Alerts[0].Deliveries[0].Key == "" {
		t.Fatalf("/api/alerts: %+v", list)
	}
}
