package store

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// week is an ISO week of publication (UTC, Monday 00:00 to the next
// Monday), counted from the week of 1970-01-01. Each week's mentions live
// in their own bleve index, index/YYYY-Www.bleve (ISO week-year and week).
type week int32

// epochMonday is how many days 1970-01-01 (a Thursday) is after the Monday
// that starts its week.
const epochMonday = 3

const secondsPerDay = 24 * 60 * 60

// weekOf is the UTC week t falls in.
func weekOf(t time.Time) week {
	days := floorDiv(t.Unix(), secondsPerDay)
	return week(floorDiv(days+epochMonday, 7))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// start is the first instant of w: its Monday, 00:00 UTC.
func (w week) start() time.Time {
	return time.Unix((int64(w)*7-epochMonday)*secondsPerDay, 0).UTC()
}

// String is w as YYYY-Www (ISO 8601 week-year and week number), the
// partition's directory name without .bleve. The ISO year of a week is
// that of its Thursday: the Monday 2025-12-29 starts 2026-W01.
func (w week) String() string {
	y, n := w.start().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, n)
}

// weekNameLen is the length of a week's name.
const weekNameLen = len("2006-W01")

// partSuffix ends every partition's directory name.
const partSuffix = ".bleve"

// parseWeek reads a partition directory name (YYYY-Www.bleve); a week
// number the year does not have (W00, W54, W53 of a 52-week year) is not
// a name.
func parseWeek(name string) (week, bool) {
	if len(name) != weekNameLen+len(partSuffix) || filepath.Ext(name) != partSuffix || name[4:6] != "-W" {
		return 0, false
	}
	y, err1 := strconv.Atoi(name[:4])
	n, err2 := strconv.Atoi(name[6:8])
	if err1 != nil || err2 != nil || n < 1 || n > 53 {
		return 0, false
	}
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC) // always in week 1
	w := weekOf(jan4) + week(n-1)
	if w.String() != name[:weekNameLen] {
		return 0, false
	}
	return w, true
}

// isMonthPartition reports whether name is a partition of earshot-index-9
// (one per month, YYYY-MM.bleve, possibly with a reindex's suffix).
func isMonthPartition(name string) bool {
	name = strings.TrimSuffix(strings.TrimSuffix(name, newSuffix), oldSuffix)
	if len(name) != len("2006-01"+partSuffix) || filepath.Ext(name) != partSuffix {
		return false
	}
	_, err := time.Parse("2006-01", name[:7])
	return err == nil
}

// partSet is the search index: one bleve index per week that has
// mentions. The set's map is guarded by mu; Store.idxMu guards the set as a
// whole (swapped or closed by Reindex, reopenIndex and Close).
type partSet struct {
	dir string // data_dir/index
	mu  sync.RWMutex
	by  map[week]bleve.Index
	// floor is the week of the retention cut-off: weeks before it hold
	// only pruned mentions, so they have no partition (dropped by
	// drainUnindex, skipped by the indexer, removed at open).
	floor atomic.Int32
	// searched counts partitions searched and filtered those of them
	// searched with the time filter (test hooks for the window skip).
	searched, filtered atomic.Int64
	// alwaysFilter searches every partition with the time filter, also
	// those wholly inside the window (tests and the benchmark's baseline).
	alwaysFilter bool
	// clock and written: when each partition was last written since the
	// store opened (index_merge.go waits for a quiet partition); under mu.
	clock   func() time.Time
	written map[week]time.Time
	// createConfig is bleve's config of new partitions (nil: defaults).
	createConfig map[string]any
}

func newPartSet(dir string, floor week) *partSet {
	ps := &partSet{dir: dir, by: map[week]bleve.Index{}, clock: time.Now, written: map[week]time.Time{}}
	ps.floor.Store(int32(floor))
	return ps
}

// path is the directory of w's partition.
func (ps *partSet) path(w week) string {
	return filepath.Join(ps.dir, w.String()+partSuffix)
}

// expired reports whether w is wholly before the retention cut-off.
func (ps *partSet) expired(w week) bool { return w < week(ps.floor.Load()) }

// weeks lists the open partitions' weeks, newest first.
func (ps *partSet) weeks() []week {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	out := make([]week, 0, len(ps.by))
	for w := range ps.by {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b week) int { return cmp.Compare(b, a) })
	return out
}

