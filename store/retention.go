package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// pruneBatch is how many mentions one Prune transaction removes; a variable
// so that the crash test can make a prune span many transactions.
var pruneBatch = 1000

// unindexBatch is how many pending index deletions one bleve batch applies.
const unindexBatch = 1000

// Retention buckets and meta keys.
var (
	// bucketUnindex lists mentions pruned from bbolt whose bleve document
	// may still exist: ID → pruned seq. Written in the pruning transaction,
	// emptied once bleve has deleted them; replayed on Open after a crash.
	bucketUnindex = []byte("unindex")
	// bucketTombstones keeps the IDs of pruned mentions whose published time
	// was estimated (the network gives none, so a re-served post would look
	// new): ID → when it was pruned. A tombstone lives until a later Prune's
	// cut-off passes its pruning time, that is one retention period.
	bucketTombstones = []byte("tombstones")
	// keyPrunedBefore (in meta) is the latest Prune cut-off: Commit skips
	// mentions published before it, as duplicates.
	keyPrunedBefore = []byte("pruned_before")
)

// PruneResult tells what a Prune removed.
type PruneResult struct {
	Before    time.Time // the cut-off
	Mentions  int       // mentions deleted from bbolt with their rollup contributions
	Unindexed int       // documents deleted from the search index
	Batches   int       // bbolt transactions used
	// Replies counts kept owned replies whose parent was pruned: their
	// response time no longer counts, as if the parent had never been stored.
	Replies int
	// Tombstones is how many pruned IDs were remembered (mentions without a
	// network date) and TombstonesExpired how many older ones were dropped.
	Tombstones, TombstonesExpired int
}

// Prune deletes every mention published before the cut-off: from the log,
// byid, bytime, the counters, every rollup (so that the rollups equal what
// RebuildRollups computes from the mentions left) and the search index. It
// works in transactions of at most 1,000 mentions, each removing mentions,
// their rollup contributions and their dedup keys together, so a crash
// leaves a consistent store; the index deletions of each batch are recorded
// in the same transaction and applied to bleve after it (again on the next
// Open after a crash). Mentions published before the cut-off are refused by
// Commit from then on (counted as duplicates), so a network re-serving an
// old post does not bring it back. Prune, Reindex and RebuildRollups run one
// at a time; commits and searches go on meanwhile. A cut-off in the future
// is an error.
func (s *Store) Prune(ctx context.Context, before time.Time) (PruneResult, error) {
	res := PruneResult{Before: before}
	if s.closed.Load() {
		return res, errClosed
	}
	defer s.markAllModified() // modified.go: a prune changes every day at once
	now := s.clock()
	switch {
	case before.IsZero():
		return res, errors.New("store: prune: zero cut-off")
	case before.After(now):
		return res, fmt.Errorf("store: prune: cut-off %s is in the future", before.UTC().Format(time.RFC3339))
	case before.Before(minPublished):
		return res, nil
	}
	s.maintMu.Lock()
	defer s.maintMu.Unlock()
	expired, err := s.raiseFloor(before)
	if err != nil {
		return res, err
	}
	res.TombstonesExpired = expired
	n, err := s.drainUnindex()
	res.Unindexed += n
	if err != nil {
		return res, fmt.Errorf("store: prune: %w", err)
	}
	bound := timeBound(before)
	for {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("store: prune: %w", err)
		}
		var n int
		err := s.db.Update(func(tx *bolt.Tx) error {
			p := newPruner(tx, now, s.log)
			c := tx.Bucket(bucketByTime).Cursor()
			var keys [][]byte
			for k, _ := c.First(); k != nil && string(k) < string(bound) && len(keys) < pruneBatch; k, _ = c.Next() {
				keys = append(keys, append([]byte{}, k...))
			}
			for _, k := range keys {
				if err := p.remove(k); err != nil {
					return err
				}
			}
			if err := p.flush(); err != nil {
				return err
			}
			n = len(keys)
			res.Replies += p.replies
			res.Tombstones += p.tombstones
			return nil
		})
		if err != nil {
			if errors.Is(err, errClosed) || s.closed.Load() {
				return res, errClosed
			}
			return res, fmt.Errorf("store: prune: %w", err)
		}
		if n == 0 {
			break
		}
		res.Mentions += n
		res.Batches++
		u, err := s.drainUnindex()
		res.Unindexed += u
		if err != nil {
			return res, fmt.Errorf("store: prune: %w", err)
		}
	}
	if res.Mentions > 0 {
		s.log.Info().Int("mentions", res.Mentions).Int("unindexed", res.Unindexed).Time("before", before).
			Dur("took", s.clock().Sub(now)).Msg("retention: old mentions pruned")
	}
	return res, nil
}

