package daemon

import (
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
