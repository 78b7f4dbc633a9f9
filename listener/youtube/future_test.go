package youtube

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/earshot/earshot/listener/faults"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

// A fetch that sees only the older half of every answer, dated ten years
// ahead, must not move any watermark: the newer videos and comments served
// next are all returned.
func TestFutureDatesKeepCursor(t *testing.T) {
	ctx := context.Background()
	h := faults.Wrap(fake(youtubefake.Options{}), faults.Plan{})
	base, _ := serve(t, h)
	healthy, _, err := New(fullConfig(base), fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(healthy) < 20 {
		t.Fatalf("healthy fetch: %d posts, %v", len(healthy), err)
	}

	future := now.AddDate(10, 0, 0)
	h.Set(faults.Plan{Kind: faults.Rewrite, Rewrite: faults.Chain(
		faults.Items{Path: []string{"items"}}.Select(faults.OlderHalf), faults.SetTimes(future))})
	first, raw, err := New(fullConfig(base), fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(first) == 0 {
		t.Fatalf("future fetch: %d posts, %v", len(first), err)
	}
	var cur cursor
	if err := json.Unmarshal(raw, &cur); err != nil {
		t.Fatal(err)
	}
	check := func(what string, m mark) {
		if m.Since.After(now.Add(maxClockSkew)) {
			t.Errorf("%s watermark moved to the future: %s", what, m.Since)
		}
	}
	for q, m := range cur.Queries {
		check("query "+q, m)
	}
	for a, st := range cur.Channels {
		check("uploads of "+a, st.Videos)
		check("comments of "+a, st.Comments)
	}
	for v, st := range cur.Videos {
		check("comments on "+v, st.Comments)
	}

	h.Set(faults.Plan{})
	second, _, err := New(fullConfig(base), fetcher(), clock, nil).Fetch(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	got := listenertest.ByID(append(first, second...))
	for _, p := range healthy {
		if _, ok := got[p.NativeID]; !ok {
			t.Errorf("%s (published %s) skipped after the future-dated fetch", p.NativeID, p.Published)
		}
	}
}
