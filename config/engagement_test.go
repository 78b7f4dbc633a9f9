package config

import (
	"math"
	"slices"
	"testing"
)

// ClassifyEngagement splits a post's counts by its network's row: X's
// 98,012 impressions are exposure, not engagement.
func TestClassifyEngagement(t *testing.T) {
	for _, c := range []struct {
		network string
		counts  map[string]int64
		want    EngagementSplit
	}{
		// likes 5 + reposts 1 + replies 2 + quotes 0 + bookmarks 3 = 11; impressions 98,012
		{NetworkX, map[string]int64{"likes": 5, "reposts": 1, "replies": 2, "quotes": 0, "bookmarks": 3, "impressions": 98012},
			EngagementSplit{Interactions: 11, Exposure: 98012, ExposureKnown: true}},
		// views 1,200 are exposure; likes 40 + comments 6
		{NetworkYouTube, map[string]int64{"views": 1200, "likes": 40, "comments": 6}, EngagementSplit{Interactions: 46, Exposure: 1200, ExposureKnown: true}},
		// a down-voted score counts 0; Reddit gives no exposure
		{NetworkReddit, map[string]int64{"score": -4, "num_comments": 3}, EngagementSplit{Interactions: 3}},
		// a key the table does not know counts in neither class
		{NetworkHackerNews, map[string]int64{"points": 7, "views": 9}, EngagementSplit{Interactions: 7, Unknown: []string{"views"}}},
		{NetworkX, map[string]int64{"likes": math.MaxInt64, "reposts": 5}, EngagementSplit{Interactions: math.MaxInt64}},
		{NetworkRSS, nil, EngagementSplit{}},
	} {
		got := ClassifyEngagement(c.network, c.counts)
		if got.Interactions != c.want.Interactions || got.Exposure != c.want.Exposure || got.ExposureKnown != c.want.ExposureKnown ||
			!slices.Equal(got.Unknown, c.want.Unknown) {
			t.Errorf("%s %v = %+v, want %+v", c.network, c.counts, got, c.want)
		}
	}
}

// Every class in the table is one of the two, and each network lists a key once.
func TestEngagementTableClasses(t *testing.T) {
	for _, n := range Networks() {
		for k, c := range n.Engagement {
			if c != Interaction && c != Exposure {
				t.Errorf("%s: key %q has class %q", n.Name, k, c)
			}
		}
	}
}
