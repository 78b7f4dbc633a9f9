package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Index maintenance: a week's partition keeps the 6–13 segments bleve's
// merge policy leaves it when its week ends (the policy does not fold
// segments of similar size further), and every search visits every segment
// of every partition it opens, mapping a few pages of each. MergeIndex
// folds a complete, quiet week into one segment with scorch's ForceMerge:
// the partition stays open, searchable and writable throughout (a late
// mention written meanwhile lands in a new segment, and deletions made
// during the merge are carried into the merged one by bleve's introducer),
// and the old segments' files are removed only once the merged snapshot is
// persisted, so a crash mid-merge leaves the last persisted snapshot and an
// unreferenced partial file that bleve removes when it opens the partition.

const (
	// mergeSettle is how long after its week ends a partition becomes due:
	// late mentions (a source catching up, a slow network) mostly arrive
	// within a day.
	mergeSettle = 24 * time.Hour
	// mergeQuiet is how long a partition must have gone without a write
	// (since the store opened) before it is merged: a backfill or reindex
	// writing into old weeks is left to finish first.
	mergeQuiet = 10 * time.Minute
	// mergeRoundTimeout bounds one ForceMerge call: scorch retries a
	// failing merge (a full disk) until its context ends.
	mergeRoundTimeout = 10 * time.Minute
)

// mergeComplete reports whether w's week ended at least mergeSettle
// before now: the current week, and the previous one during the first day
// of the next, are not.
func mergeComplete(w week, now time.Time) bool {
	return !now.Before((w + 1).start().Add(mergeSettle))
}

// mergeQuietSince reports whether a partition last written at last (zero:
// not since the store opened) is quiet at now.
func mergeQuietSince(last, now time.Time) bool {
	return last.IsZero() || now.Sub(last) >= mergeQuiet
}

// MergeOptions tune MergeIndex.
type MergeOptions struct {
	// Pause is the throttle: after each merge round of duration d, the
	// merge sleeps Pause × d before the next one, so that it uses at most
	// 1/(1+Pause) of one core. 0 merges without pausing.
	Pause float64
}

// DefaultMergePause is the daemon's throttle: half a core at most.
const DefaultMergePause = 1.0

// IndexMerge is what one MergeIndex call did.
type IndexMerge struct {
	Week           string        // the partition, YYYY-Www
	SegmentsBefore int           // persisted segments before
	SegmentsAfter  int           // and after (1 unless a late write landed meanwhile)
	Docs           uint64        // documents in the partition after the merge
	Bytes          int64         // the partition's directory size after
	Rounds         int           // ForceMerge calls
	Work           time.Duration // time spent merging (pauses excluded)
	Took           time.Duration // wall time, pauses included
	// Dropped is true when the partition was closed while it merged
	// (retention dropped it, or a reindex replaced the index): nothing to
	// merge any more, and no error.
	Dropped bool
}

// PartitionSegments is one partition's segment count.
type PartitionSegments struct {
	Week      string `json:"week"`
	Segments  int    `json:"segments"`  // persisted segments of its newest snapshot
	InMemory  int    `json:"in_memory"` // segments not yet persisted
	Docs      uint64 `json:"docs"`
	Mergeable bool   `json:"mergeable"` // MergeIndex would merge it now
}

// IndexSegments lists the partitions, newest first, with their segments.
func (s *Store) IndexSegments() ([]PartitionSegments, error) {
	ps, err := s.parts()
	if err != nil {
		return nil, err
	}
	now := s.clock()
	var out []PartitionSegments
	for _, w := range ps.weeks() {
		idx := ps.lookup(w)
		if idx == nil {
			continue
		}
		persisted, mem, err := partSegments(idx)
		if err != nil {
			return out, fmt.Errorf("partition %s: %w", w, err)
		}
		n, _ := idx.DocCount()
		out = append(out, PartitionSegments{Week: w.String(), Segments: persisted, InMemory: mem, Docs: n,
			Mergeable: ps.due(w, now, persisted, mem)})
	}
	return out, nil
}

// parts is the current partition set.
func (s *Store) parts() (*partSet, error) {
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	if s.idx == nil || s.closed.Load() {
		return nil, errClosed
	}
	return s.idx, nil
}

// due is the rule for which partitions MergeIndex merges: a week that is
// complete (mergeComplete), not expired, quiet (mergeQuietSince), with no
// segment still in memory and at least two persisted segments.
func (ps *partSet) due(w week, now time.Time, persisted, inMemory int) bool {
	return mergeComplete(w, now) && !ps.expired(w) && mergeQuietSince(ps.lastWrite(w), now) &&
		inMemory == 0 && persisted >= 2
}

