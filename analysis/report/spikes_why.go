package report

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
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
	cands, err := whyCandidates(ctx, src, s, start, end)
	if err != nil {
		return nil, err
	}
	return explain(ctx, src, cfg, s, start, cands, src.TermHours)
}

// whyCandidates reads the day's facts: the mentions ExplainSpike may show,
// most engaged first.
func whyCandidates(ctx context.Context, src Source, s SpikeDay, start, end time.Time) ([]*store.Fact, error) {
	var cands []*store.Fact
	err := src.Facts(ctx, start, end, func(f *store.Fact) error {
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
	slices.SortFunc(cands, whyOrder)
	return cands, nil
}

// whyOrder is most engaged first, then newer, then ID.
func whyOrder(a, b *store.Fact) int {
	if c := cmp.Compare(b.Engagement, a.Engagement); c != 0 {
		return c
	}
	if c := b.Published.Compare(a.Published); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// termReader is Source.TermHours, or a read shared by several spikes.
type termReader func(ctx context.Context, from, to time.Time, fn func(store.TermHour) error) error

// explain writes the explanation of the day starting at start from its
// candidates (whyOrder) and the brand's hourly word counts.
func explain(ctx context.Context, src Source, cfg *config.Config, s SpikeDay, start time.Time, cands []*store.Fact, readTerms termReader) (*SpikeExplanation, error) {
	loc := start.Location()
	end := start.AddDate(0, 0, 1)
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
	err := readTerms(ctx, baseStart, end, func(th store.TermHour) error {
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
// kept, when it covers their range, holds the word counts already read
// (emerging's).
func explainSpikes(ctx context.Context, src Source, cfg *config.Config, w window, f *factFigures, sec *SpikeSection, networks []string, kept *termHours) error {
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
	pick := order[:min(len(order), maxExplained)]
	if len(pick) == 0 {
		return nil
	}
	loc := w.loc
	// One read of the word counts for every explained spike: the hours of
	// their brands from 28 days before the first day to the last day.
	var from, to time.Time
	brands := map[string]bool{}
	for _, i := range pick {
		day, err := time.ParseInLocation(time.DateOnly, sec.Spikes[i].Day, loc)
		if err != nil {
			return fmt.Errorf("spike day %q: %w", sec.Spikes[i].Day, err)
		}
		if b := day.AddDate(0, 0, -baselineDays); from.IsZero() || b.Before(from) {
			from = b
		}
		if e := day.AddDate(0, 0, 1); e.After(to) {
			to = e
		}
		brands[sec.Spikes[i].Brand] = true
	}
	var hours []store.TermHour
	if kept != nil && !hourBound(from).Before(kept.from) && !to.After(kept.to) {
		for _, th := range kept.hours {
			if brands[th.Brand] {
				hours = append(hours, th)
			}
		}
	} else {
		err := src.TermHours(ctx, from, to, func(th store.TermHour) error {
			if brands[th.Brand] {
				hours = append(hours, th)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("explain spike: %w", err)
		}
	}
	// explain sums 29 days per spike: the hours are summed once into local
	// days, which explain's filters split exactly as they split the hours.
	days := termDays(hours, from, to)
	shared := func(_ context.Context, a, z time.Time, fn func(store.TermHour) error) error {
		for _, th := range days[sort.Search(len(days), func(i int) bool { return !days[i].Hour.Before(a) }):] {
			if !th.Hour.Before(z) {
				break
			}
			if err := fn(th); err != nil {
				return err
			}
		}
		return nil
	}
	for _, i := range pick {
		sp := &sec.Spikes[i]
		s := SpikeDay{Day: sp.Day, Brand: sp.Brand, Network: sp.Network, Networks: networks}
		start, _ := time.ParseInLocation(time.DateOnly, sp.Day, loc)
		cands, ok := f.why[whyKey{day: w.dayIndex(start), network: sp.Network, brand: sp.Brand}]
		if !ok && (start.Before(w.start) || !start.Before(w.end)) { // outside the window: read the day
			var err error
			if cands, err = whyCandidates(ctx, src, s, start, start.AddDate(0, 0, 1)); err != nil {
				return err
			}
		}
		why, err := explain(ctx, src, cfg, s, start, cands, shared)
		if err != nil {
			return err
		}
		sp.Why = why
	}
	return nil
}

// termDays sums hours (sorted by hour) of [from, to) into one record per
// local day (from's zone) and brand, dated at the day's start (from is a
// local midnight), by day then brand. An hour counts in the day its start
// falls in: for any local midnights a ≤ b, a record's date is in [a, b)
// exactly when its hours' starts are, so a reader filtering by those
// bounds (explain) sums the same counts from the days as from the hours.
func termDays(hours []store.TermHour, from, to time.Time) []store.TermHour {
	var out []store.TermHour
	day, next := from, from.AddDate(0, 0, 1)
	sums := map[string]map[string]int64{}
	flush := func() {
		for _, b := range slices.Sorted(maps.Keys(sums)) {
			terms := make([]store.TermCount, 0, len(sums[b]))
			for t, n := range sums[b] {
				terms = append(terms, store.TermCount{Term: t, Count: n})
			}
			out = append(out, store.TermHour{Hour: day, Brand: b, Terms: terms})
		}
		clear(sums)
	}
	for _, th := range hours {
		if th.Hour.Before(from) || !th.Hour.Before(to) {
			continue
		}
		for !th.Hour.Before(next) {
			flush()
			day, next = next, next.AddDate(0, 0, 1)
		}
		m := sums[th.Brand]
		if m == nil {
			m = make(map[string]int64, len(th.Terms))
			sums[th.Brand] = m
		}
		for _, tc := range th.Terms {
			m[tc.Term] += tc.Count
		}
	}
	flush()
	return out
}

// whyKey names the candidates of one window day, network ("all" too) and
// brand.
type whyKey struct {
	day            int // window.dayIndex
	network, brand string
}

// whyCandidate keeps x among the whyTop candidates of its day.
func (f *factFigures) whyCandidate(x *store.Fact, w window) {
	if x.Kind != store.KindMention || x.Estimated {
		return
	}
	day := w.dayIndex(x.Published)
	for _, b := range x.Brands {
		for _, n := range []string{x.Network, allNetworks} {
			k := whyKey{day, n, b}
			f.why[k] = keepN(f.why[k], x, whyTop, whyOrder)
		}
	}
}

// hourBound is the first UTC hour starting at or after t.
func hourBound(t time.Time) time.Time {
	h := t.Truncate(time.Hour)
	if h.Before(t) {
		h = h.Add(time.Hour)
	}
	return h
}
