package reddit

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/earshot/earshot/listener/faults"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/reddit/redditfake"
)

// A fetch that sees only the older half of every listing, dated ten years
// ahead, must not move any chain's boundary: the newer posts served next
// are all returned.
func TestFutureDatesKeepCursor(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	fh := faults.Wrap(e.fake, faults.Plan{})
	mux := http.NewServeMux()
	mux.Handle("/faulty/", http.StripPrefix("/faulty", fh))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e.cfg.BaseURL, e.cfg.AuthURL = srv.URL+"/faulty", srv.URL+"/faulty/"

	future := t0.AddDate(10, 0, 0)
	fh.Set(faults.Plan{Kind: faults.Rewrite, Rewrite: faults.Chain(
		faults.Items{Path: []string{"data", "children"}}.Select(faults.OlderHalf), faults.SetTimes(future))})
	first, raw := fetch(t, e.source(nil), nil)
	if len(first) == 0 {
		t.Fatal("the future-dated listings gave no posts")
	}
	var cur cursor
	if err := json.Unmarshal(raw, &cur); err != nil {
		t.Fatal(err)
	}
	for k, st := range cur.Chains {
		if st.Since > t0.Add(maxClockSkew).Unix() || (st.Gap != nil && st.Gap.Top > t0.Add(maxClockSkew).Unix()) {
			t.Errorf("chain %s moved to the future: %+v", k, st)
		}
	}

	fh.Set(faults.Plan{})
	e.clock.Set(t0.Add(5 * time.Minute))
	second, _ := fetch(t, e.source(nil), raw)
	got := listenertest.ByID(append(first, second...))
	for _, id := range allIDs {
		if _, ok := got[id]; !ok {
			t.Errorf("%s skipped after the future-dated fetch", id)
		}
	}
}
