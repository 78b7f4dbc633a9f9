package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// whyTop and whyTerms bound a spike's explanation.
const (
	whyTop   = 3
	whyTerms = 5
)

// SpikeExplanation says what a day's volume was about: its most engaged
// mentions and the words that rose that day, each term linked to the
// search that shows the mentions using it.
type SpikeExplanation struct {
	Top   []TopMention `json:"top_mentions"`
	Terms []Emerging   `json:"terms"`
}

// SpikeDay names the day to explain: Day is a date (YYYY-MM-DD) in the
// configured time zone; Network "all" means Networks (every network when
// empty).
type SpikeDay struct {
	Day      string
	Brand    string
	Network  string
	Networks []string
}

// Search is the search showing the day's mentions of the brand by others.
func (s SpikeDay) Search() SearchQuery {
	q := SearchQuery{Brand: s.Brand, Kind: store.KindMention, From: s.Day, To: s.Day, Networks: []string{s.Network}}
	if s.Network == allNetworks {
		q.Networks = s.Networks
	}
	return q
}

// ExplainSpike explains one day of one brand: the whyTop most engaged
// mentions of the brand by others on the network that day (dated mentions
// only; ties newer first, then ID) and its whyTerms strongest words against
// the 28 days before (G² ≥ 3.84, all networks: word counts are kept per
// brand, not per network). The report calls it for its spikes; alerts can
// call it for any day.
func ExplainSpike(ctx context.Context, src Source, cfg *config.Config, s SpikeDay) (*SpikeExplanation, error) {
	loc := cfg.Earshot.Location
	if loc == nil {
		loc = time.UTC
	}
	start, err := time.ParseInLocation(time.DateOnly, s.Day, loc)
	if err != nil {
		return nil, fmt.Errorf("%w: spike day %q: %v", ErrBadRequest, s.Day, err)
	}
	end := start.AddDate(0, 0, 1)
	var cands []*store.Fact
	err = src.Facts(ctx, start, end, func(f *store.Fact) error {
		if f.Kind != store.KindMention || f.Estimated || !slices.Contains(f.Brands, s.Brand) ||
			(s.Network != allNetworks && f.Network != s.Network) || (s.Network == allNetworks && len(s.Networks) > 0 && !slices.Contains(s.Networks, f.Network)) {
			return nil
		}
		cands = append(cands, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("explain spike: %w", err)
	}
	slices.SortFunc(cands, func(a, b *store.Fact) int {
		if c := cmp.Compare(b.Engagement, a.Engagement); c != 0 {
			return c
		}
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	why := &SpikeExplanation{Top: []TopMention{}, Terms: []Emerging{}}
	for _, f := range cands[:min(len(cands), whyTop)] {
		m, ok, err := src.Get(f.ID)
		if err != nil {
			return nil, fmt.Errorf("explain spike: %w", err)
		}
		if ok {
			why.Top = append(why.Top, topMention(m, f, loc))
		}
	}
	skip := brandTerms(cfg)
	baseStart := start.AddDate(0, 0, -baselineDays)
	cur, base := map[string]map[string]int64{}, map[string]map[string]int64{}
	err = src.TermHours(ctx, baseStart, end, func(th store.TermHour) error {
		if th.Brand != s.Brand || th.Hour.Before(baseStart) || !th.Hour.Before(end) {
			return nil
		}
		if th.Hour.Before(start) {
			addTerms(base, th, skip)
		} else {
			addTerms(cur, th, skip)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("explain spike: %w", err)
	}
	terms := rankTerms(cur[s.Brand], base[s.Brand])
	for _, t := range terms[:min(len(terms), whyTerms)] {
		q := s.Search()
		q.Query = termQuery(t.Term)
		t.Search = q.URL()
		why.Terms = append(why.Terms, t)
	}
	return why, nil
}

// explainSpikes links every spike to its search and explains the
// maxExplained largest (by mentions over threshold).
func explainSpikes(ctx context.Context, src Source, cfg *config.Config, sec *SpikeSection, networks []string) error {
	order := make([]int, len(sec.Spikes))
	for i := range sec.Spikes {
		sp := &sec.Spikes[i]
		sp.Search = SpikeDay{Day: sp.Day, Brand: sp.Brand, Network: sp.Network, Networks: networks}.Search().URL()
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := sec.Spikes[a], sec.Spikes[b]
		return cmp.Compare(float64(y.Mentions)-y.Threshold, float64(x.Mentions)-x.Threshold)
	})
	for _, i := range order[:min(len(order), maxExplained)] {
		sp := &sec.Spikes[i]
		why, err := ExplainSpike(ctx, src, cfg, SpikeDay{Day: sp.Day, Brand: sp.Brand, Network: sp.Network, Networks: networks})
		if err != nil {
			return err
		}
		sp.Why = why
	}
	return nil
}
