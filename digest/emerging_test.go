package digest

import (
	"strings"
	"testing"

	"github.com/earshot/earshot/analysis/report"
)

// A word a listed phrase contains is dropped unless its own count is
// clearly larger (> 1.5 × the phrase's). Hand-computed: "customer
// support" 4 → limit 6; "customer" 6 ≤ 6 is dropped, "support" 7 > 6 is
// kept; "outage" is in no phrase; "supporters" takes the freed place;
// "supporters" is another word, not "support".
func TestEmergingDropsWordsOfListedPhrases(t *testing.T) {
	bt := report.BrandTerms{Brand: "Initech",
		Phrases: []report.Emerging{{Term: "customer support", Count: 4, Lift: 3.2}},
		Terms: []report.Emerging{{Term: "outage", Count: 10}, {Term: "customer", Count: 6}, {Term: "support", Count: 7},
			{Term: "supporters", Count: 5}, {Term: "postmortem", Count: 4}},
	}
	var got []string
	for _, e := range emergingList(bt) {
		got = append(got, e.Term)
	}
	if want := "customer support, outage, support, supporters"; strings.Join(got, ", ") != want {
		t.Errorf("listed %q, want %q", strings.Join(got, ", "), want)
	}
	// Without the phrase the word is listed.
	bt.Phrases = nil
	if l := emergingList(bt); len(l) != maxEmerging || l[1].Term != "customer" {
		t.Errorf("no phrase: %v", l)
	}
}
