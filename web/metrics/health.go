package metrics

import "time"

// SourceHealth is what delivery (the metrics here and web's /api/sources)
// shows of one running source. The daemon adapts its scheduler's health to
// it; nothing in web knows how sources collect.
type SourceHealth struct {
	Name, Network string
	// Healthy is false after a failed (or partly failed) fetch until the
	// next full success; true before the first fetch.
	Healthy                           bool
	LastSuccess, LastAttempt, NextRun time.Time
	LastError                         string
	LastErrorAt                       time.Time
	ConsecutiveFailures               int
	// Totals since start.
	PostsFetched, MentionsStored, Duplicates int64
	LastDuration                             time.Duration
	// Throttled: waiting on a rate limit or a spent daily budget. Silent:
	// nothing new for far longer than usual (TypicalGap is the usual gap).
	Throttled, Silent bool
	// Degraded: the last fetch stored what some endpoints returned while
	// others failed (LastError names them). Warnings: the last fetch's
	// notices that are not failures ("N items skipped").
	Degraded   bool
	Warnings   []string
	LastNew    time.Time
	TypicalGap time.Duration
	Budget     *BudgetUsage // nil: the source has no daily budget
}

// BudgetUsage is today's use of a source's daily budget.
type BudgetUsage struct {
	Used, Limit int
	Resets      time.Time
}

// HealthSource reports per-source health.
type HealthSource interface {
	Health() []SourceHealth
}

// ObserveFetch records one source fetch: its latency and, when failed,
// an error (a fetch cancelled by shutdown is not a failure).
func (r *Registry) ObserveFetch(source, network string, took time.Duration, failed bool) {
	if r == nil {
		return
	}
	r.FetchDuration.WithLabelValues(source, network).Observe(took.Seconds())
	if failed {
		r.FetchErrors.WithLabelValues(source, network).Inc()
	}
}
