package demo

import (
	"context"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// The demo's recordings against its report (issue 16): every engagement
// count a recorded fake emits is classed by the networks table (a new key
// fails here until the table says whether it is an interaction or
// exposure); competitors' replies count (Globex answers on X, Initech on
// Reddit: the month ending this week holds them whatever the weekday); no
// top voice is ranked by impressions; coverage per source (the fakes
// return history: a first poll covers its lookback), so spikes are called
// where 14 days were collected and goals have values, in range.
func TestDemoReportFigures(t *testing.T) {
	d, _ := startDemo(t, t.TempDir())
	st := d.Store()
	ctx := context.Background()
	var n int
	err := st.Range(ctx, time.Unix(0, 0), time.Now().Add(365*24*time.Hour), func(m store.Mention) error {
		n++
		row, _ := config.LookupNetwork(m.Network)
		for k := range m.Engagement {
			if _, ok := row.Engagement[k]; !ok {
				t.Errorf("%s: engagement key %q of the %s fake is not in the networks table (config/networks.go Engagement)", m.ID, k, m.Network)
			}
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("%d mentions, %v", n, err)
	}
	r, err := report.Build(ctx, st, report.Request{Config: d.Config(), Period: "month", End: time.Now(), Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rate := map[string]float64{}
	for _, c := range r.Care.Rows {
		if c.ResponseRate != nil {
			rate[c.Network+"/"+c.Brand] = *c.ResponseRate
		}
	}
	t.Logf("response rates: %v", rate)
	for _, k := range []string{"x/Globex", "reddit/Initech"} {
		if rate[k] <= 0 {
			t.Errorf("%s response rate = %v; the recordings hold its replies", k, rate[k])
		}
	}
	for i := 1; i < len(r.Audience.TopVoices); i++ {
		if a, b := r.Audience.TopVoices[i-1], r.Audience.TopVoices[i]; a.Interactions < b.Interactions {
			t.Errorf("top voices not ranked by interactions: %s %d before %s %d", a.Author, a.Interactions, b.Author, b.Interactions)
		}
	}
	spikesWhereCollected(t, d.Config(), st, r)
	if len(r.Audience.TopVoices) > 0 {
		t.Logf("top voice: %+v", r.Audience.TopVoices[0])
	}
	goalsHaveValues(t, d.Config(), st, r)
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
