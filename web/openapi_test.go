package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/earshot/earshot/web/metrics"
)

// documented lists every endpoint of the server (plus /api/report and /report, added
// by the report); the OpenAPI document must describe each.
var documented = []struct{ method, path string }{
	{"get", "/api/search"}, {"get", "/api/export"}, {"get", "/api/mentions/{id}"}, {"get", "/api/sources"},
	{"get", "/api/stats"}, {"get", "/api/report"}, {"get", "/api/openapi.json"}, {"get", "/healthz"},
	{"get", "/metrics"}, {"get", "/"}, {"get", "/sources"}, {"get", "/report"}, {"get", "/login"}, {"post", "/login"}, {"post", "/logout"},
	{"get", "/api/alerts"}, {"get", "/alerts"}, {"get", "/unsubscribe"}, {"post", "/unsubscribe"},
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	s := newFixtureServer(t, &fakeSearcher{}, "", nil)
	rec, body := get(t, s, "/api/openapi.json")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d", rec.Code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	for _, r := range documented {
		if _, ok := doc.Paths[r.path][r.method]; !ok {
			t.Errorf("%s %s is not documented", strings.ToUpper(r.method), r.path)
		}
	}
	// Every documented route exists (the report ones may come later).
	for _, r := range documented {
		if strings.Contains(r.path, "report") || r.method != "get" {
			continue
		}
		target := strings.Replace(r.path, "{id}", "hackernews:1", 1)
		if _, body := get(t, s, target); strings.Contains(body, "no route for") {
			t.Errorf("documented %s is not routed", target)
		}
	}
	// Every $ref resolves.
	var raw map[string]any
	_ = json.Unmarshal([]byte(body), &raw)
	comps := raw["components"].(map[string]any)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
				if sec, ok := comps[parts[0]].(map[string]any); !ok || sec[parts[1]] == nil {
					t.Errorf("dangling $ref %s", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(raw)
}

func TestMetricsEndpoint(t *testing.T) {
	reg := metrics.New()
	st := openFixtureStore(t)
	if err := reg.AddStore(st); err != nil {
		t.Fatal(err)
	}
	reg.SetHealth(fixtureHealth)
	s := newFixtureServer(t, st, "", reg)
	get(t, s, "/api/search?q=battery")
	get(t, s, "/api/search?q=(")
	rec, body := get(t, s, "/metrics")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("status %d type %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	mustContain(t, body,
		`earshot_http_request_duration_seconds_count{code="2xx",method="GET",route="GET /api/search"} 1`,
		`earshot_http_request_duration_seconds_count{code="4xx",method="GET",route="GET /api/search"} 1`,
		"earshot_mentions_total 8",
		`earshot_mentions_by_brand_total{brand="Acme"} 5`,
		`earshot_mentions_by_network_total{network="naver"} 2`,
		"earshot_index_lag 0",
		`earshot_source_throttled{network="x",source="x"} 1`,
		`earshot_source_budget_used{network="x",source="x"} 1500`,
	)
	if rec, _ := get(t, newFixtureServer(t, st, "", nil), "/metrics"); rec.Code != 404 {
		t.Errorf("metrics without a registry: %d", rec.Code)
	}
}
