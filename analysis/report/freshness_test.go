package report

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/store"
)

// TestHandComputedFreshness: four mentions with counts read 10 min, 2 h,
// 25 h (a refresh) and 8 days after publication, and two without counts.
// Bands by the age of the last read: under 1h 1, 1h+ 1, 6h+ 0, 24h+ 1,
// 72h+ 0, 7d+ 1; mature (≥ 24 h) 2 of 4 = 50%; RSS and Naver unrefreshed (2).
func TestHandComputedFreshness(t *testing.T) {
	f := &fix{}
	pub := func(m *store.Mention, read time.Duration) {
		m.Engagement = map[string]int64{"score": 3}
		m.Fetched = m.Published.Add(read)
	}
	pub(f.add("reddit", 1, 10, "neutral", 1, "Acme"), 10*time.Minute)
	pub(f.add("reddit", 1, 11, "neutral", 1, "Acme"), 2*time.Hour)
	c := f.add("reddit", 2, 10, "neutral", 1, "Globex")
	pub(c, 10*time.Minute)
	c.EngagementAt = c.Published.Add(25 * time.Hour)
	d := f.add("x", 0, 9, "neutral", 1, "Acme")
	d.Engagement, d.Fetched = map[string]int64{"likes": 2}, d.Published.Add(8*24*time.Hour)
	f.add("rss", 3, 8, "neutral", 0, "Acme").Fetched = winStart.AddDate(0, 0, 3)
	f.add("naver", 3, 9, "neutral", 0, "Acme").Fetched = winStart.AddDate(0, 0, 4)
	f.add("reddit", -3, 9, "neutral", 0, "Acme").Engagement = map[string]int64{"score": 1} // previous week: not counted
	s := fixtureStore(t, f.ms)
	r := buildT(t, s, Request{Config: fixtureCfg(t, ""), Period: "week", End: winEnd, Now: fixNow})
	fr := r.Freshness
	if fr == nil || fr.Counted != 4 || fr.UnrefreshedCount != 2 || !reflect.DeepEqual(fr.Unrefreshed, []string{"naver", "rss"}) {
		t.Fatalf("freshness %+v", fr)
	}
	var got []int64
	var labels []string
	for _, b := range fr.Bands {
		got, labels = append(got, b.Mentions), append(labels, b.Label)
	}
	if !reflect.DeepEqual(got, []int64{1, 1, 0, 1, 0, 1}) || !reflect.DeepEqual(labels, []string{"under 1h", "1h+", "6h+", "24h+", "72h+", "7d+"}) {
		t.Errorf("bands %v %v", labels, got)
	}
	if fr.Mature == nil || *fr.Mature != 0.5 || fr.MatureAge != "24h" {
		t.Errorf("mature %v %s", fr.Mature, fr.MatureAge)
	}
	note := "engagement as of: 50% of 4 mentions with counts were counted at least 24h after publication (refreshed at 1h, 6h, 24h, 72h, 7d); Naver, News & blogs (RSS) give no counts (2 mentions, never refreshed)"
	found := false
	for _, n := range r.Meta.Notes {
		found = found || n == note
	}
	if !found {
		t.Errorf("notes %q lack %q", r.Meta.Notes, note)
	}
	empty := buildT(t, fixtureStore(t, nil), Request{Config: fixtureCfg(t, ""), Period: "week", End: winEnd, Now: fixNow})
	if empty.Freshness.Mature != nil || !strings.Contains(empty.Freshness.note().Text(NewLocale("en")), "no mention with counts") {
		t.Errorf("empty window: %+v", empty.Freshness)
	}
}
