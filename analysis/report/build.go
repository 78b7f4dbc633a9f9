package report

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/earshot/earshot/config"
)

// Build computes the report req asks for from src. Errors caused by the
// request wrap ErrBadRequest; others come from reading src.
func Build(ctx context.Context, src Source, req Request) (*Report, error) {
	w, err := resolve(&req)
	if err != nil {
		return nil, err
	}
	cfg := req.Config
	filter, err := networkFilter(req.Networks)
	if err != nil {
		return nil, err
	}
	own, brands := brandOrder(cfg)
	if own == "" {
		return nil, fmt.Errorf("%w: the configuration has no own brand", ErrBadRequest)
	}
	watermark := src.LastSeq() // before reading: the report covers at least this
	// The phrase sample and the word counts depend on nothing else read
	// here: they run beside the rollups (wall time on few cores), and
	// their results and errors are taken in the order they were before.
	ctx, cancel := context.WithCancel(ctx)
	var (
		wg                 sync.WaitGroup
		phrases            []brandPhrases
		words              EmergingSection
		kept               *termHours
		phraseErr, termErr error
	)
	rn := runnerOf(ctx)
	rn.goRun(&wg, func() { phrases, phraseErr = samplePhrases(ctx, src, w, cfg, brands) })
	rn.goRun(&wg, func() { words, kept, termErr = emerging(ctx, src, w, cfg, brands) })
	defer func() { cancel(); wg.Wait() }() // an early return stops them
	d, err := readCells(ctx, src, w, filter)
	if err != nil {
		return nil, fmt.Errorf("report: read rollups: %w", err)
	}
	f, err := readWindow(ctx, src, w, filter, len(cfg.Topics) > 0)
	if err != nil {
		return nil, fmt.Errorf("report: read facts: %w", err)
	}
	if err := readLinks(ctx, src, w, filter, cfg, f); err != nil {
		return nil, fmt.Errorf("report: read link counts: %w", err)
	}
	recs, err := src.Coverage(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: read coverage: %w", err)
	}
	col := coverage(recs, cfg.Sources)
	r := &Report{Own: own, Brands: brands}
	r.Meta = Meta{
		Period: req.Period, Days: w.days, Timezone: w.loc.String(), Networks: d.networks,
		Start: w.start.Format(time.RFC3339), End: w.end.Format(time.RFC3339), PrevStart: w.prevStart.Format(time.RFC3339),
		ConfigHash: configHash(cfg), Watermark: watermark, FormulaVersion: FormulaVersion,
	}
	if !req.Now.IsZero() {
		r.Meta.Generated = req.Now.In(w.loc).Format(time.RFC3339)
		if req.Now.Before(w.end) {
			r.addNotes(Note{Key: "partial"})
		}
	}
	r.addNotes(unpolledNotes(recs, cfg.Sources)...)
	r.Voice = voices(d, f, brands, col)
	r.Care = care(d, f, brands)
	r.Gap = gap(r.Voice, r.Care, d, brands)
	r.Spikes = spikes(d, brands, col)
	wg.Wait()
	if err := explainSpikes(ctx, src, cfg, w, f, &r.Spikes, d.networks, kept); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r.addNotes(r.Spikes.notes...)
	r.Trend = trend(d, brands, col)
	r.Audience = audience(d, f, brands, cfg)
	r.Topics = topics(f, cfg, col.partial(allNetworks, w.prevStart, d.networks))
	if r.Emerging = words; termErr != nil {
		return nil, fmt.Errorf("report: read term counts: %w", termErr)
	}
	if phraseErr != nil {
		return nil, fmt.Errorf("report: emerging phrases: %w", phraseErr)
	}
	setPhrases(&r.Emerging, phrases)
	r.Freshness = f.fresh.finish(f.mature)
	r.addNotes(r.Freshness.note())
	r.Goals = goals(d, f.linksWeek, cfg, brands, col)
	if r.Top, err = topMentions(src, f, brands, w.loc); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if r.Drivers, err = drivers(src, f, w, r.Voice); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return r, nil
}

// networkFilter validates and sorts the requested networks.
func networkFilter(ns []string) ([]string, error) {
	var out []string
	for _, n := range ns {
		if n == "" || n == allNetworks {
			continue
		}
		if _, ok := config.LookupNetwork(n); !ok {
			return nil, fmt.Errorf("%w: unknown network %q", ErrBadRequest, n)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}
