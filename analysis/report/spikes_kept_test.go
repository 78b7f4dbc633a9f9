package report

import (
	"context"
	"reflect"
	"testing"
)

// The spike explanations take their word counts from emerging's read only
// when it covers their range; word counts that cover none of it (or no
// kept read at all) give the same explanations, read from the store.
func TestSpikeWordsReadWhenNotKept(t *testing.T) {
	s, cfgs := zoneStore(t, 6000, "UTC")
	cfg := cfgs[0]
	end := scaleStart.AddDate(0, 0, 4*7-1)
	req := Request{Config: cfg, Period: "week", End: end, Now: end.AddDate(0, 0, 3)}
	r := buildT(t, s, req)
	w, err := resolve(&req)
	if err != nil {
		t.Fatal(err)
	}
	f, err := readWindow(context.Background(), s, w, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	terms := 0
	for _, kept := range []*termHours{nil, {from: w.end, to: w.end}, {from: w.start, to: w.end}} {
		sec := r.Spikes
		sec.Spikes = append([]Spike(nil), r.Spikes.Spikes...)
		for i := range sec.Spikes {
			sec.Spikes[i].Why = nil
		}
		if err := explainSpikes(context.Background(), s, cfg, w, f, &sec, r.Meta.Networks, kept); err != nil {
			t.Fatal(err)
		}
		for i, sp := range sec.Spikes {
			if !reflect.DeepEqual(sp.Why, r.Spikes.Spikes[i].Why) {
				t.Errorf("kept %+v: spike %s %s %s explained %+v; the report has %+v", kept, sp.Day, sp.Network, sp.Brand, sp.Why, r.Spikes.Spikes[i].Why)
			}
			if sp.Why != nil {
				terms += len(sp.Why.Terms)
			}
		}
	}
	if terms == 0 {
		t.Fatal("no explained spike has words: the test shows nothing")
	}
}
