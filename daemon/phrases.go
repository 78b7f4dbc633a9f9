package daemon

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// Background phrase tagging. A weekly report counts emerging phrases on a
// sample of ~400 mentions, and tags (~0.5 ms of CPU a post) those whose
// phrases the store does not keep yet; the first report of each week used
// to pay ~0.2 s for it (docs/performance.md "Weekly report"). The tagger
// tags the sample of the last complete week's report (the digest's and
// the report page's default) ahead of them, a bounded batch at a time,
// yielding to searches before each post.
const (
	phraseFirst = 30 * time.Second // after start
	phraseEvery = 2 * time.Minute  // between checks once the sample is kept
	phraseSoon  = 15 * time.Second // between batches while posts are left
	phraseBatch = 64               // posts tagged per batch
)

// phraseTagger runs one batch; report.TagPhrases over the store is it.
type phraseTagger func(ctx context.Context, req report.Request, limit int) (report.WarmResult, error)

// runPhrases tags the weekly report's phrase sample in the background
// until ctx is done.
func (d *Daemon) runPhrases(ctx context.Context) {
	st := d.store
	tag := func(ctx context.Context, req report.Request, limit int) (report.WarmResult, error) {
		return report.TagPhrases(ctx, st, req, limit, st.YieldToSearches)
	}
	phraseLoop(ctx, tag, st.LastSeq, d.Config, d.log, d.clock, sleepCtx)
}

// phraseLoop is runPhrases with its parts passed in. A check is skipped
// while nothing it depends on changed since a check that left nothing to
// tag: the store's last sequence (no commit), the config (brands, zone)
// and the day (the report's week follows it).
func phraseLoop(ctx context.Context, tag phraseTagger, lastSeq func() uint64, cfg func() *config.Config,
	log zerolog.Logger, clock func() time.Time, sleep func(context.Context, time.Duration) error) {
	var done *inputs // the inputs of the last check that left nothing
	wait := phraseFirst
	for {
		if sleep(ctx, wait) != nil {
			return
		}
		wait = phraseEvery
		c := cfg()
		if c == nil {
			continue
		}
		now := clock()
		cur := inputsAt(lastSeq(), c, now)
		if done != nil && *done == cur {
			continue
		}
		done = nil
		res, err := tag(ctx, report.Request{Config: c, Period: "week", Now: now}, phraseBatch)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			log.Warn().Err(err).Msg("phrases: background tagging failed; retrying later")
		case res.Left > 0:
			wait = phraseSoon
		default:
			done = &cur
		}
		if err == nil && res.Tagged > 0 {
			log.Debug().Int("tagged", res.Tagged).Int("left", res.Left).Int("sample", res.Sample).Msg("phrases: tagged the weekly report's sample")
		}
	}
}
