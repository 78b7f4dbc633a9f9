package daemon

import (
	"context"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/web/metrics"
)

// healthView adapts the current scheduler's health to the view delivery
// shows (web and its metrics know nothing of collection).
type healthView struct{ d *Daemon }

func (h healthView) Health() []metrics.SourceHealth {
	src := h.d.Health()
	out := make([]metrics.SourceHealth, len(src))
	for i, s := range src {
		out[i] = viewHealth(s)
	}
	return out
}

func viewHealth(s ingest.SourceHealth) metrics.SourceHealth {
	v := metrics.SourceHealth{Name: s.Name, Network: s.Network, Healthy: s.Healthy,
		LastSuccess: s.LastSuccess, LastAttempt: s.LastAttempt, NextRun: s.NextRun,
		LastError: s.LastError, LastErrorAt: s.LastErrorAt, ConsecutiveFailures: s.ConsecutiveFailures,
		PostsFetched: s.PostsFetched, MentionsStored: s.MentionsStored, Duplicates: s.Duplicates,
		LastDuration: s.LastDuration, Throttled: s.Throttled, Silent: s.Silent, LastNew: s.LastNew,
		TypicalGap: s.TypicalGap, Degraded: s.Degraded, Warnings: s.Warnings}
	if b := s.Budget; b != nil {
		v.Budget = &metrics.BudgetUsage{Used: b.Used, Limit: b.Limit, Resets: b.Resets}
	}
	return v
}

// instrument wraps src so that every Fetch is timed and a failed one
// counted (metrics.ObserveFetch); a fetch cancelled by shutdown is not a
// failure. The wrapper changes nothing else.
func instrument(r *metrics.Registry, src listener.Source, clock func() time.Time) listener.Source {
	return &instrumented{Source: src, r: r, clock: clock}
}

type instrumented struct {
	listener.Source
	r     *metrics.Registry
	clock func() time.Time
}

func (s *instrumented) Fetch(ctx context.Context, cursor []byte) ([]listener.Post, []byte, error) {
	start := s.clock()
	posts, next, err := s.Source.Fetch(ctx, cursor)
	_, failed := listener.SplitWarnings(err) // a warning ("N items skipped") is not a failed fetch
	s.r.ObserveFetch(s.Name(), s.Network(), s.clock().Sub(start), failed != nil && ctx.Err() == nil)
	return posts, next, err
}
