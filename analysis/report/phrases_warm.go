package report

import (
	"context"
	"fmt"

	"github.com/earshot/earshot/analysis/keywords"
)

// WarmResult is what one TagPhrases call did.
type WarmResult struct {
	Sample int // distinct mentions in the report's phrase sample
	Tagged int // of them, tagged and kept by this call
	Left   int // of them, still without kept phrases (beyond the limit)
}

// TagPhrases tags and keeps the phrases of at most limit mentions of the
// phrase sample the report req would read (the same picks as Build's
// samplePhrases) that have none kept for the current extractor version,
// in the sample's order, on one goroutine, calling yield (when not nil)
// before each post. A daemon calls it in the background so that the
// report's first build reads every phrase kept instead of tagging ~400
// posts (phrases.go). Req's networks are ignored: the sample does not
// depend on them.
func TagPhrases(ctx context.Context, src Source, req Request, limit int, yield func()) (WarmResult, error) {
	var res WarmResult
	w, err := resolve(&req)
	if err != nil {
		return res, err
	}
	_, brands := brandOrder(req.Config)
	_, ids, _, err := sampleIDs(ctx, src, w, brands)
	if err != nil {
		return res, fmt.Errorf("report: phrase sample: %w", err)
	}
	res.Sample = len(ids)
	_, kept, err := src.KeptPhrases(ids, keywords.PhrasesVersion)
	if err != nil {
		return res, fmt.Errorf("report: kept phrases: %w", err)
	}
	var missing []string
	for i, ok := range kept {
		if !ok {
			missing = append(missing, ids[i])
		}
	}
	if len(missing) == 0 {
		return res, nil
	}
	batch := missing[:min(max(limit, 0), len(missing))]
	res.Left = len(missing) - len(batch)
	if len(batch) == 0 {
		return res, nil
	}
	ex, err := keywords.Shared()
	if err != nil {
		return res, err
	}
	tagged := make([][]string, 0, len(batch))
	for _, id := range batch {
		if yield != nil {
			yield()
		}
		ps, err := tagAll(ctx, src, ex, []string{id}, runner{run: asIs, workers: 1})
		if err != nil {
			return res, err
		}
		tagged = append(tagged, ps[0])
	}
	if err := src.KeepPhrases(keywords.PhrasesVersion, batch, tagged); err != nil {
		return res, fmt.Errorf("report: keep phrases: %w", err)
	}
	res.Tagged = len(batch)
	return res, nil
}
