package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

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

// emergingPhrases adds each brand's emerging phrases to sec.
func emergingPhrases(ctx context.Context, src Source, w window, cfg *config.Config, sec *EmergingSection) error {
	ex, err := keywords.Shared()
	if err != nil {
		return err
	}
	sec.Formula = append(sec.Formula, phraseFormula)
	skip := brandTerms(cfg)
	baseStart := w.start.AddDate(0, 0, -baselineDays)
	per := max(phraseBudget/(3*max(len(sec.Brands), 1)), phraseMin)
	brands := make([]string, len(sec.Brands))
	for i, bt := range sec.Brands {
		brands[i] = bt.Brand
	}
	byBrand, err := phrasePicks(ctx, src, brands, baseStart, w.start, w.end, per)
	if err != nil {
		return err
	}
	cache := map[string][]string{}
	count := func(list []string) (map[string]int64, error) {
		out := map[string]int64{}
		for _, id := range list {
			ps, ok := cache[id]
			if !ok {
				m, found, err := src.Get(id)
				if err != nil {
					return nil, err
				}
				if found {
					ps = ex.Phrases(m.Title + "\n" + m.Text)
				}
				cache[id] = ps
			}
			for _, p := range ps {
				if !phraseSkipped(p, skip) {
					out[p]++
				}
			}
		}
		return out, nil
	}
	from, to := w.start.Format("2006-01-02"), w.end.AddDate(0, 0, -1).Format("2006-01-02")
	for i := range sec.Brands {
		bt := &sec.Brands[i]
		x := byBrand[bt.Brand]
		win, base := x.win, x.base
		cur, err := count(win)
		if err != nil {
			return err
		}
		old, err := count(base)
		if err != nil {
			return err
		}
		bt.Phrases = rankTerms(cur, old)
		for j := range bt.Phrases {
			bt.Phrases[j].Search = SearchQuery{Query: termQuery(bt.Phrases[j].Term), Brand: bt.Brand, Kind: store.KindMention, From: from, To: to}.URL()
		}
		bt.PhraseSample = fmt.Sprintf("%d of %d window mentions, %d of %d baseline mentions", len(win), x.winLen, len(base), x.baseLen)
	}
	return nil
}

// phraseSkipped leaves out phrases holding a stopword or a brand's word.
func phraseSkipped(p string, skip map[string]bool) bool {
	return slices.ContainsFunc(strings.Fields(p), func(w string) bool { return skip[w] || isStopword(w) })
}
