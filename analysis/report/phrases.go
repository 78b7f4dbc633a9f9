package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/earshot/earshot/analysis/keywords"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// phraseBudget is how many mentions one report reads and tags for
// emerging phrases. English tagging costs ~0.5 ms a post
// (BenchmarkPhrases), too much for every commit or a rebuild of the
// rollups, so phrases are counted here, at report time, on an evenly
// spread sample: per brand, a third of budget ÷ brands from the window and
// two thirds from the baseline (at least phraseMin each).
const (
	phraseBudget = 400
	phraseMin    = 10
)

var phraseFormula = "phrases = English noun phrases of 2–3 words (prose v2 part-of-speech tags) and Korean noun sequences (particle-stripped words, predicates left out), counted once per mention of the brand by others, on an evenly spread sample of at most 400 mentions per report (stated per brand); G² and lift as for words, over the sample's phrase counts"

// brandPhrases is one brand's emerging phrases and the sample they were
// counted on.
type brandPhrases struct {
	phrases []Emerging
	sample  string
}

// samplePhrases counts each brand's emerging phrases on its sample, in
// brands' order. The sampled posts are tagged by up to GOMAXPROCS workers;
// each post's phrases land in its own slot, so the counts do not depend
// on the workers.
func samplePhrases(ctx context.Context, src Source, w window, cfg *config.Config, brands []string) ([]brandPhrases, error) {
	skip := brandTerms(cfg)
	byBrand, ids, slot, err := sampleIDs(ctx, src, w, brands)
	if err != nil {
		return nil, err
	}
	tagged, err := phrasesOf(ctx, src, ids)
	if err != nil {
		return nil, err
	}
	count := func(list []string) map[string]int64 {
		out := map[string]int64{}
		for _, id := range list {
			for _, p := range tagged[slot[id]] {
				if !phraseSkipped(p, skip) {
					out[p]++
				}
			}
		}
		return out
	}
	from, to := w.start.Format("2006-01-02"), w.end.AddDate(0, 0, -1).Format("2006-01-02")
	out := make([]brandPhrases, len(brands))
	for i, b := range brands {
		x := byBrand[b]
		ps := rankTerms(count(x.win), count(x.base))
		for j := range ps {
			ps[j].Search = SearchQuery{Query: termQuery(ps[j].Term), Brand: b, Kind: store.KindMention, From: from, To: to}.URL()
		}
		out[i] = brandPhrases{phrases: ps, sample: fmt.Sprintf("%d of %d window mentions, %d of %d baseline mentions", len(x.win), x.winLen, len(x.base), x.baseLen)}
	}
	return out, nil
}

// sampleIDs is the phrase sample of the window w: each brand's picks,
// and the distinct picked IDs (ids[slot[id]] == id) in brands' order,
// window before baseline.
func sampleIDs(ctx context.Context, src Source, w window, brands []string) (byBrand map[string]*phraseSet, ids []string, slot map[string]int, err error) {
	baseStart := w.start.AddDate(0, 0, -baselineDays)
	per := max(phraseBudget/(3*max(len(brands), 1)), phraseMin)
	byBrand, err = phrasePicks(ctx, src, brands, baseStart, w.start, w.end, per)
	if err != nil {
		return nil, nil, nil, err
	}
	slot = map[string]int{}
	for _, b := range brands {
		x := byBrand[b]
		for _, id := range slices.Concat(x.win, x.base) {
			if _, ok := slot[id]; !ok {
				slot[id] = len(ids)
				ids = append(ids, id)
			}
		}
	}
	return byBrand, ids, slot, nil
}

// phrasesOf returns the phrases of the mentions ids (nil for one no
// longer stored): those the store keeps for this extractor version, the
// others tagged now (tagAll) and kept for the next report. Failing to
// keep them loses nothing but time: they are tagged again next time. The
// extractor (prose's model, ~0.25 s to load) is loaded only when a
// mention needs tagging.
func phrasesOf(ctx context.Context, src Source, ids []string) ([][]string, error) {
	out, kept, err := src.KeptPhrases(ids, keywords.PhrasesVersion)
	if err != nil {
		return nil, err
	}
	var missing []int
	for i, ok := range kept {
		if !ok {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	ex, err := keywords.Shared()
	if err != nil {
		return nil, err
	}
	mids := make([]string, len(missing))
	for j, i := range missing {
		mids[j] = ids[i]
	}
	tagged, err := tagAll(ctx, src, ex, mids, runnerOf(ctx))
	if err != nil {
		return nil, err
	}
	for j, i := range missing {
		out[i] = tagged[j]
	}
	_ = src.KeepPhrases(keywords.PhrasesVersion, mids, tagged) // best effort: see above
	return out, nil
}

// tagAll reads and tags the posts of ids with up to rn.workers workers,
// started through rn: out[i] is the phrases of ids[i] (nil when it is no
// longer stored).
func tagAll(ctx context.Context, src Source, ex *keywords.Extractor, ids []string, rn runner) ([][]string, error) {
	out := make([][]string, len(ids))
	workers := max(min(rn.workers, len(ids)), 1)
	errs := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for k := range workers {
		rn.goRun(&wg, func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) || ctx.Err() != nil {
					return
				}
				m, found, err := src.Get(ids[i])
				if err != nil {
					errs[k] = err
					return
				}
				if found {
					out[i] = ex.Phrases(m.Title + "\n" + m.Text)
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, ctx.Err()
}

// setPhrases adds the counted phrases to the emerging section, whose
// brands are in the same order.
func setPhrases(sec *EmergingSection, ps []brandPhrases) {
	sec.Formula = append(sec.Formula, phraseFormula)
	for i := range sec.Brands {
		sec.Brands[i].Phrases, sec.Brands[i].PhraseSample = ps[i].phrases, ps[i].sample
	}
}

// phraseSkipped leaves out phrases holding a stopword or a brand's word.
func phraseSkipped(p string, skip map[string]bool) bool {
	return slices.ContainsFunc(strings.Fields(p), func(w string) bool { return skip[w] || isStopword(w) })
}
