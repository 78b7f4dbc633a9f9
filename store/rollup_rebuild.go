package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// rebuildChunk is how many log records one rebuild transaction replays.
const rebuildChunk = 5000

// RebuildRollups recomputes every rollup (cells, facts, term counts) from
// the mention log, as Commit would have built them. Commits may go on
// meanwhile: mentions stored after the rebuild started keep the rollups
// their own Commit wrote. The rollups are marked stale until the rebuild
// ends, so one interrupted by a crash or ctx runs again on the next Open.
func (s *Store) RebuildRollups(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	s.maintMu.Lock()
	defer s.maintMu.Unlock()
	return s.rebuildRollups(ctx)
}

func (s *Store) rebuildRollups(ctx context.Context) error {
	defer s.markAllModified() // modified.go: a rebuild changes every day at once
	var snapshot uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Delete(keyRollupVersion); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketCells, bucketFacts, bucketTerms, bucketLinks, bucketReplies, bucketOrphans, bucketHourSums} { // bucketCollection is kept: see collection.go
			if err := tx.DeleteBucket(name); err != nil && tx.Bucket(name) != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		snapshot = tx.Bucket(bucketMentions).Sequence()
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: rebuild rollups: %w", err)
	}
	start := s.clock()
	var done uint64
	for done < snapshot {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("store: rebuild rollups: %w", err)
		}
		err := s.db.Update(func(tx *bolt.Tx) error {
			r := newRollup(tx, s.mods)
			c := tx.Bucket(bucketMentions).Cursor()
			n := 0
			for k, v := c.Seek(seqKey(done + 1)); k != nil && u64(k) <= snapshot && n < rebuildChunk; k, v = c.Next() {
				done, n = u64(k), n+1
				var m Mention
				if err := json.Unmarshal(v, &m); err != nil {
					s.log.Error().Err(err).Uint64("seq", u64(k)).Msg("undecodable mention left out of rollups")
					continue
				}
				if err := r.add(&m, u64(k)); err != nil {
					return err
				}
			}
			if n == 0 {
				done = snapshot
			}
			return r.flush()
		})
		if err != nil {
			return fmt.Errorf("store: rebuild rollups: %w", err)
		}
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyRollupVersion, []byte(rollupVersion))
	})
	if err != nil {
		return fmt.Errorf("store: rebuild rollups: %w", err)
	}
	if snapshot > 0 {
		s.log.Info().Uint64("mentions", snapshot).Dur("took", s.clock().Sub(start)).Msg("report rollups rebuilt")
	}
	return nil
}
