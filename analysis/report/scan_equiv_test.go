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
		m.PublishedEstimated = len(ms)%5 == 0 // some dates stamped when seen
		ms = append(ms, m)
		if len(ms)%40 == 1 && m.Kind == store.KindMention && len(m.Brands) > 0 {
			r := m // a brand's answer a day and a half later
			r.ID, r.URL, r.Kind, r.ReplyTo, r.Brands = m.ID+"r", m.URL+"r", store.KindOwned, m.ID, m.Brands[:1]
			r.Published, r.PublishedEstimated = m.Published.Add(36*time.Hour), false
			ms = append(ms, r)
		}
	}
	return fixtureStore(t, ms), cfgs
}

// countingSource counts the facts a report reads.
type countingSource struct {
	*store.Store
	facts int
}

func (c *countingSource) Facts(ctx context.Context, from, to time.Time, fn func(*store.Fact) error) error {
	return c.Store.Facts(ctx, from, to, func(f *store.Fact) error { c.facts++; return fn(f) })
}

func (c *countingSource) FactsOfKind(ctx context.Context, from, to time.Time, kind string, fn func(*store.Fact) error) error {
	return c.Store.FactsOfKind(ctx, from, to, kind, func(f *store.Fact) error { c.facts++; return fn(f) })
}

func (c *countingSource) FactBrands(ctx context.Context, from, to time.Time, kind string, fn func(string, []string) error) error {
	return c.Store.FactBrands(ctx, from, to, kind, func(id string, bs []string) error { c.facts++; return fn(id, bs) })
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
				cs := &countingSource{Store: s}
				got, err := phrasePicks(context.Background(), cs, brands, base, start, end, per)
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
				// Bounded: 3 picks per brand read a few hours, not the range
				// (a fallback to the scan would read every fact).
				if all := got["Brand0"].winLen + got["Brand0"].baseLen; wk == 5 && per == 3 && cs.facts*4 > all {
					t.Errorf("%s: %d facts read for 12 picks of ranges holding %d mentions of Brand0", tz, cs.facts, all)
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
		explained, withTerms := 0, 0
		for _, wk := range []int{3, 4, 5} {
			end := scaleStart.AddDate(0, 0, wk*7-1)
			for _, nets := range [][]string{nil, {"x"}} {
				r := buildT(t, s, Request{Config: cfg, Period: "week", End: end, Now: end.AddDate(0, 0, 3), Networks: nets})
				for _, sp := range r.Spikes.Spikes {
					if sp.Why == nil {
						continue
					}
					explained++
					if len(sp.Why.Terms) > 0 {
						withTerms++
					}
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
		if explained == 0 || withTerms == 0 {
			t.Errorf("%s: %d spikes explained, %d with words: the scenario tests nothing", tz, explained, withTerms)
		}
	}
}

// Without topics the previous period's topic counts are not read: every
// other figure of the pass is the same, including replies, freshness and
// the spike candidates; with them, the counts are those of a scan of the
// period's facts.
func TestReadFactsWithoutPrevious(t *testing.T) {
	s, cfgs := zoneStore(t, 6000, "UTC")
	for _, wk := range []int{2, 5} {
		end := scaleStart.AddDate(0, 0, wk*7-1)
		req := Request{Config: cfgs[0], Period: "week", End: end, Now: end.AddDate(0, 0, 3)}
		w, err := resolve(&req)
		if err != nil {
			t.Fatal(err)
		}
		with, err := readFacts(context.Background(), s, w, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		without, err := readFacts(context.Background(), s, w, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(with.answers) == 0 || with.fresh.Counted == 0 || len(with.why) == 0 {
			t.Fatalf("week %d: the scenario has no replies, counts or candidates", wk)
		}
		// The replies: those a scan of every fact from the comparison
		// period to the end of the reply grace pairs.
		oracle := &factFigures{answers: map[string]answer{}}
		late := 0
		err = s.Facts(context.Background(), w.prevStart, w.end.Add(replyGrace), func(x *store.Fact) error {
			if x.Kind == store.KindOwned {
				n := len(oracle.answers)
				oracle.reply(x, w)
				if len(oracle.answers) > n && !x.Published.Before(w.end) {
					late++
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if late == 0 || !reflect.DeepEqual(with.answers, oracle.answers) {
			t.Errorf("week %d: %d answers (%d in the grace after the window), a scan pairs %d", wk, len(with.answers), late, len(oracle.answers))
		}
		scan := map[string]int64{}
		err = s.Facts(context.Background(), w.prevStart, w.prevStart.AddDate(0, 0, w.days), func(x *store.Fact) error {
			if x.Kind == store.KindMention {
				for _, tp := range x.Topics {
					scan[tp]++
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(scan) == 0 || !reflect.DeepEqual(with.topicPrev, scan) {
			t.Errorf("week %d: previous topic counts %v, a scan counts %v", wk, with.topicPrev, scan)
		}
		with.topicPrev = without.topicPrev
		if !reflect.DeepEqual(with, without) {
			t.Errorf("week %d: the pass differs without the previous period", wk)
		}
	}
}
