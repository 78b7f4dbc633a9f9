package report

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// zoneStore commits n generated mentions over 6 weeks from scaleStart and
// returns it with one configuration per zone in tzs.
func zoneStore(t *testing.T, n int, tzs ...string) (*store.Store, []*config.Config) {
	t.Helper()
	var cfgs []*config.Config
	brands := []string{"Brand0", "Brand1", "Brand2", "Brand3"}
	for _, tz := range tzs {
		toml := fmt.Sprintf("[earshot]\ntimezone = %q\n", tz)
		for i, b := range brands {
			toml += fmt.Sprintf("[[brand]]\nname = %q\nown = %t\n", b, i == 0)
		}
		cfg, err := config.Parse([]byte(toml), "gen.toml", func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		cfgs = append(cfgs, cfg)
	}
	g := gen.New(gen.Options{Seed: 3, Mentions: n, Weeks: scaleWeeks, Growth: 8, Start: scaleStart, Brands: brands})
	var ms []store.Mention
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		ms = append(ms, m)
	}
	return fixtureStore(t, ms), cfgs
}

// The picks made from hourly cells and a few hours' facts are the picks
// of a scan of every fact, in whole-hour and half-hour zones, for windows
// that start before the data, in it, and end after it.
func TestPhrasePicksMatchScan(t *testing.T) {
	tzs := []string{"UTC", "Asia/Kolkata"}
	s, cfgs := zoneStore(t, 6000, tzs...)
	for i, tz := range tzs {
		cfg := cfgs[i]
		loc := cfg.Earshot.Location
		brands := []string{"Brand0", "Brand1", "Brand2", "Brand3", "Nobody"}
		for _, wk := range []int{0, 2, 5, 7} {
			start := time.Date(2025, 1, 6+7*wk, 0, 0, 0, 0, loc)
			end, base := start.AddDate(0, 0, 7), start.AddDate(0, 0, -baselineDays)
			for _, per := range []int{3, 33, 5000} {
				got, err := phrasePicks(context.Background(), s, brands, base, start, end, per)
				if err != nil {
					t.Fatal(err)
				}
				want, err := phraseScan(context.Background(), s, brands, base, start, end, per)
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range brands {
					g, w := got[b], want[b]
					if g.winLen != w.winLen || g.baseLen != w.baseLen || fmt.Sprint(g.win, g.base) != fmt.Sprint(w.win, w.base) {
						t.Errorf("%s week %d per %d %s: picks %d/%d %d/%d, scan %d/%d %d/%d", tz, wk, per, b,
							len(g.win), g.winLen, len(g.base), g.baseLen, len(w.win), w.winLen, len(w.base), w.baseLen)
					}
				}
				if wk == 5 && per == 33 && (got["Brand0"].winLen == 0 || len(got["Brand0"].win) != 33) {
					t.Errorf("%s: the scenario picks nothing (%d of %d)", tz, len(got["Brand0"].win), got["Brand0"].winLen)
				}
			}
		}
	}
}

// Every spike the report explains from its one pass over the window's
// facts is explained as ExplainSpike, reading the day again, explains it.
func TestSpikeWhyMatchesExplainSpike(t *testing.T) {
	tzs := []string{"UTC", "Asia/Kolkata"}
	s, cfgs := zoneStore(t, 6000, tzs...)
	for i, tz := range tzs {
		cfg := cfgs[i]
		explained := 0
		for _, wk := range []int{3, 4, 5} {
			end := scaleStart.AddDate(0, 0, wk*7-1)
			for _, nets := range [][]string{nil, {"x"}} {
				r := buildT(t, s, Request{Config: cfg, Period: "week", End: end, Now: end.AddDate(0, 0, 3), Networks: nets})
				for _, sp := range r.Spikes.Spikes {
					if sp.Why == nil {
						continue
					}
					explained++
					want, err := ExplainSpike(context.Background(), s, cfg, SpikeDay{Day: sp.Day, Brand: sp.Brand, Network: sp.Network, Networks: r.Meta.Networks})
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(sp.Why, want) {
						t.Errorf("%s %s %s %s: report %+v, ExplainSpike %+v", tz, sp.Day, sp.Network, sp.Brand, sp.Why, want)
					}
				}
			}
		}
		if explained == 0 {
			t.Errorf("%s: no spike explained: the scenario tests nothing", tz)
		}
	}
}
