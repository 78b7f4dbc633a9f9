package report

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// sumsStore commits n generated mentions in shuffled batches (so replies
// often arrive before their parents), with authors unknown, languages,
// per-brand sentiment and hosts varied, on real bbolt.
func sumsStore(t *testing.T, n int, brands []string) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), NoIndexer: true, Clock: func() time.Time { return fixNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	r := rand.New(rand.NewSource(5))
	g := gen.New(gen.Options{Seed: 9, Mentions: n, Weeks: scaleWeeks, Growth: 8, Start: scaleStart, Brands: brands})
	var ms []store.Mention
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		i := len(ms)
		m.PublishedEstimated = i%7 == 0
		m.Lang = []string{"", "en", "ko", "ja"}[i%4]
		if i%13 == 0 {
			m.Author = ""
		}
		if i%11 == 0 && len(m.Brands) > 0 {
			m.BrandSentiment = map[string]store.BrandSentiment{m.Brands[0]: {Label: []string{"positive", "negative"}[i%2], Score: 0.5 - float64(i%2)}}
		}
		if i%9 == 0 {
			m.URL = fmt.Sprintf("https://www.site%d.example.com/a/%d", i%5, i)
		}
		ms = append(ms, m)
		if i%40 == 1 && m.Kind == store.KindMention && len(m.Brands) > 0 {
			rp := m // a brand's answer, on time or dated before its parent
			rp.ID, rp.URL, rp.Kind, rp.ReplyTo, rp.Brands = m.ID+"r", m.URL+"r", store.KindOwned, m.ID, m.Brands[:1]
			rp.Published, rp.PublishedEstimated = m.Published.Add(time.Duration(r.Intn(80)-4)*time.Hour), false
			ms = append(ms, rp)
		}
	}
	for len(ms) > 0 { // batches of up to 400 taken from the first 800 at random
		k := min(len(ms), 800)
		r.Shuffle(k, func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
		b := min(k, 1+r.Intn(400))
		if _, err := s.Commit("gen", ms[:b], nil); err != nil {
			t.Fatal(err)
		}
		ms = ms[b:]
	}
	return s
}

