package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/earshot/earshot/listener/faults"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
)

// olderHalfReversed picks the second half of a newest-first list, oldest
// first.
func olderHalfReversed(n int) []int {
	idx := faults.OlderHalf(n)
	slices.Reverse(idx)
	return idx
}

// A page whose body holds only the older half of the statuses, oldest
// first, while its Link header still names the real page's newest id (a
// proxy rewrote the body): the cursor must not pass the statuses the body
// lacked, so the newer statuses served next are all returned.
func TestPartialPageDoesNotSkip(t *testing.T) {
	ctx := context.Background()
	fh := faults.Wrap(mastodonfake.New(mastodonfake.Options{Clock: clock}), faults.Plan{})
	c := &listenertest.Recorder{Next: http.StripPrefix("/mastodon", fh)}
	base := newServer(t, c) + "/mastodon"
	cfg := Config{BaseURL: base, Hashtags: []string{"acme", "아크미", "globex", "batteries"}, Accounts: brands, Lookback: lookback}
	healthy, _, err := New(cfg, fetcher(), clock).Fetch(ctx, nil)
	if err != nil || len(healthy) < 15 {
		t.Fatalf("healthy fetch: %d posts, %v", len(healthy), err)
	}

	fh.Set(faults.Plan{Kind: faults.Rewrite, Rewrite: faults.Chain(
		faults.Items{}.Select(olderHalfReversed), faults.Items{Path: []string{"statuses"}}.Select(olderHalfReversed))})
	first, raw, err := New(cfg, fetcher(), clock).Fetch(ctx, nil)
	if err != nil || len(first) == 0 || len(first) >= len(healthy) {
		t.Fatalf("cut fetch: %d posts of %d, %v", len(first), len(healthy), err)
	}
	fh.Set(faults.Plan{})
	second, _, err := New(cfg, fetcher(), clock).Fetch(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range append(first, second...) {
		got[p.NativeID] = true
	}
	for _, p := range healthy {
		if !got[p.NativeID] {
			t.Errorf("%s by %s skipped after the cut page", p.NativeID, p.Author)
		}
	}
}

// A page the server filtered empty still advances the cursor to its Link
// rel="prev" min_id, so the timeline does not stall on it.
func TestEmptyPageFollowsLink(t *testing.T) {
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://m.example/api/v1/timelines/tag/acme?max_id=117600000000000100>; rel="next", `+
			`<https://m.example/api/v1/timelines/tag/acme?min_id=117600000000000900>; rel="prev"`)
		_, _ = w.Write([]byte("[]"))
	}))
	prev, _ := json.Marshal(cursor{Timelines: map[string]string{"tag:acme": "117600000000000001"}})
	posts, raw, err := New(Config{BaseURL: base, Hashtags: []string{"acme"}, Lookback: lookback}, fetcher(), clock).Fetch(context.Background(), prev)
	if err != nil || len(posts) != 0 {
		t.Fatalf("%d posts, %v", len(posts), err)
	}
	var cur cursor
	if err := json.Unmarshal(raw, &cur); err != nil {
		t.Fatal(err)
	}
	if cur.Timelines["tag:acme"] != "117600000000000900" {
		t.Errorf("cursor %s, want the Link's min_id", raw)
	}
}
