package daemon

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Retention schedule: the first run shortly after start, then daily.
const (
	retentionFirst = time.Minute
	retentionEvery = 24 * time.Hour
)

// pruner is the part of the store retention needs; *store.Store has it.
type pruner interface {
	Prune(ctx context.Context, before time.Time) (store.PruneResult, error)
}

// runRetention prunes mentions older than the configured retention a minute
// after start and then daily, until ctx is done. cfg is read at every run, so
// a reloaded retention applies from the next run; 0 keeps everything.
func runRetention(ctx context.Context, st pruner, cfg func() *config.Config, log zerolog.Logger, clock func() time.Time) {
	retentionLoop(ctx, st, cfg, log, clock, retentionFirst, retentionEvery)
}

func retentionLoop(ctx context.Context, st pruner, cfg func() *config.Config, log zerolog.Logger,
	clock func() time.Time, first, every time.Duration) {
	periodically(ctx, first, every, func() { pruneOnce(ctx, st, cfg(), log, clock) })
}

// pruneOnce runs one retention pass; errors are logged and retried at the
// next run (a prune interrupted part-way leaves a consistent store).
func pruneOnce(ctx context.Context, st pruner, cfg *config.Config, log zerolog.Logger, clock func() time.Time) {
	if cfg == nil || cfg.Earshot.Retention <= 0 {
		return
	}
	cut := clock().Add(-cfg.Earshot.Retention.Std())
	res, err := st.Prune(ctx, cut)
	if err != nil {
		if ctx.Err() == nil {
			log.Error().Err(err).Time("before", cut).Int("pruned", res.Mentions).Msg("retention: prune failed; retrying at the next run")
		}
		return
	}
	log.Debug().Time("before", cut).Int("pruned", res.Mentions).Int("batches", res.Batches).Msg("retention: done")
}
