package naver

import (
	"context"
	"encoding/json"
	"testing"
	"testing/fstest"
	"time"

	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/naver/naverfake"
)

// setItems rewrites the items of one kind's fixture.
func setItems(t *testing.T, fsys fstest.MapFS, kind string, f func([]any) []any) {
	t.Helper()
	name := naverfake.Dir + "/" + kind + ".json"
	var env map[string]any
	if err := json.Unmarshal(fsys[name].Data, &env); err != nil {
		t.Fatal(err)
	}
	env["items"] = f(env["items"].([]any))
	fsys[name] = &fstest.MapFile{Data: mustJSON(t, env)}
}

// A fetch that sees only the older results, dated years ahead, must not
// move the cursor: the newer results served next are all returned.
func TestFutureDatesKeepCursor(t *testing.T) {
	ctx := context.Background()
	base, _ := fake(t, nil, naverfake.Options{})
	cfg := config(base, "아크미", "Acme")
	cfg.Kinds = []string{KindBlog, KindNews}
	cfg.Lookback = 30 * 24 * time.Hour
	healthy, _, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(healthy) < 8 {
		t.Fatalf("healthy fetch: %d posts, %v", len(healthy), err)
	}

	future := now.AddDate(10, 0, 0)
	fsys := recordings(t)
	olderFuture := func(items []any) []any {
		items = items[len(items)/2:]
		for _, it := range items {
			m := it.(map[string]any)
			if _, ok := m["postdate"]; ok {
				m["postdate"] = future.In(kst).Format("20060102")
			}
			if _, ok := m["pubDate"]; ok {
				m["pubDate"] = future.In(kst).Format(time.RFC1123Z)
			}
		}
		return items
	}
	setItems(t, fsys, "blog", olderFuture)
	setItems(t, fsys, "news", olderFuture)
	bad, _ := fake(t, fsys, naverfake.Options{})
	cfg.BaseURL = bad
	first, cur, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(first) == 0 {
		t.Fatalf("future fetch: %d posts, %v", len(first), err)
	}
	for _, p := range first {
		if !p.Published.Equal(now) || !p.PublishedEstimated {
			t.Errorf("future-dated %s: published %s estimated %v, want the fetch time, estimated", p.NativeID, p.Published, p.PublishedEstimated)
		}
	}

	cfg.BaseURL = base
	later := now.Add(time.Hour)
	second, _, err := New(cfg, fetcher(), func() time.Time { return later }, nil).Fetch(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	got := listenertest.ByID(append(first, second...))
	for _, p := range healthy {
		if _, ok := got[p.NativeID]; !ok {
			t.Errorf("%s (published %s) skipped after the future-dated fetch", p.NativeID, p.Published)
		}
	}
	if len(first)+len(second) != len(healthy) {
		t.Errorf("returned %d+%d posts, want the %d of a healthy fetch once each", len(first), len(second), len(healthy))
	}
}
