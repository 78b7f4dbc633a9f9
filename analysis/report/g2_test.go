package report

import (
	"math"
	"reflect"
	"testing"
)

// Dunning's G² on counts small enough to work out by hand.
func TestG2HandComputed(t *testing.T) {
	tests := []struct {
		a, b, n1, n2, want float64
	}{
		// expected 5 and 10: 2(10 ln 2 + 5 ln ½) = 10 ln 2
		{10, 5, 100, 200, 10 * math.Ln2},
		// expected 2 and 2, b = 0 adds nothing: 2 · 4 ln 2
		{4, 0, 50, 50, 8 * math.Ln2},
		// expected 5/3 in the window: 2 · 5 ln 3
		{5, 0, 100, 200, 10 * math.Log(3)},
		// the same rate in both periods: no evidence
		{3, 6, 100, 200, 0},
		{0, 0, 100, 200, 0},
		{0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		if got := g2(tt.a, tt.b, tt.n1, tt.n2); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("g2(%v, %v, %v, %v) = %.9f, want %.9f", tt.a, tt.b, tt.n1, tt.n2, got, tt.want)
		}
		if got, back := g2(tt.a, tt.b, tt.n1, tt.n2), g2(tt.b, tt.a, tt.n2, tt.n1); math.Abs(got-back) > 1e-9 {
			t.Errorf("g2 not symmetric in the periods: %v vs %v", got, back)
		}
	}
}

// rankTerms keeps words used at least minEmerging times, more often than in
// the baseline, with G² ≥ 3.84, by G² descending; lift = window rate ÷
// (baseline count + 1) rate.
func TestRankTermsHandComputed(t *testing.T) {
	cur := map[string]int64{"quokka": 10, "rare": 2, "weak": 4, "new": 5, "filler": 79} // 100 words
	base := map[string]int64{"quokka": 5, "weak": 6, "filler": 189}                     // 200 words
	got := rankTerms(cur, base)
	want := []Emerging{
		{Term: "new", Count: 5, Baseline: 0, G2: 10.986, Lift: 10},       // 10 ln 3; (5/100) ÷ (1/200)
		{Term: "quokka", Count: 10, Baseline: 5, G2: 6.931, Lift: 3.333}, // 10 ln 2; (10/100) ÷ (6/200)
	}
	// rare: under minEmerging; weak: G² ≈ 0.19; filler: less frequent than before.
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rankTerms = %+v\nwant        %+v", got, want)
	}
}
