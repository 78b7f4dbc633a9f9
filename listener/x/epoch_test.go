package x

import (
	"context"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/faults"
)

// Tweets whose created_at is the Unix epoch (a broken serializer's "no
// date") are kept, dated the fetch time and marked estimated; they are not
// dropped by the lookback while since_id moves past them.
func TestEpochDatesKept(t *testing.T) {
	ctx := context.Background()
	var fh *faults.Handler
	api := newFakeWrap(t, nil, xfakeOpts(), func(h http.Handler) http.Handler {
		fh = faults.Wrap(h, faults.Plan{})
		return fh
	})
	cfg := Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Acme OR 아크미", "Globex"}, Lookback: 10 * 24 * time.Hour,
		Accounts: []listener.Account{{Brand: "Acme", Handle: "@Acme"}, {Brand: "Initech", Handle: "initech"}}}
	healthy, _, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(healthy) < 10 {
		t.Fatalf("healthy fetch: %d posts, %v", len(healthy), err)
	}

	fh.Set(faults.Plan{Kind: faults.Rewrite, Rewrite: faults.SetTimes(time.Unix(0, 0))})
	got, cur, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := ids(got), ids(healthy); !maps.Equal(g, w) {
		t.Errorf("epoch-dated fetch returned %d posts, want the %d of a healthy one", len(g), len(w))
	}
	for _, p := range got {
		if !p.Published.Equal(now) || !p.PublishedEstimated {
			t.Errorf("%s: published %s estimated %v, want the fetch time, estimated", p.NativeID, p.Published, p.PublishedEstimated)
		}
	}
	for _, p := range healthy {
		if p.PublishedEstimated {
			t.Errorf("%s: a real created_at marked estimated", p.NativeID)
		}
	}

	// Nothing is lost or repeated once the dates are right again.
	fh.Set(faults.Plan{})
	again, _, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, cur)
	if err != nil || len(again) != 0 {
		t.Errorf("after recovery: %d posts, %v; want none", len(again), err)
	}
}
