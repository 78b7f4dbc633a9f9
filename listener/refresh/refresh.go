package refresh

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/store"
)

// Defaults of Options.
const (
	DefaultEvery      = 5 * time.Minute
	DefaultRetryAfter = 30 * time.Minute
	DefaultMaxCalls   = 5
	// dueChunk is how many due mentions one read of the schedule returns.
	dueChunk = 1000
)

// Share is the part of a source's daily budget kept for refreshes: polling
// gets limit − Share(limit), refreshes Share(limit) (a tenth, at least 1
// unit for a budget of 2 or more).
func Share(limit int) int {
	if limit < 2 {
		return 0
	}
	return max(limit/10, 1)
}

// Store is what the refresher needs of *store.Store.
type Store interface {
	DueRefreshes(now time.Time, after []byte, limit int) ([]store.Due, error)
	ApplyRefreshes(rs []store.Refreshed) (store.RefreshResult, error)
}

// Target is one source that can look its network's posts up.
type Target struct {
	Source  string
	Network string
	Lookup  listener.Lookup
	Budget  listener.Budget // the refresh share; nil = unlimited
}

// Options configure a Refresher.
type Options struct {
	Store      Store
	Targets    []Target
	Logger     zerolog.Logger
	Clock      func() time.Time
	Every      time.Duration // between ticks; default DefaultEvery
	RetryAfter time.Duration // after a failed lookup; default DefaultRetryAfter
	MaxCalls   int           // lookup calls per source per tick; default DefaultMaxCalls
}

// Refresher refreshes due mentions on a schedule.
type Refresher struct {
	o        Options
	bySource map[string]*Target
	byNet    map[string]*Target
}

// New returns a Refresher.
func New(o Options) *Refresher {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Every <= 0 {
		o.Every = DefaultEvery
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = DefaultRetryAfter
	}
	if o.MaxCalls <= 0 {
		o.MaxCalls = DefaultMaxCalls
	}
	r := &Refresher{o: o, bySource: map[string]*Target{}, byNet: map[string]*Target{}}
	for i := range o.Targets {
		t := &r.o.Targets[i]
		r.bySource[t.Source] = t
		if _, ok := r.byNet[t.Network]; !ok {
			r.byNet[t.Network] = t
		}
	}
	return r
}

// Targets returns the sources the refresher looks posts up through.
func (r *Refresher) Targets() []Target { return append([]Target(nil), r.o.Targets...) }

// Tick is what one RunOnce did.
type Tick struct {
	Calls  int // lookup calls made
	Result store.RefreshResult
	Errors []error // failed lookups (retried later)
}

