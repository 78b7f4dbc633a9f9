package bluesky

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
	"github.com/earshot/earshot/listener/faults"
)

// A fetch that sees only the older half of every answer, dated ten years
// ahead, must not move any endpoint's Since: the newer posts served next
// are all returned.
func TestFutureDatesKeepCursor(t *testing.T) {
	ctx := context.Background()
	var fh *faults.Handler
	e := newEnvWrap(t, nil, blueskyfake.Options{}, func(h http.Handler) http.Handler {
		fh = faults.Wrap(h, faults.Plan{})
		return fh
	})
	cfg := e.config()
	cfg.Queries = []string{"Acme", "아크미", "Globex", "outage"}
	cfg.Accounts = brands
	healthy, _, err := e.source(cfg, nil).Fetch(ctx, nil)
	if err != nil || len(healthy) < 12 {
		t.Fatalf("healthy fetch: %d posts, %v", len(healthy), err)
	}

	future := start.AddDate(10, 0, 0)
	older := func(path string) faults.Mutator { return faults.Items{Path: []string{path}}.Select(faults.OlderHalf) }
	fh.Set(faults.Plan{Kind: faults.Rewrite, Rewrite: faults.Chain(older("posts"), older("feed"), faults.SetTimes(future))})
	first, raw, err := e.source(cfg, nil).Fetch(ctx, nil)
	if err != nil || len(first) == 0 {
		t.Fatalf("future fetch: %d posts, %v", len(first), err)
	}
	var cur cursor
	if err := json.Unmarshal(raw, &cur); err != nil {
		t.Fatal(err)
	}
	for k, st := range cur.Queries {
		if st.Since.After(start.Add(maxClockSkew)) || len(st.Seen) != 0 {
			t.Errorf("query %s: since %s, %d seen: the future-dated posts moved the cursor", k, st.Since, len(st.Seen))
		}
	}
	for k, st := range cur.Accounts {
		if st.Since.After(start.Add(maxClockSkew)) || len(st.Seen) != 0 {
			t.Errorf("account %s: since %s, %d seen: the future-dated posts moved the cursor", k, st.Since, len(st.Seen))
		}
	}

	fh.Set(faults.Plan{})
	e.clock.Add(5 * time.Minute)
	second, _, err := e.source(cfg, nil).Fetch(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range append(first, second...) {
		got[p.NativeID] = true
	}
	for _, p := range healthy {
		if !got[p.NativeID] {
			t.Errorf("%s (published %s) skipped after the future-dated fetch", p.NativeID, p.Published)
		}
	}
}