// raiseFloor records before as the commit floor (never lowering it) and
// drops the tombstones written before it.
func (s *Store) raiseFloor(before time.Time) (expired int, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if old := meta.Get(keyPrunedBefore); len(old) != 8 || int64(u64(old)) < before.UnixNano() {
			if err := meta.Put(keyPrunedBefore, seqKey(uint64(before.UnixNano()))); err != nil {
				return err
			}
		}
		tombs := tx.Bucket(bucketTombstones)
		var old [][]byte // collected first: Delete during a walk skips keys
		err := tombs.ForEach(func(k, v []byte) error {
			if len(v) != 8 || int64(u64(v)) < before.UnixNano() {
				old = append(old, append([]byte{}, k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := tombs.Delete(k); err != nil {
				return err
			}
		}
		expired = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: prune: save cut-off: %w", err)
	}
	return expired, nil
}

// prunedFilter tells Commit which mentions retention already removed.
type prunedFilter struct {
	floor int64 // UnixNano of the last cut-off; mentions before it are gone
	set   bool
	tombs *bolt.Bucket
}

func newPrunedFilter(tx *bolt.Tx) prunedFilter {
	f := prunedFilter{tombs: tx.Bucket(bucketTombstones)}
	if v := tx.Bucket(bucketMeta).Get(keyPrunedBefore); len(v) == 8 {
		f.floor, f.set = int64(binary.BigEndian.Uint64(v)), true
	}
	return f
}

// pruned reports whether m was published before the retention cut-off or
// is a pruned mention remembered by a tombstone.
func (f prunedFilter) pruned(m *Mention) bool {
	if f.set && m.Published.UnixNano() < f.floor {
		return true
	}
	return f.tombs != nil && f.tombs.Get([]byte(m.ID)) != nil
}

// drainUnindex drops the partitions of weeks wholly before the retention
// cut-off once every mention in them is pruned, then deletes the pending
// pruned documents from the partitions that may still hold them (up to the
// floor's week; every partition when no cut-off is recorded) and clears
// them from the unindex bucket. A pending ID that is stored again and
// already indexed (seq ≤ watermark) is the newer document and stays. It runs
// under indexMu, so the indexer cannot index between the read and the delete.
func (s *Store) drainUnindex() (int, error) {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	s.feed.reset() // the feed may hold mentions just pruned from the log
	floor, hasFloor, err := s.dropExpired()
	if err != nil {
		return 0, fmt.Errorf("drop expired partitions: %w", err)
	}
	if !hasFloor {
		floor = week(1<<31 - 1) // every partition may hold them
	}
	total := 0
	for {
		var ids []string
		var keep []bool
		wm := s.watermark.Load()
		err := s.db.View(func(tx *bolt.Tx) error {
			byID := tx.Bucket(bucketByID)
			c := tx.Bucket(bucketUnindex).Cursor()
			for k, _ := c.First(); k != nil && len(ids) < unindexBatch; k, _ = c.Next() {
				seq := byID.Get(k)
				ids = append(ids, string(k))
				keep = append(keep, seq != nil && u64(seq) <= wm)
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("read pending index deletions: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		s.idxMu.RLock()
		ps := s.idx
		if ps == nil {
			s.idxMu.RUnlock()
			return total, errClosed
		}
		n, err := ps.delete(ids, keep, floor)
		s.idxMu.RUnlock()
		if err != nil {
			return total, fmt.Errorf("delete %d pruned documents from the index: %w", n, err)
		}
		err = s.db.Update(func(tx *bolt.Tx) error {
			u := tx.Bucket(bucketUnindex)
			for _, id := range ids {
				if err := u.Delete([]byte(id)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("clear pending index deletions: %w", err)
		}
		total += n
	}
}

// dropExpired reads the retention cut-off and drops the partitions of the
// weeks wholly before it whose mentions are gone from the database
// (partFloor): whole directories, not document by document. It returns
// that floor week (ok false when no cut-off is recorded). The caller holds
// indexMu.
func (s *Store) dropExpired() (floor week, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		floor, ok = partFloor(tx)
		return nil
	})
	if err != nil || !ok {
		return floor, ok, err
	}
	s.idxMu.Lock() // no search runs on a partition being dropped
	defer s.idxMu.Unlock()
	ps := s.idx
	if ps == nil {
		return floor, ok, errClosed
	}
	ps.floor.Store(int32(floor))
	var errs []error
	for _, m := range ps.weeks() {
		if ps.expired(m) {
			errs = append(errs, s.dropPartition(ps, m))
			s.log.Info().Str("week", m.String()).Msg("retention: search index partition dropped")
		}
	}
	return floor, ok, errors.Join(errs...)
}
