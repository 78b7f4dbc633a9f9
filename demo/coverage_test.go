package demo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

const day = 24 * time.Hour

// demoLookback is how far back each demo source's first poll reached, by
// hand: the fakes of networks that return history honour the demo's
// lookback = "21d" (Hacker News "35d": its replay holds three weeks before
// the recordings, demo/history.go), X's recent search 7 days; feeds and the
// crawled forum return no history.
var demoLookback = map[string]time.Duration{
	config.NetworkHackerNews: 35 * day, config.NetworkReddit: 21 * day, config.NetworkMastodon: 21 * day,
	config.NetworkBluesky: 21 * day, config.NetworkNaver: 21 * day, config.NetworkDaum: 21 * day,
	config.NetworkYouTube: 21 * day, config.NetworkX: 7 * day, config.NetworkRSS: 0, config.NetworkWeb: 0,
}

// demoCoverage checks every source's record against demoLookback and
// returns when each network was collected from (rss: never, its broken
// feed never completes a poll).
func demoCoverage(t *testing.T, cfg *config.Config, st *store.Store) map[string]time.Time {
	t.Helper()
	cov, err := st.Coverage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for _, s := range cfg.Sources {
		c, ok := cov[s.Name]
		switch {
		case s.Name == "broken-feed":
			if ok {
				t.Errorf("the broken feed has coverage %+v", c)
			}
			continue
		case !ok:
			t.Errorf("source %s: no coverage after its first poll", s.Name)
			continue
		case c.Lookback != demoLookback[s.Network] || c.Network != s.Network || c.Began.After(time.Now()):
			t.Errorf("source %s: coverage %+v, want lookback %s on %s", s.Name, c, demoLookback[s.Network], s.Network)
		}
		if s.Network != config.NetworkRSS {
			out[s.Network] = c.Began.Add(-demoLookback[s.Network])
		}
	}
	for _, n := range config.NetworkNames() {
		from, ok := store.CoveredFrom(cov, n, cfg.Sources)
		if want, wok := out[n]; ok != wok || !from.Equal(want) {
			t.Errorf("%s covered from %v (%v), want %v", n, from, ok, want)
		}
	}
	return out
}

