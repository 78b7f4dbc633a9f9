package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/store"
)

// writeGate is the part of the store the ingest gate needs.
type writeGate interface {
	WriteState() store.WriteState
	Resumed() <-chan struct{}
}

// gated wraps a source so that while the store has paused writes (disk
// full: store.WriteState) a fetch fails at once with store.ErrNoSpace
// instead of spending the network's budget on posts that could not be
// stored; the scheduler backs off as after any failure and the source's
// health shows why. resumeSources fetches every source again as soon as
// writes resume.
type gated struct {
	listener.Source
	st writeGate
}

func (g *gated) Fetch(ctx context.Context, cursor []byte) ([]listener.Post, []byte, error) {
	select {
	case <-g.st.Resumed():
	default:
		w := g.st.WriteState()
		return nil, nil, fmt.Errorf("not fetched: %w (%s)", store.ErrNoSpace, w.Reason)
	}
	return g.Source.Fetch(ctx, cursor)
}

// pauseCheck is how often resumeSources looks for a pause.
const pauseCheck = 2 * time.Second

// resumeSources waits for every resume of paused writes and then fetches
// each source at once (their backoff may have grown to an hour meanwhile),
// until ctx is done.
func (d *Daemon) resumeSources(ctx context.Context) {
	tick := time.NewTicker(pauseCheck)
	defer tick.Stop()
	d.resumeOnTicks(ctx, d.store, tick.C)
}

// resumeOnTicks is resumeSources looking for a pause of st at each tick.
func (d *Daemon) resumeOnTicks(ctx context.Context, st writeGate, tick <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		if !st.WriteState().Paused {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-st.Resumed():
		}
		d.mu.Lock()
		sched := d.sched
		d.mu.Unlock()
		for _, h := range sched.Health() {
			go func() {
				if err := sched.RunOnce(ctx, h.Name); err != nil && ctx.Err() == nil {
					d.log.Warn().Err(err).Str("source", h.Name).Msg("fetch after resume failed; the scheduler retries")
				}
			}()
		}
	}
}
