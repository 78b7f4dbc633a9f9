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

// brandCellOf is cellOf for the cell of one brand: the mention's
// sentiment toward that brand (Fact.SentimentFor) replaces its own.
func brandCellOf(f *Fact, brand string) Cell {
	if _, ok := f.BrandSentiment[brand]; !ok {
		return cellOf(f)
	}
	g := *f
	g.Sentiment, g.Label = f.SentimentFor(brand)
	return cellOf(&g)
}

// cellSums accumulates cell deltas by cell key within one transaction.
type cellSums map[string]*Cell

// addFact adds d to every cell f counts in: its hour, network and kind,
// once for all brands ("") and once per brand it names. d counts the
// mention d.Count times (1 from Commit, 0 in a difference of counts); in
// the cell of a brand with its own sentiment, each of those counts takes
// the brand's sentiment in place of the mention's (brandCellOf).
func (s cellSums) addFact(f *Fact, d *Cell) {
	hour := hourKey(f.Published)
	s.add(cellKey(hour, f.Network, "", f.Kind), d)
	for _, b := range f.Brands {
		if _, own := f.BrandSentiment[b]; !own || d.Count == 0 {
			s.add(cellKey(hour, f.Network, b, f.Kind), d)
			continue
		}
		bd, whole, own := *d, cellOf(f), brandCellOf(f, b)
		for range d.Count {
			bd.add(&own)
			bd.sub(&whole)
		}
		s.add(cellKey(hour, f.Network, b, f.Kind), &bd)
	}
}

// addFactChange adds to every cell f counts in the difference between
// the mention as after and as before (same hour, network, kind and
// brands; other counts or sentiment), brand by brand (Rescore).
func (s cellSums) addFactChange(before, after *Fact) {
	hour := hourKey(after.Published)
	d, o := cellOf(after), cellOf(before)
	d.sub(&o)
	s.add(cellKey(hour, after.Network, "", after.Kind), &d)
	for _, b := range after.Brands {
		d, o := brandCellOf(after, b), brandCellOf(before, b)
		d.sub(&o)
		s.add(cellKey(hour, after.Network, b, after.Kind), &d)
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
