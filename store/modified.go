package store

import (
	"encoding/binary"
	"strings"
	"sync"
	"time"
)

// Modification tracking: what a materialised report (analysis/report's
// Cache) asks before it serves a report built earlier — "did anything in
// [from, to) change since modification S?" — answered from memory, exactly.
//
// Every write of derived records goes through rollup.flush (Commit, the
// replies a new parent adopts, ApplyRefreshes, Rescore): flush notes the
// UTC days of every hour whose cells, hour sums (which stand for the facts
// and mention bodies written beside them), link counts or term counts it
// writes, and once the bbolt transaction has committed (tx.OnCommit,
// before Update returns, so before LastSeq moves) the tracker gives those
// days the next modification number. Prune and RebuildRollups change
// everything at once: they raise the floor that every day's number is
// read as at least. Coverage records are not tracked here (a report
// compares them itself: they are few), nor are kept phrases (a cache of
// a pure function of the mention's text and the extractor version).
//
// The numbers live in memory only: nothing that asks keeps them across a
// restart (a report cache is in memory too), so a fresh tracker starting
// at 0 with no days is exact.
type modTracker struct {
	mu    sync.Mutex
	seq   uint64           // the last modification number given
	floor uint64           // every day changed at least at floor (Prune, rebuild)
	days  map[int64]uint64 // UTC day (Unix days) → last modification
	owned map[int64]uint64 // the same for changes that may touch owned posts' facts
}

func newModTracker() *modTracker {
	return &modTracker{days: map[int64]uint64{}, owned: map[int64]uint64{}}
}

// unixDay is the UTC day of an hour counted from the epoch (floor).
func unixDay(hour int64) int64 {
	d := hour / 24
	if hour%24 < 0 {
		d--
	}
	return d
}

// bump gives days, and of them owned, the next modification number.
func (t *modTracker) bump(days, owned map[int64]struct{}) {
	if len(days) == 0 {
		return
	}
	t.mu.Lock()
	t.seq++
	for d := range days {
		t.days[d] = t.seq
	}
	for d := range owned {
		t.owned[d] = t.seq
	}
	t.mu.Unlock()
}

// bumpAll marks every day changed (Prune, RebuildRollups).
func (t *modTracker) bumpAll() {
	t.mu.Lock()
	t.seq++
	t.floor = t.seq
	t.mu.Unlock()
}

// changed reports whether a day overlapping [from, to) changed after
// since (only in owned posts' facts when kind is KindOwned).
func (t *modTracker) changed(from, to time.Time, kind string, since uint64) bool {
	if !from.Before(to) {
		return false
	}
	first := unixDay(hourOf(from))
	last := unixDay(hourOf(to.Add(-time.Nanosecond)))
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.floor > since {
		return true
	}
	days := t.days
	if kind == KindOwned {
		days = t.owned
	}
	if last-first+1 > int64(len(days)) { // few days changed: walk them
		for d, seq := range days {
			if seq > since && d >= first && d <= last {
				return true
			}
		}
		return false
	}
	for d := first; d <= last; d++ {
		if days[d] > since {
			return true
		}
	}
	return false
}

// noteModified registers, on r's transaction, the bump of every UTC day
// whose derived records flush writes; called by rollup.flush.
// Owned days are those of cells of kind owned, of new owned facts and
// of every recomputed hour sum (a refresh, a re-score or an adopted
// reply: its kind is not at hand, so it counts as owned).
func (r *rollup) noteModified() {
	days, owned := map[int64]struct{}{}, map[int64]struct{}{}
	dayOfKey := func(k string) int64 {
		d := unixDay(int64(binary.BigEndian.Uint64([]byte(k[:8])) ^ (1 << 63)))
		days[d] = struct{}{}
		return d
	}
	for k := range r.cells {
		if len(k) >= 8 {
			d := dayOfKey(k)
			if i := strings.LastIndexByte(k[8:], 0); i >= 0 && k[8+i+1:] == KindOwned {
				owned[d] = struct{}{}
			}
		}
	}
	for k := range r.links {
		if len(k) >= 8 {
			dayOfKey(k)
		}
	}
	for k := range r.terms {
		if len(k) >= 8 {
			dayOfKey(k)
		}
	}
	for k, fs := range r.sums.added {
		d := unixDay(k.hour)
		days[d] = struct{}{}
		for _, f := range fs {
			if f.Kind == KindOwned {
				owned[d] = struct{}{}
			}
		}
	}
	for k := range r.sums.dirty {
		days[unixDay(k.hour)] = struct{}{}
		owned[unixDay(k.hour)] = struct{}{}
	}
	if len(days) == 0 || r.mods == nil {
		return
	}
	t := r.mods
	r.tx.OnCommit(func() { t.bump(days, owned) })
}

// ModSeq is the store's last modification number (see ChangedSince). Read
// it before reading what it should vouch for.
func (s *Store) ModSeq() uint64 {
	t := s.mods
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.seq
}

// ChangedSince reports whether anything a report reads in [from, to) —
// cells, facts, hour sums, link and term counts, mention bodies, paired
// replies — may have changed since ModSeq returned since: a commit,
// refresh or re-score touching a UTC day that overlaps [from, to), or a
// Prune or rollup rebuild (which count as changing every day). With kind
// KindOwned it asks only about owned posts' facts and the replies of hour
// sums (what FactsOfKind(KindOwned) and HourSumReplies read); with ""
// about everything. It never answers false for a change; it may answer
// true for a day changed outside the range's hours or for a change that
// left figures equal.
func (s *Store) ChangedSince(from, to time.Time, kind string, since uint64) bool {
	return s.mods.changed(from, to, kind, since)
}

// markAllModified is the hook of Prune and RebuildRollups.
func (s *Store) markAllModified() { s.mods.bumpAll() }
