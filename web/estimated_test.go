package web

import (
	"encoding/csv"
	"strings"
	"testing"
)

// A mention whose date was estimated (the network gave none) stays marked
// so in the search API, the search page and the CSV export.
func TestEstimatedDateMarkedEverywhere(t *testing.T) {
	st, cfg, day := clockScenario(t)
	s := clockServer(st, cfg, day.AddDate(0, 0, 2))
	_, body := get(t, s, "/api/search?facets=none&q=undated")
	if !strings.Contains(body, `"published_estimated":true`) {
		t.Errorf("search API: %s", body)
	}
	_, body = get(t, s, "/api/search?facets=none&q=announced")
	if strings.Contains(body, `"published_estimated"`) {
		t.Errorf("a dated mention marked estimated: %s", body)
	}
	_, page := get(t, s, "/?q=undated")
	if !strings.Contains(page, "(date estimated)") {
		t.Errorf("search page does not say the date is estimated")
	}
	_, out := get(t, s, "/api/export?format=csv&q=kettle")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 3 {
		t.Fatalf("export: %v, %d rows", err, len(rows))
	}
	last := len(csvHeader) - 1
	estimated := 0
	for _, r := range rows[1:] {
		if r[last] == "true" {
			estimated++
			if !strings.Contains(r[last-1], "undated") {
				t.Errorf("row marked estimated: %v", r)
			}
		}
	}
	if estimated != 1 {
		t.Errorf("%d rows marked estimated, want 1", estimated)
	}
}
