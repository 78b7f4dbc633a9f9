package store

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// month is a calendar month (UTC) of publication: year×12 + month−1. Each
// month's mentions live in their own bleve index, index/YYYY-MM.bleve.
type month int32

// monthOf is the UTC month t falls in.
func monthOf(t time.Time) month {
	t = t.UTC()
	return month(t.Year()*12 + int(t.Month()) - 1)
}

// start is the first instant of m (UTC).
func (m month) start() time.Time {
	return time.Date(int(m)/12, time.Month(int(m)%12+1), 1, 0, 0, 0, 0, time.UTC)
}

// String is m as YYYY-MM, the partition's directory name without .bleve.
func (m month) String() string { return m.start().Format("2006-01") }

// partSuffix ends every partition's directory name.
const partSuffix = ".bleve"

// parseMonth reads a partition directory name (YYYY-MM.bleve).
func parseMonth(name string) (month, bool) {
	if len(name) != len("2006-01"+partSuffix) || filepath.Ext(name) != partSuffix {
		return 0, false
	}
	t, err := time.Parse("2006-01", name[:7])
	if err != nil {
		return 0, false
	}
	return monthOf(t), true
}

// partSet is the search index: one bleve index per month that has
// mentions. The set's map is guarded by mu; Store.idxMu guards the set as a
// whole (swapped or closed by Reindex, reopenIndex and Close).
type partSet struct {
	dir string // data_dir/index
	mu  sync.RWMutex
	by  map[month]bleve.Index
	// floor is the month of the retention cut-off: months before it hold
	// only pruned mentions, so they have no partition (dropped by
	// drainUnindex, skipped by the indexer, removed at open).
	floor atomic.Int32
	// searched counts partitions searched (the test hook for the window
	// skip).
	searched atomic.Int64
}

func newPartSet(dir string, floor month) *partSet {
	ps := &partSet{dir: dir, by: map[month]bleve.Index{}}
	ps.floor.Store(int32(floor))
	return ps
}

// path is the directory of m's partition.
func (ps *partSet) path(m month) string {
	return filepath.Join(ps.dir, m.String()+partSuffix)
}

// expired reports whether m is wholly before the retention cut-off.
func (ps *partSet) expired(m month) bool { return m < month(ps.floor.Load()) }

// months lists the open partitions' months, newest first.
func (ps *partSet) months() []month {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	out := make([]month, 0, len(ps.by))
	for m := range ps.by {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b month) int { return cmp.Compare(b, a) })
	return out
}

// get returns m's partition, creating it (empty, sequence 0) when missing.
func (ps *partSet) get(m month) (bleve.Index, error) {
	ps.mu.RLock()
	idx := ps.by[m]
	ps.mu.RUnlock()
	if idx != nil {
		return idx, nil
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if idx := ps.by[m]; idx != nil {
		return idx, nil
	}
	idx, err := createIndex(ps.path(m))
	if err != nil {
		return nil, err
	}
	ps.by[m] = idx
	return idx, nil
}

// window returns the partitions that can hold mentions published in
// [from, to) (a zero bound is open), newest first, and counts them as
// searched. A partition outside the window is not opened or searched.
func (ps *partSet) window(from, to time.Time) []bleve.Index {
	lo, hi := month(-1<<31), month(1<<31-1)
	if !from.IsZero() {
		lo = monthOf(from)
	}
	if !to.IsZero() {
		hi = monthOf(to.Add(-time.Nanosecond)) // to is exclusive
	}
	var out []bleve.Index
	for _, m := range ps.months() {
		if m >= lo && m <= hi {
			ps.mu.RLock()
			out = append(out, ps.by[m])
			ps.mu.RUnlock()
		}
	}
	ps.searched.Add(int64(len(out)))
	return out
}

// byMonth groups docs by the month of their publication; months wholly
// before the retention cut-off are left out (their mentions are pruned).
func (ps *partSet) byMonth(docs []indexFields) map[month][]indexFields {
	out := map[month][]indexFields{}
	for _, d := range docs {
		m := monthOf(d.Published)
		if ps.expired(m) {
			continue
		}
		out[m] = append(out[m], d)
	}
	return out
}

// index writes docs into their partitions (created as needed), batches of
// size documents, and returns the months written.
func (ps *partSet) index(docs []indexFields, size int) ([]month, error) {
	groups := ps.byMonth(docs)
	touched := make([]month, 0, len(groups))
	var errs []error
	for m, ds := range groups {
		idx, err := ps.get(m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := indexConcurrently(idx, ds, size); err != nil {
			errs = append(errs, fmt.Errorf("partition %s: %w", m, err))
			continue
		}
		touched = append(touched, m)
	}
	return touched, errors.Join(errs...)
}

// setSeq records seq in the partitions of months.
func (ps *partSet) setSeq(months []month, seq uint64) error {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	for _, m := range months {
		if idx := ps.by[m]; idx != nil {
			if err := setIndexSeq(idx, seq); err != nil {
				return fmt.Errorf("partition %s: %w", m, err)
			}
		}
	}
	return nil
}

// DocCount is the number of documents in every partition.
func (ps *partSet) DocCount() (uint64, error) {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	var n uint64
	for _, idx := range ps.by {
		c, err := idx.DocCount()
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

// Close closes every partition.
func (ps *partSet) Close() error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	var errs []error
	for m, idx := range ps.by {
		if err := idx.Close(); err != nil {
			errs = append(errs, fmt.Errorf("partition %s: %w", m, err))
		}
	}
	ps.by = map[month]bleve.Index{}
	return errors.Join(errs...)
}

// delete deletes the documents ids (but those marked keep) from every
// partition up to month last: pruned mentions were published before the
// retention cut-off, so no later partition holds them. It returns how many
// IDs it deleted.
func (ps *partSet) delete(ids []string, keep []bool, last month) (int, error) {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	n := 0
	for i := range ids {
		if !keep[i] {
			n++
		}
	}
	if n == 0 {
		return 0, nil
	}
	var errs []error
	for m, idx := range ps.by {
		if m > last {
			continue
		}
		b := idx.NewBatch()
		for i, id := range ids {
			if !keep[i] {
				b.Delete(id)
			}
		}
		if err := idx.Batch(b); err != nil {
			errs = append(errs, fmt.Errorf("partition %s: %w", m, err))
		}
	}
	return n, errors.Join(errs...)
}
