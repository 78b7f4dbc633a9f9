package daemon

import (
	"context"
	"time"

	"github.com/earshot/earshot/config"
)

// inputs is what the background loops over the default weekly report (the
// phrase tagger, the report builder) depend on beyond the data: a check is
// skipped while the inputs equal those of a check that left nothing to do.
// seq is the store's counter the loop watches (last sequence or
// modification number), day is the day in the config's zone (the report's
// week follows it).
type inputs struct {
	seq uint64
	cfg *config.Config
	day string
}

// inputsAt returns the inputs at now.
func inputsAt(seq uint64, c *config.Config, now time.Time) inputs {
	loc := c.Earshot.Location
	if loc == nil {
		loc = time.UTC
	}
	return inputs{seq: seq, cfg: c, day: now.In(loc).Format(time.DateOnly)}
}

// periodically runs f first after first, then every after each run ends,
// until ctx is done (the retention and index maintenance passes).
func periodically(ctx context.Context, first, every time.Duration, f func()) {
	t := time.NewTimer(first)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		f()
		t.Reset(every)
	}
}
