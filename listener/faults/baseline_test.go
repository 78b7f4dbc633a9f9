package faults_test

import (
	"testing"
)

func TestBaselineAllHealthy(t *testing.T) {
	var names []string
	for _, n := range networks {
		names = append(names, n.name)
	}
	r := newRig(t, nil, names...)
	r.waitFirstRound()
	for _, h := range r.sched.Health() {
		t.Logf("%-10s healthy=%v posts=%d stored=%d err=%q", h.Name, h.Healthy, h.PostsFetched, h.MentionsStored, h.LastError)
		ids := r.stored(h.Network)
		if !h.Healthy || len(ids) == 0 {
			t.Errorf("%s: healthy=%v stored=%d", h.Name, h.Healthy, len(ids))
		}
	}
}
