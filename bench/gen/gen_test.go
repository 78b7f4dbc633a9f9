package gen

import (
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
)

func stream(o Options) []string {
	g := New(o)
	var out []string
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		out = append(out, m.ID+"|"+m.Text+"|"+m.Published.String())
	}
	return out
}

func TestSameSeedSameStream(t *testing.T) {
	o := Options{Seed: 3, Mentions: 500, Weeks: 2}
	if a, b := stream(o), stream(o); !reflect.DeepEqual(a, b) {
		t.Error("same options gave different streams")
	}
	o.Seed = 4
	if reflect.DeepEqual(stream(Options{Seed: 3, Mentions: 500, Weeks: 2}), stream(o)) {
		t.Error("different seeds gave the same stream")
	}
}

func TestStreamShape(t *testing.T) {
	g := New(Options{Seed: 1, Mentions: 20000, Weeks: 4})
	seen := map[string]bool{}
	perBrand := map[string]int{}
	var replies, owned, ko int
	var last int64
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		if seen[m.ID] {
			t.Fatalf("duplicate id %s", m.ID)
		}
		seen[m.ID] = true
		if m.Published.UnixNano() < last-int64(g.step) {
			t.Fatalf("%s published out of order", m.ID)
		}
		last = m.Published.UnixNano()
		perBrand[m.Brands[0]]++
		if m.Kind == "owned" {
			owned++
		}
		if m.ReplyTo != "" {
			replies++
			if !seen[m.ReplyTo] {
				t.Errorf("%s replies to %s, not generated before it", m.ID, m.ReplyTo)
			}
		}
		if m.Lang == "ko" {
			ko++
		}
	}
	if len(seen) != 20000 || len(perBrand) != 10 {
		t.Fatalf("mentions %d over %d brands", len(seen), len(perBrand))
	}
	// Skewed, not uniform: the most mentioned brand has several times the least.
	lo, hi := 1<<30, 0
	for _, n := range perBrand {
		lo, hi = min(lo, n), max(hi, n)
	}
	if hi < 3*lo {
		t.Errorf("brand counts %v are not skewed", perBrand)
	}
	if owned < 500 || replies < owned/2 || ko < 2000 || ko > 6000 {
		t.Errorf("owned %d, replies %d, korean %d", owned, replies, ko)
	}
}

// The default networks are the networks table's ranked rows, busiest
// first; the order before Daum was added is kept, so seeded streams over
// those networks keep their skew.
func TestNetworksFromTable(t *testing.T) {
	want := []string{"reddit", "x", "hackernews", "youtube", "bluesky", "mastodon", "naver", "rss", "daum"}
	if !reflect.DeepEqual(Networks, want) {
		t.Errorf("Networks = %v, want %v", Networks, want)
	}
	table := []config.Network{{Name: "c", Volume: 2}, {Name: "off"}, {Name: "a", Volume: 1}, {Name: "b", Volume: 2}}
	if got := volumeOrder(table); !reflect.DeepEqual(got, []string{"a", "c", "b"}) {
		t.Errorf("volumeOrder = %v, want unranked rows out and ties in table order", got)
	}
	for _, n := range config.Networks() {
		if n.Volume > 0 && !slices.Contains(Networks, n.Name) {
			t.Errorf("ranked network %s not generated", n.Name)
		}
	}
}

// With Growth 4 over 52 weeks, the density ends 4× where it began: by hand,
// k = ln 4, the last 7 days (t from 1 − 7/364 = 0.98077) hold
// 1 − (4^0.98077 − 1)/3 = 1 − 2.8948/3 = 3.51 % of the stream and the last
// 30 days 1 − (4^0.91758 − 1)/3 = 1 − 2.5681/3 = 14.40 %; evenly spread
// they would hold 1.92 % and 8.24 %. The stream stays in published order
// within the span.
func TestGrowthSpread(t *testing.T) {
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	const n = 20000
	g := New(Options{Seed: 5, Mentions: n, Start: start, Growth: 4})
	end := g.End()
	if want := start.AddDate(0, 0, 364); !end.Equal(want) {
		t.Fatalf("End = %v, want %v", end, want)
	}
	var last7, last30 int
	prev := start
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		if m.Published.Before(prev) || !m.Published.Before(end) {
			t.Fatalf("%s published %v after %v or past the end %v", m.ID, m.Published, prev, end)
		}
		prev = m.Published
		if !m.Published.Before(end.AddDate(0, 0, -7)) {
			last7++
		}
		if !m.Published.Before(end.AddDate(0, 0, -30)) {
			last30++
		}
	}
	for _, c := range []struct {
		name      string
		got       int
		wantShare float64
	}{{"7 days", last7, 0.0351}, {"30 days", last30, 0.1440}} {
		if want := c.wantShare * n; math.Abs(float64(c.got)-want) > 0.05*want {
			t.Errorf("last %s hold %d mentions, want %.0f ± 5%%", c.name, c.got, want)
		}
	}
	for _, u := range []float64{0, 0.25, 0.5, 0.9, 1} {
		if got := Share(Offset(u, 4), 4); math.Abs(got-u) > 1e-12 {
			t.Errorf("Share(Offset(%v)) = %v", u, got)
		}
	}
	if Offset(0.3, 1) != 0.3 || Share(0.3, 0) != 0.3 {
		t.Error("growth ≤ 1 must be the even spread")
	}
}
