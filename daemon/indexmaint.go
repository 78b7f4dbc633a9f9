package daemon

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

// Index maintenance schedule: the first pass a few minutes after start (the
// indexer catches up first), then hourly. A pass merges every partition
// that is due, one at a time, throttled (store.DefaultMergePause).
const (
	indexMaintFirst = 5 * time.Minute
	indexMaintEvery = time.Hour
)

// indexMerger is the part of the store index maintenance needs.
type indexMerger interface {
	MergeIndex(ctx context.Context, opt store.MergeOptions) (store.IndexMerge, bool, error)
}

// runIndexMaint merges the complete weeks' search index partitions into
// one segment each (store.MergeIndex) until ctx is done.
func runIndexMaint(ctx context.Context, st indexMerger, log zerolog.Logger) {
	indexMaintLoop(ctx, st, log, indexMaintFirst, indexMaintEvery, store.DefaultMergePause)
}

func indexMaintLoop(ctx context.Context, st indexMerger, log zerolog.Logger, first, every time.Duration, pause float64) {
	periodically(ctx, first, every, func() { mergeDue(ctx, st, log, pause) })
}

// mergeDue merges partitions until none is due, logging each; an error
// ends the pass (logged, retried at the next). It returns how many
// partitions it merged.
func mergeDue(ctx context.Context, st indexMerger, log zerolog.Logger, pause float64) int {
	n := 0
	for ctx.Err() == nil {
		m, ok, err := st.MergeIndex(ctx, store.MergeOptions{Pause: pause})
		if err != nil {
			if ctx.Err() == nil {
				log.Warn().Err(err).Str("week", m.Week).Msg("index: merge failed; retrying at the next pass")
			}
			return n
		}
		if !ok {
			return n
		}
		if m.Dropped {
			log.Info().Str("week", m.Week).Msg("index: partition dropped or replaced while merging; nothing left to merge")
			continue
		}
		n++
		log.Info().Str("week", m.Week).Int("segments_before", m.SegmentsBefore).Int("segments_after", m.SegmentsAfter).
			Uint64("docs", m.Docs).Int64("bytes", m.Bytes).Dur("work", m.Work).Dur("took", m.Took).
			Msg("index: partition merged")
	}
	return n
}
