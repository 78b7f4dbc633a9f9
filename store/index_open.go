package store

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// legacyIndexDir is the single index of earshot-index-8 and before; Open
// removes it and rebuilds the weekly partitions from the database (as it
// does the monthly partitions of earshot-index-9, isMonthPartition).
const legacyIndexDir = "index.bleve"

// partKeyPrefix starts the meta keys that record, per week, the sequence
// of the last indexing step that wrote to its partition.
const partKeyPrefix = "index_part/"

// partKey is the meta key of w's partition record.
func partKey(w week) []byte { return []byte(partKeyPrefix + w.String()) }

// indexState is what the database says about the index at open.
type indexState struct {
	watermark, last uint64
	floor           week            // week of the retention cut-off (noFloor: none)
	recorded        map[week]uint64 // partKey records
	stale           [][]byte        // partKey records of another scheme (monthly)
	weeks           []week          // weeks with mentions in the log, not expired
}

// noFloor is the floor when no retention cut-off is recorded.
const noFloor = week(math.MinInt32)

// readIndexState reads the partition records, the retention floor and the
// weeks that have mentions (one bytime seek per week).
func (s *Store) readIndexState() (indexState, error) {
	st := indexState{watermark: s.watermark.Load(), last: s.lastSeq.Load(), floor: noFloor, recorded: map[week]uint64{}}
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		st.floor, _ = partFloor(tx)
		c := meta.Cursor()
		for k, v := c.Seek([]byte(partKeyPrefix)); k != nil && strings.HasPrefix(string(k), partKeyPrefix); k, v = c.Next() {
			if w, ok := parseWeek(strings.TrimPrefix(string(k), partKeyPrefix) + partSuffix); ok {
				st.recorded[w] = u64(v)
			} else {
				st.stale = append(st.stale, append([]byte{}, k...))
			}
		}
		st.weeks = weeksInLog(tx, st.floor)
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("store: read index state: %w", err)
	}
	return st, nil
}

// openIndex opens the weekly partitions under data_dir/index. A partition
// that is unreadable, from another indexVersion or from another point of
// the log than the database's record (partitionAgrees) is removed, and so
// is one of a week wholly before the retention cut-off; the database's
// watermark is then lowered to just before the first mention of each week
// whose partition is removed or missing, so that the indexer rebuilds them
// by replaying the log (re-indexing the others is idempotent). The single
// index.bleve of earshot-index-8 and the monthly partitions of 9 are
// removed (all weeks are rebuilt), as are leftovers of an interrupted
// Reindex.
func (s *Store) openIndex() error {
	legacy := filepath.Join(s.dir, legacyIndexDir)
	for _, p := range []string{legacy + newSuffix, legacy + oldSuffix} {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("store: remove stale %s: %w", p, err)
		}
	}
	if _, err := os.Stat(legacy); err == nil {
		s.log.Warn().Str("path", legacy).Str("want", indexVersion).
			Msg("search index is from another version (one index.bleve); rebuilding weekly partitions from the database")
		if err := os.RemoveAll(legacy); err != nil {
			return fmt.Errorf("store: remove index %s: %w", legacy, err)
		}
	}
	root := filepath.Join(s.dir, indexDir)
	if fi, err := os.Lstat(root); err == nil && !fi.IsDir() {
		s.log.Warn().Str("path", root).Msg("search index unreadable (not a directory); rebuilding from the database")
		if err := os.Remove(root); err != nil {
			return fmt.Errorf("store: remove index %s: %w", root, err)
		}
	}
	if err := os.MkdirAll(root, 0o750); err != nil {
		return fmt.Errorf("store: create index dir: %w", err)
	}
	st, err := s.readIndexState()
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("store: read index dir: %w", err)
	}
	ps := newPartSet(root, st.floor)
	ps.clock = s.clock
	bad := map[week]bool{}
	months := 0 // partitions of earshot-index-9, removed
	for m, idx := range s.openPartitions(root, entries, ps, st) {
		ps.by[m] = idx // before any return below, so ps.Close closes them
	}
	for _, e := range entries {
		path := filepath.Join(root, e.Name())
		if strings.HasSuffix(e.Name(), newSuffix) || strings.HasSuffix(e.Name(), oldSuffix) {
			if err := os.RemoveAll(path); err != nil {
				_ = ps.Close()
				return fmt.Errorf("store: remove stale %s: %w", path, err)
			}
			continue
		}
		m, ok := parseWeek(e.Name())
		switch {
		case !ok && isMonthPartition(e.Name()):
			months++
		case !ok:
			s.log.Warn().Str("path", path).Msg("unknown entry in the index dir left alone")
			continue
		case !e.IsDir():
			if !ps.expired(m) {
				s.log.Warn().Str("path", path).Msg("search index unreadable (partition is not a directory); rebuilding from the database")
				bad[m] = true
			}
		case !ps.expired(m):
			if ps.by[m] != nil {
				continue
			}
			bad[m] = true
		}
		if err := os.RemoveAll(path); err != nil {
			_ = ps.Close()
			return fmt.Errorf("store: remove index %s: %w", path, err)
		}
	}
	if months > 0 {
		s.log.Warn().Int("partitions", months).Str("want", indexVersion).
			Msg("search index is from another version (monthly partitions); removed, rebuilding weekly partitions from the database")
	}
	for _, m := range st.weeks {
		if ps.by[m] == nil && !bad[m] {
			if months == 0 {
				s.log.Warn().Str("path", ps.path(m)).Msg("search index missing (a week's partition); rebuilding from the database")
			}
			bad[m] = true
		}
	}
	if len(bad) > 0 || len(st.stale) > 0 {
		if err := s.replayWeeks(bad, st, len(ps.by) == 0); err != nil {
			_ = ps.Close()
			return err
		}
	}
	s.idx = ps
	return nil
}