// sumsConfigs is one configuration per zone, with a topic.
func sumsConfigs(t *testing.T, brands []string, tzs ...string) []*config.Config {
	t.Helper()
	var cfgs []*config.Config
	for _, tz := range tzs {
		toml := fmt.Sprintf("[earshot]\ntimezone = %q\n[[topic]]\nname = \"battery\"\nquery = \"battery\"\n", tz)
		for i, b := range brands {
			toml += fmt.Sprintf("[[brand]]\nname = %q\nown = %t\n", b, i == 0)
		}
		cfg, err := config.Parse([]byte(toml), "gen.toml", func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		cfgs = append(cfgs, cfg)
	}
	return cfgs
}

// comparable clears what the two passes key differently (reach: per
// author; the fact pass keys unknown authors by mention) and orders what
// only the report sorts (a voice's brands, the unrefreshed networks).
func comparable(f *factFigures) *factFigures {
	g := *f
	g.reach, g.voiceIdx = nil, nil
	g.voices = slices.Clone(g.voices)
	slices.SortFunc(g.voices, func(a, b *Voice) int {
		if a.Network != b.Network {
			return strings.Compare(a.Network, b.Network)
		}
		return strings.Compare(a.Author, b.Author)
	})
	for _, v := range g.voices {
		slices.Sort(v.Brands)
	}
	if len(g.voices) == 0 {
		g.voices = nil
	}
	slices.Sort(g.fresh.Unrefreshed)
	return &g
}

// sumsMatchFacts checks that the hour sums give every figure of the fact
// pass, for weeks before, in and after the data, with and without a
// network filter and the previous period.
func sumsMatchFacts(t *testing.T, s *store.Store, cfg *config.Config, stage string) {
	t.Helper()
	checked := 0
	for _, wk := range []int{0, 1, 2, 4, 6, 7} {
		end := scaleStart.AddDate(0, 0, wk*7-1)
		for _, nets := range [][]string{nil, {"x", "reddit"}} {
			req := Request{Config: cfg, Period: "week", End: end, Networks: nets}
			w, err := resolve(&req)
			if err != nil {
				t.Fatal(err)
			}
			if !w.hourAligned() {
				t.Fatalf("%s: %s is not hour-aligned", stage, cfg.Earshot.Location)
			}
			want, err := readFacts(context.Background(), s, w, nets, true)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readSums(context.Background(), s, w, nets, true)
			if err != nil {
				t.Fatal(err)
			}
			g, x := comparable(got), comparable(want)
			if !reflect.DeepEqual(g, x) { // every field, reach aside
				t.Errorf("%s %s week %d %v: the figures from the hour sums differ from the fact pass", stage, cfg.Earshot.Location, wk, nets)
			}
			for _, p := range []struct {
				name string
				a, b any
			}{
				{"authors", g.authors, x.authors}, {"unique", g.unique, x.unique}, {"answers", g.answers, x.answers},
				{"langs", g.langs, x.langs}, {"voices", g.voices, x.voices}, {"sites", g.sites, x.sites},
				{"topics", g.topics, x.topics}, {"topicPrev", g.topicPrev, x.topicPrev}, {"candPos", g.candPos, x.candPos},
				{"candNeg", g.candNeg, x.candNeg}, {"fresh", g.fresh, x.fresh}, {"mature", g.mature, x.mature}, {"why", g.why, x.why},
			} {
				name, a, b := p.name, p.a, p.b
				if !reflect.DeepEqual(a, b) {
					t.Errorf("%s %s week %d %v: %s from the hour sums differs from the fact pass:\n sums  %s\n facts %s", stage, cfg.Earshot.Location, wk, nets, name, show(a), show(b))
				}
			}
			if len(want.voices) > 0 {
				checked++
			}
			if wk == 4 && nets == nil && (len(want.answers) == 0 || len(want.why) == 0 || len(want.candNeg) == 0 || len(want.topicPrev) == 0 || (want.mature == 0) != (stage == "committed")) {
				t.Errorf("%s: the scenario lacks replies, candidates, topics or mature counts", stage)
			}
		}
	}
	if checked < 4 {
		t.Errorf("%s: only %d windows hold mentions: the scenario tests little", stage, checked)
	}
}

func show(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

// The hour sums give the fact pass's figures exactly in whole-hour zones,
// after commits in shuffled batches, engagement refreshes, rescoring,
// retention cutting an hour in two, and a rebuild of the rollups; and the
// sums kept up by those changes are the sums a rebuild computes.
func TestHourSumsMatchFactPass(t *testing.T) {
	brands := []string{"Brand0", "Brand1", "Brand2", "Brand3"}
	s := sumsStore(t, 9000, brands)
	cfgs := sumsConfigs(t, brands, "UTC", "Asia/Seoul", "America/New_York")
	check := func(stage string) {
		for _, cfg := range cfgs {
			sumsMatchFacts(t, s, cfg, stage)
		}
	}
	check("committed")

	// Engagement refreshes: counts up, down and to zero.
	due, err := s.DueRefreshes(fixNow, nil, 3000)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) < 1000 {
		t.Fatalf("%d refreshes due: the scenario refreshes too little", len(due))
	}
	var rs []store.Refreshed
	for i, d := range due {
		n := int64([]int{0, 1, 500, 3}[i%4] * (i % 7))
		rs = append(rs, store.Refreshed{Key: d.Key, ID: d.ID, Outcome: store.RefreshUpdated, Counts: map[string]int64{"likes": n}, At: d.Published.Add(time.Duration(i%100) * time.Hour)})
	}
	if res, err := s.ApplyRefreshes(rs); err != nil || res.Changed < 500 {
		t.Fatalf("refreshes: %+v, %v", res, err)
	}
	check("refreshed")

	// Rescoring: labels flip, some brands get their own sentiment.
	var after uint64
	for {
		res, next, err := s.Rescore(context.Background(), "v2", after, 2000, func(m *store.Mention) {
			m.SentimentModel = "v2"
			if len(m.ID)%3 == 0 {
				m.SentimentLabel, m.Sentiment = "negative", -0.7
			}
			if len(m.ID)%5 == 0 && len(m.Brands) > 0 {
				m.BrandSentiment = map[string]store.BrandSentiment{m.Brands[len(m.Brands)-1]: {Label: "positive", Score: 0.9}}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		after = next
		if res.Done {
			break
		}
	}
	check("rescored")

	// Retention: the cut falls inside an hour, and unpairs replies.
	if _, err := s.Prune(context.Background(), scaleStart.AddDate(0, 0, 16).Add(90*time.Minute+17*time.Second)); err != nil {
		t.Fatal(err)
	}
	check("pruned")

	kept := hourSums(t, s)
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	rebuilt := hourSums(t, s)
	if len(kept) == 0 || !reflect.DeepEqual(kept, rebuilt) {
		t.Errorf("the hour sums kept through the changes (%d) differ from a rebuild's (%d)", len(kept), len(rebuilt))
		for i := range min(len(kept), len(rebuilt)) {
			if !reflect.DeepEqual(kept[i], rebuilt[i]) {
				t.Errorf("first difference, %s %s:\n kept    %s\n rebuilt %s", kept[i].Hour, kept[i].Network, show(kept[i]), show(rebuilt[i]))
				break
			}
		}
	}
	check("rebuilt")
}

func hourSums(t *testing.T, s *store.Store) []*store.HourSum {
	t.Helper()
	var out []*store.HourSum
	err := s.HourSums(context.Background(), scaleStart.AddDate(0, 0, -30), scaleStart.AddDate(0, 0, 90), func(h *store.HourSum) error {
		out = append(out, h)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A zone whose midnights are not whole UTC hours reads the facts; a
// whole-hour zone reads only the hour sums and the few top facts.
func TestHourSumsReadInsteadOfFacts(t *testing.T) {
	brands := []string{"Brand0", "Brand1", "Brand2", "Brand3"}
	s := sumsStore(t, 3000, brands)
	for i, cfg := range sumsConfigs(t, brands, "Asia/Seoul", "Asia/Kolkata") {
		end := scaleStart.AddDate(0, 0, 4*7-1)
		req := Request{Config: cfg, Period: "week", End: end}
		w, err := resolve(&req)
		if err != nil {
			t.Fatal(err)
		}
		if w.hourAligned() != (i == 0) {
			t.Fatalf("%s: hour-aligned %t", cfg.Earshot.Location, w.hourAligned())
		}
		cs := &countingSource{Store: s}
		if _, err := readWindow(context.Background(), cs, w, nil, true); err != nil {
			t.Fatal(err)
		}
		if (cs.facts == 0) != (i == 0) {
			t.Errorf("%s: %d facts read", cfg.Earshot.Location, cs.facts)
		}
	}
}
