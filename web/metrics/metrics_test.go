package metrics

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/earshot/earshot/store"
)

type fakeStats store.Stats

func (f fakeStats) Stats() store.Stats { return store.Stats(f) }

type fakeHealth []SourceHealth

func (f fakeHealth) Health() []SourceHealth { return f }

func scrape(t *testing.T, r *Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func TestRegistryExportsEverything(t *testing.T) {
	r := New()
	if err := r.AddStore(fakeStats{Mentions: 7, IndexLag: 3, Brands: map[string]uint64{"Acme": 5, "Globex": 2},
		Networks: map[string]uint64{"hackernews": 7}, DBBytes: 4096}); err != nil {
		t.Fatal(err)
	}
	ok := time.Unix(1_800_000_000, 0)
	r.SetHealth(fakeHealth{{Name: "hn", Network: "hackernews", Healthy: true, LastSuccess: ok, MentionsStored: 4,
		Budget: &BudgetUsage{Used: 10, Limit: 100}}})
	r.ObserveFetch("hn", "hackernews", 250*time.Millisecond, false)
	r.ObserveFetch("hn", "hackernews", 250*time.Millisecond, true)
	r.ObserveHTTP("GET /api/search", "GET", 200, 3*time.Millisecond)
	r.ObserveHTTP("", "GET", 404, time.Millisecond)
	r.ReloadResult(false, time.Now())
	r.DigestSent(nil)
	r.DigestSent(errors.New("smtp down"))

	body := scrape(t, r)
	for _, want := range []string{
		"earshot_mentions_total 7",
		`earshot_mentions_by_brand_total{brand="Acme"} 5`,
		`earshot_mentions_by_network_total{network="hackernews"} 7`,
		"earshot_index_lag 3",
		`earshot_store_bytes{part="bbolt"} 4096`,
		`earshot_source_healthy{network="hackernews",source="hn"} 1`,
		`earshot_source_budget_used{network="hackernews",source="hn"} 10`,
		`earshot_source_last_success_timestamp_seconds{network="hackernews",source="hn"} 1.8e+09`,
		`earshot_fetch_duration_seconds_count{network="hackernews",source="hn"} 2`,
		`earshot_fetch_duration_seconds_sum{network="hackernews",source="hn"} 0.5`,
		`earshot_fetch_errors_total{network="hackernews",source="hn"} 1`,
		`earshot_http_request_duration_seconds_count{code="2xx",method="GET",route="GET /api/search"} 1`,
		`earshot_http_request_duration_seconds_count{code="4xx",method="GET",route="unmatched"} 1`,
		`earshot_config_reloads_total{result="failure"} 1`,
		"earshot_config_reload_success 0",
		`earshot_digest_sends_total{result="sent"} 1`,
		`earshot_digest_sends_total{result="failed"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if n, err := testutil.GatherAndCount(r.Gatherer(), "earshot_source_healthy"); err != nil || n != 1 {
		t.Errorf("source_healthy series = %d, %v", n, err)
	}
	// A reload points the health metrics at the new scheduler.
	r.SetHealth(fakeHealth{{Name: "news", Network: "rss"}, {Name: "x", Network: "x", Throttled: true}})
	body = scrape(t, r)
	if strings.Contains(body, `source="hn"}`) && strings.Contains(body, "earshot_source_healthy{network=\"hackernews\"") {
		t.Error("old scheduler's sources still exported after SetHealth")
	}
	if !strings.Contains(body, `earshot_source_throttled{network="x",source="x"} 1`) {
		t.Error("new scheduler's sources missing")
	}
	r.ReloadResult(true, time.Unix(1_900_000_000, 0))
	if v := testutil.ToFloat64(r.ConfigReloadSuccess); v != 1 {
		t.Errorf("reload success gauge = %v after a good reload", v)
	}
	if v := testutil.ToFloat64(r.ConfigReloadTime); v != 1.9e9 {
		t.Errorf("reload time = %v", v)
	}
}

func TestNilRegistryIsSafe(t *testing.T) {
	var r *Registry
	r.ObserveHTTP("x", "GET", 200, time.Second)
	r.ReloadResult(true, time.Now())
	r.DigestSent(nil)
	r.SetHealth(nil)
	if err := r.AddStore(nil); err != nil {
		t.Error(err)
	}
	r.ObserveFetch("hn", "hackernews", time.Second, true)
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 404 {
		t.Errorf("nil registry handler: %d", rec.Code)
	}
}
