package report

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/earshot/earshot/store"
)

// timeRange is one span [from, to) a build read.
type timeRange struct{ from, to time.Time }

// recorder is a Source that notes every time range Build reads, the
// published hour of every mention or fact it reads by ID or key, and the
// coverage records it read: what a cached report is checked against. Build
// calls it from several goroutines.
type recorder struct {
	Source
	mu    sync.Mutex
	reads []timeRange // read in full
	owned []timeRange // read for owned posts' facts and paired replies only
	recs  map[string]store.SourceCoverage
}

func (r *recorder) note(from, to time.Time) {
	r.mu.Lock()
	r.reads = append(r.reads, timeRange{from, to})
	r.mu.Unlock()
}

// noteOwned notes a range read for owned posts only.
func (r *recorder) noteOwned(from, to time.Time) {
	r.mu.Lock()
	r.owned = append(r.owned, timeRange{from, to})
	r.mu.Unlock()
}

// noteAt notes the hour holding t (a record read by its key).
func (r *recorder) noteAt(t time.Time) {
	h := t.Truncate(time.Hour)
	r.note(h, h.Add(time.Hour))
}

// merged is rs sorted and joined where they touch.
func merged(rs []timeRange) []timeRange {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(a, b timeRange) int { return a.from.Compare(b.from) })
	var out []timeRange
	for _, x := range rs {
		if n := len(out); n > 0 && !x.from.After(out[n-1].to) {
			if x.to.After(out[n-1].to) {
				out[n-1].to = x.to
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

func (r *recorder) Cells(ctx context.Context, from, to time.Time, fn func(*store.Cell) error) error {
	r.note(from, to)
	return r.Source.Cells(ctx, from, to, fn)
}

func (r *recorder) Facts(ctx context.Context, from, to time.Time, fn func(*store.Fact) error) error {
	r.note(from, to)
	return r.Source.Facts(ctx, from, to, fn)
}

func (r *recorder) FactsOfKind(ctx context.Context, from, to time.Time, kind string, fn func(*store.Fact) error) error {
	if kind == store.KindOwned {
		r.noteOwned(from, to)
	} else {
		r.note(from, to)
	}
	return r.Source.FactsOfKind(ctx, from, to, kind, fn)
}

func (r *recorder) TopicCounts(ctx context.Context, from, to time.Time, kind string, networks []string) (map[string]int64, error) {
	r.note(from, to)
	return r.Source.TopicCounts(ctx, from, to, kind, networks)
}

func (r *recorder) TermHours(ctx context.Context, from, to time.Time, fn func(store.TermHour) error) error {
	r.note(from, to)
	return r.Source.TermHours(ctx, from, to, fn)
}

func (r *recorder) TermHoursOf(ctx context.Context, from, to time.Time, brands []string, fn func(store.TermHour) error) error {
	r.note(from, to)
	return r.Source.TermHoursOf(ctx, from, to, brands, fn)
}

func (r *recorder) HourSums(ctx context.Context, from, to time.Time, fn func(*store.HourSum) error) error {
	r.note(from, to)
	return r.Source.HourSums(ctx, from, to, fn)
}

// HourSumReplies hands out hour sums, of which Build reads only the
// network and the paired (owned) replies.
func (r *recorder) HourSumReplies(ctx context.Context, from, to time.Time, fn func(*store.HourSum) error) error {
	r.noteOwned(from, to) // replies only
	return r.Source.HourSumReplies(ctx, from, to, fn)
}

func (r *recorder) FactBrands(ctx context.Context, from, to time.Time, kind string, fn func(id string, brands []string) error) error {
	r.note(from, to)
	return r.Source.FactBrands(ctx, from, to, kind, fn)
}

func (r *recorder) LinkCells(ctx context.Context, from, to time.Time, fn func(store.LinkCell) error) error {
	r.note(from, to)
	return r.Source.LinkCells(ctx, from, to, fn)
}

func (r *recorder) FactsOf(ts []store.TopFact) ([]*store.Fact, error) {
	for _, t := range ts {
		r.noteAt(t.Published)
	}
	return r.Source.FactsOf(ts)
}

func (r *recorder) Get(id string) (store.Mention, bool, error) {
	m, ok, err := r.Source.Get(id)
	if ok {
		r.noteAt(m.Published)
	}
	return m, ok, err
}

func (r *recorder) Coverage(ctx context.Context) (map[string]store.SourceCoverage, error) {
	recs, err := r.Source.Coverage(ctx)
	if err == nil {
		r.mu.Lock()
		r.recs = recs
		r.mu.Unlock()
	}
	return recs, err
}
