package ingest

import (
	"errors"

	"github.com/earshot/earshot/listener"
	"sort"
	"sync"
	"time"
)

// SourceHealth is a snapshot of one source's polling state.
type SourceHealth struct {
	Name, Network string
	// Healthy is false after a failed (or partly failed) fetch until the
	// next full success; true before the first fetch.
	Healthy bool
	// Degraded is true when the last fetch was a partial success: some
	// endpoints (feed URLs, queries) failed, and LastError names them,
	// while what the others returned was stored.
	Degraded bool
	// LastSuccess is the last fetch that stored what it got, in full or
	// in part (Degraded).
	LastSuccess, LastAttempt, NextRun time.Time
	LastError                         string
	LastErrorAt                       time.Time
	ConsecutiveFailures               int // fetches with a failure (full or partial) since the last full success
	// Warnings are the last fetch's listener.Warning messages ("N items
	// skipped"); nil when it had none.
	Warnings []string
	// Totals since start.
	PostsFetched, MentionsStored, Duplicates int64
	LastDuration                             time.Duration

	// Throttled is true while the source waits on a rate limit (429,
	// Retry-After) or a spent daily budget; it clears on the next success.
	Throttled bool
	// LastNew is when a fetch last stored a new mention; Silent is true when
	// that was far longer ago than usual (SilentFactor times the typical gap
	// between such fetches, and at least MinSilence), a sign that a query,
	// a selector or the network itself stopped working.
	LastNew time.Time
	Silent  bool
	// TypicalGap is the smoothed gap between fetches that stored something.
	TypicalGap time.Duration
	// Budget is today's use of the source's daily budget, if it has one.
	Budget *listener.BudgetUsage
}

// Silence rules (see SourceHealth.Silent).
const (
	SilentFactor = 4
	MinSilence   = 24 * time.Hour
)

// maxErrorLen bounds LastError: error texts may carry response bodies.
const maxErrorLen = 512

// healthBook keeps every source's SourceHealth.
type healthBook struct {
	mu sync.Mutex
	m  map[string]*SourceHealth
}

func newHealthBook() *healthBook { return &healthBook{m: map[string]*SourceHealth{}} }

func (b *healthBook) add(name, network string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[name] = &SourceHealth{Name: name, Network: network, Healthy: true}
}

// record files the outcome of one fetch. A fetch cut short by shutdown
// (cancelled) adds its counts but changes no health state: it was not the
// source's fault.
func (b *healthBook) record(name string, res IngestResult, err error, cancelled bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := b.m[name]
	if h == nil {
		return
	}
	h.LastAttempt = res.Started
	h.LastDuration = res.Elapsed
	h.PostsFetched += int64(res.Posts)
	if res.Committed {
		h.MentionsStored += int64(res.Added)
		h.Duplicates += int64(res.Duplicates)
		if res.Added > 0 {
			if !h.LastNew.IsZero() {
				gap := res.Started.Sub(h.LastNew)
				if h.TypicalGap == 0 {
					h.TypicalGap = gap
				} else {
					h.TypicalGap = (3*h.TypicalGap + gap) / 4 // smoothed
				}
			}
			h.LastNew = res.Started
		}
	}
	switch {
	case cancelled:
		return
	}
	h.Warnings = res.Warnings
	if err == nil {
		h.Healthy, h.Degraded, h.Throttled = true, false, false
		h.LastSuccess = res.Started
		h.ConsecutiveFailures = 0
		return
	}
	h.Degraded = errIsPartial(res, err)
	if h.Degraded {
		h.LastSuccess = res.Started
	}
	var be *listener.BudgetError
	h.Throttled = retryAfter(err) > 0 || errors.As(err, &be)
	h.Healthy = false
	h.ConsecutiveFailures++
	h.LastError = truncate(err.Error(), maxErrorLen)
	h.LastErrorAt = res.Started.Add(res.Elapsed)
}

// adopt carries the counters and state of a source that ran before a
// reload (same name and network) over to its new entry.
func (b *healthBook) adopt(prev []SourceHealth) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range prev {
		h := b.m[p.Name]
		if h == nil || h.Network != p.Network {
			continue
		}
		p.NextRun, p.Budget = time.Time{}, nil
		*h = p
	}
}

func (b *healthBook) setNextRun(name string, t time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if h := b.m[name]; h != nil {
		h.NextRun = t
	}
}

func (b *healthBook) snapshot(now time.Time) []SourceHealth {
	b.mu.Lock()
	out := make([]SourceHealth, 0, len(b.m))
	for _, h := range b.m {
		c := *h
		c.Silent = !c.LastNew.IsZero() && now.Sub(c.LastNew) > max(SilentFactor*c.TypicalGap, MinSilence)
		out = append(out, c)
	}
	b.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}

// errIsPartial reports whether res/err describe a partial success.
func errIsPartial(res IngestResult, err error) bool {
	return err != nil && res.Partial && res.Committed
}

var errUnknownSource = errors.New("unknown source")
