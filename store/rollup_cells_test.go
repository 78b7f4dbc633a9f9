package store

import (
	"math"
	"testing"
	"time"
)

// cellOf, the one contribution rule of Commit, Prune and rebuild, on
// hand-computed mentions.
func TestCellOf(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		f    Fact
		want Cell
	}{
		{"positive", Fact{Published: t0, Label: "positive", Sentiment: 0.5, Followers: 10, Engagement: 3},
			Cell{Count: 1, Positive: 1, SentimentSum: 0.5, Reach: 10, ReachKnown: 1, Engagement: 3}},
		{"exposure known", Fact{Published: t0, Engagement: 4, Exposure: 900, ExposureKnown: true},
			Cell{Count: 1, Engagement: 4, Exposure: 900, ExposureKnown: 1}},
		{"exposure known, zero", Fact{Published: t0, ExposureKnown: true}, Cell{Count: 1, ExposureKnown: 1}},
		{"neutral", Fact{Published: t0, Label: "neutral", Sentiment: 0.01}, Cell{Count: 1, Neutral: 1, SentimentSum: 0.01}},
		{"negative NaN", Fact{Published: t0, Label: "negative", Sentiment: math.NaN()}, Cell{Count: 1, Negative: 1}},
		{"unlabelled", Fact{Published: t0, Sentiment: 0.9}, Cell{Count: 1}},
		{"reply", Fact{Published: t0, ParentPublished: t0.Add(-90 * time.Minute)}, Cell{Count: 1, Replies: 1, ResponseSeconds: 5400}},
		{"reply before parent", Fact{Published: t0, ParentPublished: t0.Add(time.Minute)}, Cell{Count: 1, Replies: 1}},
	} {
		if got := cellOf(&c.f); got != c.want {
			t.Errorf("%s: cellOf = %+v, want %+v", c.name, got, c.want)
		}
	}
}

// Adding a fact's cells and taking them away again leaves nothing: the
// cells Prune subtracts are the ones Commit added.
func TestCellSumsAddSub(t *testing.T) {
	f := &Fact{Published: time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC), Network: "x", Kind: KindMention,
		Brands: []string{"Acme", "Globex"}, Label: "positive", Sentiment: 0.4, Followers: 7}
	s := cellSums{}
	one := cellOf(f)
	s.addFact(f, &one)
	if len(s) != 3 {
		t.Fatalf("%d cells, want all brands + 2 brands", len(s))
	}
	for k, c := range s {
		if *c != one {
			t.Errorf("cell %q = %+v, want %+v", k, *c, one)
		}
		c.sub(&one)
		if *c != (Cell{}) {
			t.Errorf("cell %q after sub = %+v", k, *c)
		}
	}
}
