package report

import (
	"slices"
	"testing"
)

// Emerging words leave out stopwords and the brands' own names and
// domain labels, however much more often the window uses them: here
// "the", "acme" and "example" (acme.example) surge with "zeppelin",
// and only "zeppelin" is reported.
func TestEmergingLeavesOutStopwordsAndBrandWords(t *testing.T) {
	var f fix
	for d := -20; d < 0; d++ {
		f.add("x", d, 10, "neutral", 1, "Acme").Text = "plain words about things"
		f.add("x", d, 11, "neutral", 1, "Acme").Text = "ordinary chatter today"
	}
	for d := range 7 {
		for h := range 3 {
			f.add("x", d, float64(9+h), "neutral", 1, "Acme").Text = "the zeppelin acme example"
		}
	}
	s := fixtureStore(t, f.ms)
	r := buildT(t, s, Request{Config: fixtureCfg(t, ""), Period: "week", End: winStart.AddDate(0, 0, 6), Now: fixNow})
	var words []string
	for _, b := range r.Emerging.Brands {
		if b.Brand == "Acme" {
			for _, e := range b.Terms {
				words = append(words, e.Term)
			}
		}
	}
	if !slices.Contains(words, "zeppelin") {
		t.Fatalf("Acme's emerging words %q lack zeppelin: the scenario shows nothing", words)
	}
	for _, w := range []string{"the", "acme", "example"} {
		if slices.Contains(words, w) {
			t.Errorf("Acme's emerging words %q hold %q", words, w)
		}
	}
}