// Run refreshes every Every until ctx is done.
func (r *Refresher) Run(ctx context.Context) error {
	t := time.NewTicker(r.o.Every)
	defer t.Stop()
	for {
		tick, err := r.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			r.o.Logger.Error().Err(err).Msg("engagement refresh failed; retried next tick")
		}
		if tick.Result.Updated+tick.Result.Gone+tick.Result.Retried > 0 {
			r.o.Logger.Info().Int("calls", tick.Calls).Int("updated", tick.Result.Updated).Int("changed", tick.Result.Changed).
				Int("gone", tick.Result.Gone).Int("retried", tick.Result.Retried).Msg("engagement refreshed")
		}
		for _, e := range tick.Errors {
			r.o.Logger.Warn().Err(e).Msg("engagement lookup failed; retried later")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// RunOnce refreshes what is due now, within each source's call cap and
// budget share: it reads the schedule in chunks from the longest overdue
// on, looks each chunk up per source, and stops at the end of what is due
// or when every source with due mentions is capped or stopped.
func (r *Refresher) RunOnce(ctx context.Context) (Tick, error) {
	var tick Tick
	now := r.o.Clock()
	calls := map[*Target]int{}
	stopped := map[*Target]bool{}
	var after []byte
	for ctx.Err() == nil {
		due, err := r.o.Store.DueRefreshes(now, after, dueChunk)
		if err != nil {
			return tick, fmt.Errorf("refresh: %w", err)
		}
		if len(due) == 0 {
			return tick, nil
		}
		after = due[len(due)-1].Key
		groups := map[*Target][]store.Due{}
		var order []*Target
		var orphans []store.Refreshed
		for _, d := range due {
			t := r.target(d)
			switch {
			case t == nil:
				orphans = append(orphans, store.Refreshed{Key: d.Key, ID: d.ID, Outcome: store.RefreshGone, At: now})
			case stopped[t] || calls[t] >= r.o.MaxCalls:
			default:
				if _, ok := groups[t]; !ok {
					order = append(order, t)
				}
				groups[t] = append(groups[t], d)
			}
		}
		if err := r.apply(&tick, orphans); err != nil {
			return tick, err
		}
		for _, t := range order {
			ds := groups[t]
			size := max(t.Lookup.LookupBatch(), 1)
			for len(ds) > 0 && calls[t] < r.o.MaxCalls && !stopped[t] && ctx.Err() == nil {
				batch := ds[:min(size, len(ds))]
				ds = ds[len(batch):]
				calls[t]++
				tick.Calls++
				out, stop := r.lookup(ctx, t, batch, now, &tick)
				stopped[t] = stop
				if err := r.apply(&tick, out); err != nil {
					return tick, err
				}
			}
		}
		if len(due) < dueChunk || r.exhausted(calls, stopped) {
			return tick, nil
		}
	}
	return tick, ctx.Err()
}

// exhausted reports whether no source can be called again this tick.
func (r *Refresher) exhausted(calls map[*Target]int, stopped map[*Target]bool) bool {
	for i := range r.o.Targets {
		t := &r.o.Targets[i]
		if !stopped[t] && calls[t] < r.o.MaxCalls {
			return false
		}
	}
	return true
}

// target is the source a due mention is looked up through.
func (r *Refresher) target(d store.Due) *Target {
	if t, ok := r.bySource[d.Source]; ok && t.Network == d.Network {
		return t
	}
	return r.byNet[d.Network]
}

// lookup asks t for the counts of batch and turns the answer into
// outcomes; stop is true when the source should not be called again this
// tick (budget spent, rate limited, cancelled).
func (r *Refresher) lookup(ctx context.Context, t *Target, batch []store.Due, now time.Time, tick *Tick) ([]store.Refreshed, bool) {
	refs := make([]listener.Ref, len(batch))
	for i, d := range batch {
		refs[i] = listener.Ref{NativeID: d.NativeID, URL: d.URL, IsReply: d.IsReply}
	}
	got, err := t.Lookup.LookupCounts(ctx, refs, t.Budget)
	retry, stop := now.Add(r.o.RetryAfter), false
	if err != nil {
		tick.Errors = append(tick.Errors, fmt.Errorf("%s: %w", t.Source, err))
		var be *listener.BudgetError
		var he *listener.HTTPError
		switch {
		case errors.As(err, &be):
			retry, stop = later(retry, be.Resets), true
		case errors.As(err, &he) && (he.StatusCode == 429 || he.RetryAfter > 0):
			retry, stop = later(retry, now.Add(he.RetryAfter)), true
		case ctx.Err() != nil:
			stop = true
		}
	}
	out := make([]store.Refreshed, 0, len(batch))
	for _, d := range batch {
		o := store.Refreshed{Key: d.Key, ID: d.ID, At: now}
		counts, asked := got[d.NativeID]
		switch {
		case !asked:
			o.Outcome, o.RetryAt = store.RefreshFailed, retry
		case len(counts) == 0:
			o.Outcome = store.RefreshGone
		default:
			o.Outcome, o.Counts = store.RefreshUpdated, counts
		}
		out = append(out, o)
	}
	return out, stop
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (r *Refresher) apply(tick *Tick, rs []store.Refreshed) error {
	if len(rs) == 0 {
		return nil
	}
	res, err := r.o.Store.ApplyRefreshes(rs)
	if err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	s := &tick.Result
	s.Updated += res.Updated
	s.Changed += res.Changed
	s.Gone += res.Gone
	s.Retried += res.Retried
	s.GivenUp += res.GivenUp
	s.Finished += res.Finished
	s.Unmatched += res.Unmatched
	return nil
}
