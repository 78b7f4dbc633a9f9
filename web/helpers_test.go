package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web/metrics"
)

// fixtureNow is "now" for tests on the fixture mentions (a week after them).
var fixtureNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// loadFixtures reads testdata/mentions.json.
func loadFixtures(t testing.TB) []store.Mention {
	t.Helper()
	b, err := os.ReadFile("testdata/mentions.json")
	if err != nil {
		t.Fatal(err)
	}
	var ms []store.Mention
	if err := json.Unmarshal(b, &ms); err != nil {
		t.Fatal(err)
	}
	return ms
}

// openFixtureStore opens a real store on disk holding the fixtures (plus
// extra), indexed.
func openFixtureStore(t testing.TB, extra ...store.Mention) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ms := append(loadFixtures(t), extra...)
	if _, err := st.Commit("fixtures", ms, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := st.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

type fakeConfig ConfigStatus

func (f fakeConfig) ConfigStatus() ConfigStatus { return ConfigStatus(f) }

var fixtureHealth = fakeHealth{
	{Name: "hn", Network: "hackernews", Healthy: true, LastSuccess: fixtureNow.Add(-time.Minute), LastAttempt: fixtureNow.Add(-time.Minute),
		PostsFetched: 120, MentionsStored: 14},
	{Name: "news", Network: "rss", Healthy: false, LastError: `https://feeds.example/broken.xml: http 500: <html onload="x">`,
		ConsecutiveFailures: 3, LastAttempt: fixtureNow.Add(-2 * time.Minute)},
	{Name: "x", Network: "x", Healthy: false, Throttled: true, LastError: "http 429 (retry after 15m0s)",
		Budget: &metrics.BudgetUsage{Used: 1500, Limit: 2000, Resets: fixtureNow.Add(10 * time.Hour)}},
}

// newFixtureServer serves st with the fixture brands and networks.
func newFixtureServer(t testing.TB, st Searcher, token string, reg *metrics.Registry) *Server {
	t.Helper()
	var stats StatsReporter
	if sr, ok := st.(StatsReporter); ok {
		stats = sr
	}
	return New(Options{
		Searcher: st, Stats: stats, Health: fixtureHealth, Logger: zerolog.Nop(), Clock: func() time.Time { return fixtureNow },
		Brands: []string{"Acme", "Globex", "Initech"}, Networks: []string{"hackernews", "rss", "mastodon", "naver", "reddit"},
		Version: "test", Token: token, Metrics: reg,
		Config: fakeConfig{File: "earshot.toml", LoadedAt: fixtureNow.Add(-time.Hour), Error: "earshot.toml:3:1: brand[0].name: must not be empty",
			ErrorAt: &fixtureNow},
	})
}

// get serves one request and returns the recorder and body.
func get(t testing.TB, h http.Handler, target string, hdr ...string) (*httptest.ResponseRecorder, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	return rec, string(b)
}

func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
}