// MergeIndex force-merges the newest partition that is due (partSet.due)
// into one segment, in rounds of scorch's ForceMerge with Pause between
// them; ok is false when no partition is due. Calls are serialised: one
// partition at a time. Searches and writes go on meanwhile; the store's
// locks are not held during the merge, so retention may drop the partition
// or a reindex replace it (then Dropped is set). A merge is skipped while
// writes are paused for space or when the filesystem would keep less than
// the write reserve after writing the partition's size again.
func (s *Store) MergeIndex(ctx context.Context, opt MergeOptions) (m IndexMerge, ok bool, err error) {
	s.mergeMu.Lock()
	defer s.mergeMu.Unlock()
	ps, err := s.parts()
	if err != nil {
		return m, false, err
	}
	if s.WriteState().Paused {
		return m, false, nil
	}
	now := s.clock()
	var (
		w   week
		idx bleve.Index
	)
	for _, c := range ps.weeks() {
		i := ps.lookup(c)
		if i == nil {
			continue
		}
		persisted, mem, err := partSegments(i)
		if err != nil {
			return m, false, fmt.Errorf("store: merge index: partition %s: %w", c, err)
		}
		if ps.due(c, now, persisted, mem) {
			w, idx, m.SegmentsBefore = c, i, persisted
			break
		}
	}
	if idx == nil {
		return m, false, nil
	}
	m.Week = w.String()
	size := dirSize(ps.path(w))
	if free := freeBytes(s.dir); free >= 0 && free-size < s.space.minFree {
		s.log.Warn().Str("week", m.Week).Int64("partition_bytes", size).Int64("free_bytes", free).
			Msg("index: merge skipped: not enough free space for a copy of the partition")
		return m, false, nil
	}
	if s.mergeHook != nil {
		s.mergeHook()
	}
	start := time.Now()
	err = mergePart(ctx, idx, opt, &m)
	m.Took = time.Since(start)
	if ps.lookup(w) != idx || s.closed.Load() {
		m.Dropped = true
		return m, true, nil
	}
	if err != nil {
		return m, true, fmt.Errorf("store: merge index partition %s: %w", w, err)
	}
	m.SegmentsAfter, _, err = partSegments(idx)
	if err != nil {
		return m, true, fmt.Errorf("store: merge index partition %s: %w", w, err)
	}
	// bleve removes the merged segments' files after persisting the merged
	// snapshot, asynchronously: wait for it, so that Bytes (and a Close
	// right after) see the partition as it stays.
	awaitOldFiles(ctx, idx, ps.path(w))
	m.Docs, _ = idx.DocCount()
	m.Bytes = dirSize(ps.path(w))
	s.trimOpened(idx) // the merge read every old segment through its map
	return m, true, nil
}

// mergePart runs ForceMerge rounds until idx has one persisted segment or
// a round makes no progress (a late write keeps adding segments).
func mergePart(ctx context.Context, idx bleve.Index, opt MergeOptions, m *IndexMerge) error {
	sc, err := scorchOf(idx)
	if err != nil {
		return err
	}
	n := m.SegmentsBefore
	for n > 1 {
		t0 := time.Now()
		rctx, cancel := context.WithTimeout(ctx, mergeRoundTimeout)
		err := sc.ForceMerge(rctx, &mergeplan.SingleSegmentMergePlanOptions)
		rerr := rctx.Err()
		cancel()
		d := time.Since(t0)
		m.Work += d
		m.Rounds++
		switch {
		case err != nil:
			return err
		case ctx.Err() != nil:
			return ctx.Err()
		case rerr != nil:
			return fmt.Errorf("merge round did not finish within %s", mergeRoundTimeout)
		}
		after, _, err := partSegments(idx)
		if err != nil {
			return err
		}
		if after >= n {
			return nil
		}
		n = after
		if opt.Pause > 0 && n > 1 {
			t := time.NewTimer(time.Duration(opt.Pause * float64(d)))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	if opt.Pause > 0 && m.Work > 0 { // the throttle also spaces partitions
		t := time.NewTimer(time.Duration(opt.Pause * float64(m.Work)))
		defer t.Stop()
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
	return nil
}

// scorchOf is idx's scorch index.
func scorchOf(idx bleve.Index) (*scorch.Scorch, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, errors.New("not a scorch index")
	}
	return sc, nil
}

// partSegments counts the persisted and in-memory segments of idx's
// newest snapshot.
func partSegments(idx bleve.Index) (persisted, inMemory int, err error) {
	sc, err := scorchOf(idx)
	if err != nil {
		return 0, 0, err
	}
	r, err := sc.Reader()
	if err != nil {
		return 0, 0, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || snap == nil { // a closed index has no snapshot
		return 0, 0, errClosed
	}
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	for _, ss := range snap.Segments() {
		if ps, ok := ss.Segment().(segment.PersistedSegment); ok && ps.Path() != "" {
			persisted++
		} else {
			inMemory++
		}
	}
	return persisted, inMemory, nil
}

// oldFilesWait bounds how long MergeIndex waits for bleve to remove the
// merged segments' files (its persister does so after persisting the
// merged snapshot: it keeps no older snapshot, NumSnapshotsToKeep 1).
const oldFilesWait = 10 * time.Second

// awaitOldFiles waits until the partition at dir holds no more segment
// files than its newest snapshot uses, or oldFilesWait passes (a write
// meanwhile adds files: the next persist removes the old ones anyway).
func awaitOldFiles(ctx context.Context, idx bleve.Index, dir string) {
	deadline := time.Now().Add(oldFilesWait)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		n, _, err := partSegments(idx)
		if err != nil || len(zaps) <= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dirSize is the bytes of the files under dir (0 when unreadable).
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
