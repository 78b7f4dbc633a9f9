package daemon

import (
	"context"
	"time"

	"github.com/earshot/earshot/analysis/enrich"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/store"
)

// rescoreBatch and rescorePause pace the background re-scoring after a
// sentiment model upgrade: one transaction of rescoreBatch mentions, then
// a pause, so ingest and the API keep their turn at the store.
const (
	rescoreBatch = 500
	rescorePause = 200 * time.Millisecond
)

// rescore re-scores, in the background, every stored mention scored by
// other sentiment models than this build's (store.Rescore: log, facts and
// rollup cells follow), with the config's brands and overrides. It
// returns when none is left or ctx ends; the next start resumes it.
func (d *Daemon) rescore(ctx context.Context) {
	cfg := d.Config()
	an, err := sentiment.New(sentiment.Options{Overrides: enrich.Overrides(cfg.Sentiment), Logger: d.log})
	if err != nil {
		d.log.Error().Err(err).Msg("sentiment re-scoring not started")
		return
	}
	e := enrich.New(an, cfg.Brands)
	var after uint64
	var total store.RescoreResult
	for {
		res, next, err := d.store.Rescore(ctx, an.Version(), after, rescoreBatch, e.Enrich)
		if err != nil {
			if ctx.Err() == nil {
				d.log.Error().Err(err).Msg("sentiment re-scoring stopped")
			}
			return
		}
		after = next
		total.Scanned += res.Scanned
		total.Rescored += res.Rescored
		total.Changed += res.Changed
		if res.Done {
			if total.Rescored > 0 {
				d.log.Info().Str("model", an.Version()).Int("rescored", total.Rescored).Int("changed", total.Changed).Msg("stored mentions re-scored with the new sentiment models")
			}
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(rescorePause):
		}
	}
}
