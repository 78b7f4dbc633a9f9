package daemon

import (
	"context"
	"testing"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
)

type plainSource struct{ name, network string }

func (s plainSource) Name() string    { return s.name }
func (s plainSource) Network() string { return s.network }
func (s plainSource) Fetch(context.Context, []byte) ([]listener.Post, []byte, error) {
	return nil, nil, nil
}

type lookupSource struct{ plainSource }

func (lookupSource) LookupBatch() int { return 10 }
func (lookupSource) LookupCounts(context.Context, []listener.Ref, listener.Budget) (map[string]map[string]int64, error) {
	return nil, nil
}

// Sources with a lookup become refresh targets; a budgeted one gives a
// tenth of its daily budget to refreshes (its own key) and keeps the rest
// for polling; sources without a lookup are left alone.
func TestRefresherSplitsBudgets(t *testing.T) {
	d := &Daemon{}
	yt := &ingest.Budget{Key: "yt", Limit: 10000}
	nv := &ingest.Budget{Key: "naver", Limit: 25000}
	jobs := []ingest.Job{
		{Source: lookupSource{plainSource{"yt", "youtube"}}, Budget: yt},
		{Source: lookupSource{plainSource{"bsky", "bluesky"}}},
		{Source: plainSource{"naver", "naver"}, Budget: nv},
	}
	rf := d.refresher(jobs, map[string]*ingest.Budget{"yt": yt, "naver": nv})
	ts := rf.Targets()
	if len(ts) != 2 || ts[0].Source != "yt" || ts[1].Source != "bsky" || ts[1].Budget != nil {
		t.Fatalf("targets %+v", ts)
	}
	rb, ok := ts[0].Budget.(*ingest.Budget)
	if !ok || rb.Key != "yt/refresh" || rb.Limit != 1000 || yt.Limit != 9000 {
		t.Fatalf("refresh budget %+v, polling limit %d", ts[0].Budget, yt.Limit)
	}
	if nv.Limit != 25000 {
		t.Errorf("naver (no lookup) lost budget: %d", nv.Limit)
	}
}