// localDay is the local midnight of t's day.
func localDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// spikesWhereCollected recomputes the report's spikes from the stored
// mentions by the rule of docs/report.md: a network's days are collected
// from the first whole local day after its coverage began; a day of the
// window with at least 14 collected days among the 28 before it is a
// spike for a brand when its dated mentions are ≥ 5 and above mean + 3σ
// of those days. The demo's lookback gives its history networks 14 such
// days within the window, so the check is not vacuous.
func spikesWhereCollected(t *testing.T, cfg *config.Config, st *store.Store, r *report.Report) {
	t.Helper()
	loc := cfg.Earshot.Location
	covered := demoCoverage(t, cfg, st)
	start, err1 := time.Parse(time.RFC3339, r.Meta.Start)
	end, err2 := time.Parse(time.RFC3339, r.Meta.End)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	counts := map[string]int{} // network brand local-date → dated mentions
	err := st.Range(context.Background(), start.Add(-40*day), end, func(m store.Mention) error {
		if m.Kind == store.KindMention && !m.PublishedEstimated {
			for _, b := range m.Brands {
				counts[m.Network+" "+b+" "+localDay(m.Published, loc).Format(time.DateOnly)]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	computed := 0
	for n, from := range covered {
		first := localDay(from, loc)
		if !first.Equal(from) {
			first = first.AddDate(0, 0, 1) // that day was collected in part
		}
		for d := localDay(start, loc); d.Before(end); d = d.AddDate(0, 0, 1) {
			var days []time.Time
			for j := d.AddDate(0, 0, -28); j.Before(d); j = j.AddDate(0, 0, 1) {
				if !j.Before(first) {
					days = append(days, j)
				}
			}
			if len(days) < 14 {
				continue
			}
			computed++
			for _, b := range cfg.Brands {
				cur := counts[n+" "+b.Name+" "+d.Format(time.DateOnly)]
				var sum, sq float64
				for _, j := range days {
					v := float64(counts[n+" "+b.Name+" "+j.Format(time.DateOnly)])
					sum, sq = sum+v, sq+v*v
				}
				mean := sum / float64(len(days))
				sigma := math.Sqrt(math.Max(sq/float64(len(days))-mean*mean, 0))
				if cur >= 5 && float64(cur) > mean+3*sigma {
					want = append(want, fmt.Sprintf("%s %s %s %d (%d days)", n, d.Format(time.DateOnly), b.Name, cur, len(days)))
				}
			}
		}
	}
	var got []string
	for _, s := range r.Spikes.Spikes {
		got = append(got, fmt.Sprintf("%s %s %s %d (%d days)", s.Network, s.Day, s.Brand, s.Mentions, s.BaselineDays))
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("spikes\n got %q\nwant %q", got, want)
	}
	if computed == 0 {
		t.Error("no network has a day with 14 collected days: the demo's lookback no longer backfills them")
	}
	t.Logf("%d network-days with a baseline; spikes %q", computed, got)
}

// goalsHaveValues: the demo's goals (network "all": collected from the
// earliest network's coverage) are tracked on every 7-day block ending
// with the window that starts after it, with values: SOV recomputed from
// the stored mentions, in range, and met ⇔ progress 100.
func goalsHaveValues(t *testing.T, cfg *config.Config, st *store.Store, r *report.Report) {
	t.Helper()
	loc := cfg.Earshot.Location
	var began time.Time
	for _, from := range demoCoverage(t, cfg, st) {
		if began.IsZero() || from.Before(began) {
			began = from
		}
	}
	end, err := time.Parse(time.RFC3339, r.Meta.End)
	if err != nil {
		t.Fatal(err)
	}
	end = end.In(loc)
	var weeks []string
	for k := 12; k >= 1; k-- {
		if from := end.AddDate(0, 0, -7*k); !from.Before(began) {
			weeks = append(weeks, from.Format(time.DateOnly))
		}
	}
	if len(weeks) < 2 {
		t.Fatalf("goal weeks %v: the demo's lookback should give at least two", weeks)
	}
	own := ""
	for _, b := range cfg.Brands {
		if b.Own {
			own = b.Name
		}
	}
	sov := func(week string) (float64, bool) {
		from, _ := time.ParseInLocation(time.DateOnly, week, loc)
		var mine, all int
		err := st.Range(context.Background(), from, from.AddDate(0, 0, 7), func(m store.Mention) error {
			if m.Kind == store.KindMention {
				for _, b := range m.Brands {
					all++
					if b == own {
						mine++
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if all == 0 {
			return 0, false // no value that week: the baseline is the first week with one
		}
		return math.Round(float64(mine)*10000/float64(all)) / 100, true
	}
	if len(r.Goals.Goals) == 0 {
		t.Fatal("the demo has no goals")
	}
	for _, g := range r.Goals.Goals {
		t.Logf("goal %s: weeks %v baseline %v current %v progress %v projected %v status %s", g.Name, g.WeekStarts, deref(g.Baseline), deref(g.Current), deref(g.Progress), deref(g.Projected), g.Status)
		if !slices.Equal(g.WeekStarts, weeks) || g.Current == nil || g.Baseline == nil || g.Progress == nil || g.Status == "no data" {
			t.Errorf("goal %s: weeks %v, current %v, baseline %v, progress %v, %s; want values on weeks %v", g.Name, g.WeekStarts, deref(g.Current), deref(g.Baseline), deref(g.Progress), g.Status, weeks)
			continue
		}
		if g.Metric == config.GoalSOV {
			var vals []float64
			for _, w := range weeks {
				if v, ok := sov(w); ok {
					vals = append(vals, v)
				}
			}
			cur, curOK := sov(weeks[len(weeks)-1])
			if !curOK || len(vals) == 0 || *g.Current != cur || *g.Baseline != vals[0] {
				t.Errorf("goal %s: SOV %v from %v, want %v from %v (the stored mentions)", g.Name, *g.Current, *g.Baseline, cur, vals)
			}
		}
		for _, v := range []*float64{g.Projected, g.Current, g.Baseline} {
			if v != nil && ((g.Min != nil && *v < *g.Min) || (g.Max != nil && *v > *g.Max)) {
				t.Errorf("goal %s: %v outside [%v, %v]", g.Name, *v, deref(g.Min), deref(g.Max))
			}
		}
		if (*g.Progress == 100) != (g.Status == "met") {
			t.Errorf("goal %s: progress %v with status %s", g.Name, *g.Progress, g.Status)
		}
	}
}
