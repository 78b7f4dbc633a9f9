package store

import "math"

// cellOf is the one rule for what a stored mention adds to its rollup
// cells: Commit adds it, Prune takes the same amount away, and a rebuild
// from the log adds it again.
func cellOf(f *Fact) Cell {
	one := Cell{Count: 1, Reach: f.Followers, Engagement: f.Engagement, Exposure: f.Exposure}
	if f.Followers > 0 {
		one.ReachKnown = 1
	}
	if f.ExposureKnown {
		one.ExposureKnown = 1
	}
	if f.Estimated {
		one.Estimated = 1
	}
	switch f.Label {
	case "positive":
		one.Positive, one.SentimentSum = 1, f.Sentiment
	case "neutral":
		one.Neutral, one.SentimentSum = 1, f.Sentiment
	case "negative":
		one.Negative, one.SentimentSum = 1, f.Sentiment
	}
	if math.IsNaN(one.SentimentSum) || math.IsInf(one.SentimentSum, 0) {
		one.SentimentSum = 0
	}
	if !f.ParentPublished.IsZero() {
		one.Replies = 1
		one.ResponseSeconds = responseSeconds(f)
	}
	return one
}

// cellSums accumulates cell deltas by cell key within one transaction.
type cellSums map[string]*Cell

// addFact adds d to every cell f counts in: its hour, network and kind,
// once for all brands ("") and once per brand it names.
func (s cellSums) addFact(f *Fact, d *Cell) {
	hour := hourKey(f.Published)
	s.add(cellKey(hour, f.Network, "", f.Kind), d)
	for _, b := range f.Brands {
		s.add(cellKey(hour, f.Network, b, f.Kind), d)
	}
}

func (s cellSums) add(k []byte, d *Cell) {
	c := s[string(k)]
	if c == nil {
		c = &Cell{}
		s[string(k)] = c
	}
	c.add(d)
}