// openPartitions opens every week directory of entries that retention
// has not expired, up to GOMAXPROCS at once: opening checks each segment's
// checksum, which reads the whole partition, so at 10M mentions (53
// partitions, 3.4 GB) a sequential open takes seconds. The map holds the
// partitions that opened and agree with the database (openPartition).
func (s *Store) openPartitions(root string, entries []os.DirEntry, ps *partSet, st indexState) map[week]bleve.Index {
	type job struct {
		m    week
		path string
	}
	var jobs []job
	for _, e := range entries {
		if m, ok := parseWeek(e.Name()); ok && e.IsDir() && !ps.expired(m) {
			jobs = append(jobs, job{m, filepath.Join(root, e.Name())})
		}
	}
	out := make([]bleve.Index, len(jobs))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = s.openPartition(j.path, st.recorded[j.m], st.last)
		}()
	}
	wg.Wait()
	opened := make(map[week]bleve.Index, len(jobs))
	for i, j := range jobs {
		if out[i] != nil {
			opened[j.m] = out[i]
		}
	}
	return opened
}

// replayWeeks lowers the watermark to just before the first mention of
// the weeks in bad (to 0 when no partition is left) and clears their
// records and the stale records of another scheme, in one transaction.
func (s *Store) replayWeeks(bad map[week]bool, st indexState, none bool) error {
	from := st.watermark
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for _, k := range st.stale {
			if err := meta.Delete(k); err != nil {
				return err
			}
		}
		for m := range bad {
			if err := meta.Delete(partKey(m)); err != nil {
				return err
			}
			if none {
				from = 0
			} else if seq, ok := firstSeq(tx, m); ok {
				from = min(from, seq-1)
			}
		}
		return meta.Put(keyWatermark, seqKey(from))
	})
	if err != nil {
		return fmt.Errorf("store: save index watermark: %w", err)
	}
	s.watermark.Store(from)
	return nil
}

// openPartition opens the partition at path when it is readable, of this
// indexVersion and agrees with the database's record (recorded); nil
// otherwise (logged).
func (s *Store) openPartition(path string, recorded, last uint64) bleve.Index {
	idx, err := openChecked(path)
	if err != nil {
		s.log.Warn().Err(err).Str("path", path).Msg("search index unreadable; rebuilding from the database")
		return nil
	}
	v, verr := idx.GetInternal(internalVersionKey)
	if verr != nil || string(v) != indexVersion {
		s.log.Warn().Str("path", path).Str("found", string(v)).Str("want", indexVersion).
			Msg("search index partition is from another version; rebuilding from the database")
		_ = idx.Close()
		return nil
	}
	if !s.partitionAgrees(idx, path, recorded, last) {
		_ = idx.Close()
		return nil
	}
	s.trimOpened(idx)
	return idx
}

// partitionAgrees compares a partition's own sequence with the database's
// record for it. Equal: current. Ahead of the record but not past the log:
// a crash came between the partition's write and the database's update (the
// record and the watermark move together, after every partition of the
// step is written), so the partition holds its week's mentions up to its
// sequence and the step is replayed from the watermark, idempotently. The
// watermark is not adopted: another partition written in the same step may
// not have persisted its documents (each bleve index persists on its own).
// Anything else (behind: an older copy; past the log: an older database;
// no record: built before the record existed) means the partition does not
// hold what the database says, and it is rebuilt: an old copy may also hold
// mentions since deleted, which catching up would not remove.
func (s *Store) partitionAgrees(idx bleve.Index, path string, recorded, last uint64) bool {
	v, err := idx.GetInternal(internalSeqKey)
	ev := s.log.Warn().Str("path", path).Uint64("db_record", recorded).Uint64("db_last_seq", last)
	switch {
	case err != nil:
		ev.Err(err).Msg("search index sequence unreadable; rebuilding from the database")
		return false
	case len(v) != 8:
		ev.Msg("search index records no sequence (built by an older version); rebuilding from the database")
		return false
	}
	seq := u64(v)
	switch {
	case seq == recorded:
		return true
	case seq > recorded && seq <= last:
		s.log.Info().Str("path", path).Uint64("seq", seq).Uint64("was", recorded).
			Msg("search index partition was ahead of the saved record (interrupted step); kept, the step is replayed")
		return true
	}
	ev.Uint64("index_seq", seq).Msg("search index is from another point in time than the database (stale or swapped); rebuilding from the database")
	return false
}

// reopenPartitions opens the partitions as persisted, without comparing
// them with the database (the disk is still full after a failed write;
// reopenIndex(true) checks them at resume). A partition that cannot be
// opened is left out and logged: searches go on over the others.
func (s *Store) reopenPartitions() (*partSet, error) {
	st, err := s.readIndexState()
	if err != nil {
		return nil, err
	}
	root := filepath.Join(s.dir, indexDir)
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("store: read index dir: %w", err)
	}
	ps := newPartSet(root, st.floor)
	ps.clock = s.clock
	for _, e := range entries {
		m, ok := parseWeek(e.Name())
		if !ok || !e.IsDir() || ps.expired(m) {
			continue
		}
		idx, err := openChecked(filepath.Join(root, e.Name()))
		if err != nil {
			s.log.Error().Err(err).Str("week", m.String()).Msg("store: search index partition unavailable until it is rebuilt")
			continue
		}
		ps.by[m] = idx
	}
	return ps, nil
}