// get returns w's partition, creating it (empty, sequence 0) when missing.
func (ps *partSet) get(w week) (bleve.Index, error) {
	ps.mu.RLock()
	idx := ps.by[w]
	ps.mu.RUnlock()
	if idx != nil {
		return idx, nil
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if idx := ps.by[w]; idx != nil {
		return idx, nil
	}
	idx, err := createIndexWith(ps.path(w), ps.createConfig)
	if err != nil {
		return nil, err
	}
	ps.by[w] = idx
	return idx, nil
}

// windowPart is a partition a window selects: whole is true when every
// mention it can hold is inside the window (its week is wholly inside
// [from, to)), so it is searched without the time filter.
type windowPart struct {
	idx   bleve.Index
	w     week
	whole bool
	// clip narrows the time filter of a partition the window cuts to the
	// edge that cuts it (false: the window's filter as it is).
	clip bool
}

// window returns the partitions that can hold mentions published in
// [from, to) (a zero bound is open), newest first, and counts them as
// searched. A partition outside the window is not opened or searched.
func (ps *partSet) window(from, to time.Time) []bleve.Index {
	parts := ps.windowParts(from, to)
	out := make([]bleve.Index, len(parts))
	for i, p := range parts {
		out[i] = p.idx
	}
	return out
}

// windowParts is window with, for each partition, whether it lies wholly
// inside the window.
func (ps *partSet) windowParts(from, to time.Time) []windowPart {
	lo, hi := week(-1<<31), week(1<<31-1)
	if !from.IsZero() {
		lo = weekOf(from)
	}
	if !to.IsZero() {
		hi = weekOf(to.Add(-time.Nanosecond)) // to is exclusive
	}
	var out []windowPart
	for _, w := range ps.weeks() {
		if w >= lo && w <= hi {
			ps.mu.RLock()
			out = append(out, windowPart{idx: ps.by[w], w: w, whole: !ps.alwaysFilter && w.inside(from, to), clip: !ps.alwaysFilter})
			ps.mu.RUnlock()
		}
	}
	ps.searched.Add(int64(len(out)))
	return out
}

// inside reports whether all of w lies in [from, to) (a zero bound is
// open).
func (w week) inside(from, to time.Time) bool {
	return (from.IsZero() || !w.start().Before(from)) && (to.IsZero() || !(w + 1).start().After(to))
}

// byWeek groups docs by the week of their publication; weeks wholly
// before the retention cut-off are left out (their mentions are pruned).
func (ps *partSet) byWeek(docs []indexFields) map[week][]indexFields {
	out := map[week][]indexFields{}
	for _, d := range docs {
		w := weekOf(d.Published)
		if ps.expired(w) {
			continue
		}
		out[w] = append(out[w], d)
	}
	return out
}

// index writes docs into their partitions (created as needed), batches of
// size documents, and returns the weeks written.
func (ps *partSet) index(docs []indexFields, size int) ([]week, error) {
	groups := ps.byWeek(docs)
	touched := make([]week, 0, len(groups))
	var errs []error
	for w, ds := range groups {
		idx, err := ps.get(w)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ps.noteWrite(w)
		if err := indexConcurrently(idx, ds, size); err != nil {
			errs = append(errs, fmt.Errorf("partition %s: %w", w, err))
			continue
		}
		touched = append(touched, w)
	}
	return touched, errors.Join(errs...)
}

// noteWrite records that w's partition is being written now.
func (ps *partSet) noteWrite(w week) {
	now := ps.clock()
	ps.mu.Lock()
	ps.written[w] = now
	ps.mu.Unlock()
}

// lastWrite is when w's partition was last written (zero: not since open).
func (ps *partSet) lastWrite(w week) time.Time {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	return ps.written[w]
}

// lookup is w's open partition, nil when there is none.
func (ps *partSet) lookup(w week) bleve.Index {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	return ps.by[w]
}

// setSeq records seq in the partitions of weeks.
func (ps *partSet) setSeq(weeks []week, seq uint64) error {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	for _, w := range weeks {
		if idx := ps.by[w]; idx != nil {
			if err := setIndexSeq(idx, seq); err != nil {
				return fmt.Errorf("partition %s: %w", w, err)
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
	for w, idx := range ps.by {
		if err := idx.Close(); err != nil {
			errs = append(errs, fmt.Errorf("partition %s: %w", w, err))
		}
	}
	ps.by = map[week]bleve.Index{}
	return errors.Join(errs...)
}

// delete deletes the documents ids (but those marked keep) from every
// partition up to week last: pruned mentions were published before the
// retention cut-off, so no later partition holds them. It returns how many
// IDs it deleted.
func (ps *partSet) delete(ids []string, keep []bool, last week) (int, error) {
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
	for w, idx := range ps.by {
		if w > last {
			continue
		}
		b := idx.NewBatch()
		for i, id := range ids {
			if !keep[i] {
				b.Delete(id)
			}
		}
		if err := idx.Batch(b); err != nil {
			errs = append(errs, fmt.Errorf("partition %s: %w", w, err))
		}
	}
	return n, errors.Join(errs...)
}
