package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// internalVersionKey holds indexVersion inside the bleve index.
var internalVersionKey = []byte("earshot_index_version")

// internalSeqKey holds, inside the bleve index, the last log sequence whose
// mentions the index holds: the index's own watermark. It is compared with
// the database's watermark at open, so an index.bleve swapped in from
// another time (a restored copy, an old snapshot) is not served as current.
var internalSeqKey = []byte("earshot_index_seq")

// openIndex opens dir/index.bleve, or builds an empty one (watermark 0, so
// the indexer replays the whole log) when it is missing, unreadable, from
// another indexVersion, or from another point of the log than the
// database's watermark (indexAgrees). Leftovers of an interrupted Reindex
// are removed.
func (s *Store) openIndex() error {
	path := filepath.Join(s.dir, indexDir)
	for _, p := range []string{path + newSuffix, path + oldSuffix} {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("store: remove stale %s: %w", p, err)
		}
	}
	idx, err := openChecked(path)
	switch {
	case err == nil:
		v, verr := idx.GetInternal(internalVersionKey)
		if verr == nil && string(v) == indexVersion {
			if s.indexAgrees(idx, path) {
				s.idx = idx
				return nil
			}
		} else {
			s.log.Warn().Str("path", path).Str("found", string(v)).Str("want", indexVersion).
				Msg("search index is from another version; rebuilding from the database")
		}
		_ = idx.Close()
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		if s.lastSeq.Load() > 0 {
			s.log.Warn().Str("path", path).Msg("search index missing; rebuilding from the database")
		}
	default:
		s.log.Warn().Err(err).Str("path", path).Msg("search index unreadable; rebuilding from the database")
	}
	if err := os.RemoveAll(path); err != nil {
		return fmt.Errorf("store: remove index %s: %w", path, err)
	}
	idx, err = createIndex(path)
	if err != nil {
		return err
	}
	if err := s.setWatermark(0); err != nil {
		_ = idx.Close()
		return err
	}
	s.idx = idx
	return nil
}

// indexAgrees compares the index's own watermark with the database's. Equal:
// the index is current. Ahead, but not past the log: a crash came between
// the index write and the database's watermark update, so the database
// adopts the index's (the mentions in between are in the index). Anything
// else (behind: an older index.bleve; past the log: an older database; no
// record: an index built before the record existed) means the index does
// not hold what the database says, and it is rebuilt: an old index may also
// hold mentions since deleted, which catching up would not remove.
func (s *Store) indexAgrees(idx bleve.Index, path string) bool {
	wm, last := s.watermark.Load(), s.lastSeq.Load()
	v, err := idx.GetInternal(internalSeqKey)
	ev := s.log.Warn().Str("path", path).Uint64("db_watermark", wm).Uint64("db_last_seq", last)
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
	case seq == wm:
		return true
	case seq > wm && seq <= last:
		if err := s.setWatermark(seq); err != nil {
			ev.Err(err).Msg("could not adopt the search index's sequence; rebuilding from the database")
			return false
		}
		s.log.Info().Uint64("seq", seq).Uint64("was", wm).Msg("search index was ahead of the saved watermark (interrupted step); adopted")
		return true
	}
	ev.Uint64("index_seq", seq).Msg("search index is from another point in time than the database (stale or swapped); rebuilding from the database")
	return false
}

// setIndexSeq records in idx that it holds every mention up to seq.
func setIndexSeq(idx bleve.Index, seq uint64) error {
	if err := idx.SetInternal(internalSeqKey, seqKey(seq)); err != nil {
		return fmt.Errorf("store: record index sequence: %w", err)
	}
	return nil
}

// createIndex creates an empty index with the earshot mapping at path.
func createIndex(path string) (bleve.Index, error) {
	im, err := newIndexMapping()
	if err != nil {
		return nil, fmt.Errorf("store: index mapping: %w", err)
	}
	idx, err := bleve.New(path, im)
	if err != nil {
		return nil, fmt.Errorf("store: create index %s: %w", path, err)
	}
	if err := idx.SetInternal(internalVersionKey, []byte(indexVersion)); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("store: create index %s: %w", path, err)
	}
	if err := setIndexSeq(idx, 0); err != nil {
		_ = idx.Close()
		return nil, err
	}
	return idx, nil
}

// setWatermark persists and publishes the last indexed sequence.
func (s *Store) setWatermark(seq uint64) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyWatermark, seqKey(seq))
	})
	if err != nil {
		return fmt.Errorf("store: save index watermark: %w", err)
	}
	s.watermark.Store(seq)
	s.signalProgress(nil)
	return nil
}

// readLog decodes up to max mentions with seq > after, in one short read
// transaction (long read transactions would block bbolt from growing).
func (s *Store) readLog(after uint64, max int) (docs []indexFields, last uint64, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketMentions).Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil && len(docs) < max; k, v = c.Next() {
			var f indexFields
			if err := json.Unmarshal(v, &f); err != nil {
				// Never stop the log on one bad record: index what we can.
				s.log.Error().Err(err).Uint64("seq", u64(k)).Msg("undecodable mention skipped by indexer")
				last = u64(k)
				continue
			}
			docs = append(docs, f)
			last = u64(k)
		}
		return nil
	})
	return docs, last, err
}

// indexInto writes docs into idx as one bleve batch.
func indexInto(idx bleve.Index, docs []indexFields) (err error) {
	defer func() { // bleve panics on some failed writes (disk full)
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: bleve panicked: %v", errIndexFault, r)
		}
	}()
	b := idx.NewBatch()
	for _, d := range docs {
		if err := b.Index(d.ID, indexDoc(d)); err != nil {
			return fmt.Errorf("index %q: %w", d.ID, err)
		}
	}
	return idx.Batch(b)
}

// indexStep indexes the next batch after the watermark into the live index
// and advances the watermark. It returns how many log records it consumed.
func (s *Store) indexStep() (int, error) {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	wm := s.watermark.Load()
	if wm >= s.lastSeq.Load() {
		return 0, nil
	}
	if err := s.admit(); err != nil {
		return 0, errIndexPaused
	}
	docs, last := s.feed.take(wm, s.batch*indexWriters)
	if last == 0 { // not in memory (feed full, behind, or reopened): read the log
		var err error
		docs, last, err = s.readLog(wm, s.batch*indexWriters)
		if err != nil {
			return 0, fmt.Errorf("store: read log after %d: %w", wm, err)
		}
	}
	if last == 0 {
		return 0, nil
	}
	s.idxMu.RLock()
	idx := s.idx
	if idx == nil {
		s.idxMu.RUnlock()
		return 0, errClosed
	}
	err := indexConcurrently(idx, docs, s.batch)
	if err == nil {
		err = setIndexSeq(idx, last)
	}
	s.idxMu.RUnlock()
	if err != nil {
		err = fmt.Errorf("store: index seq %d..%d: %w", wm+1, last, err)
		return 0, s.indexFailed(err)
	}
	// bleve may now hold docs the watermark does not cover; a crash here
	// replays them, which is idempotent (same doc ID, same content), or
	// adopts the index's sequence at the next open (indexAgrees).
	if err := s.setWatermark(last); err != nil {
		return 0, s.noteWriteErr(err, false)
	}
	return int(last - wm), nil
}

// errIndexPaused is indexStep's answer while writes are paused.
var errIndexPaused = errors.New("store: indexer paused: no space")

// errIndexFault marks a bleve write that panicked.
var errIndexFault = errors.New("search index write failed")

// indexFailed handles a failed bleve write (the caller holds indexMu): the
// index is not trusted after it (bleve may have closed a segment it still
// serves), so it is reopened as persisted; when the filesystem is full,
// writes pause and the index is checked against the database (rebuilt
// when behind) at resume.
func (s *Store) indexFailed(err error) error {
	if free := freeBytes(s.dir); isNoSpace(err) || free >= 0 && free < s.space.minFree {
		err = s.noteWriteErr(err, true)
		if !errors.Is(err, ErrNoSpace) {
			s.pause(err.Error(), true)
		}
		if rerr := s.reopenIndex(false); rerr != nil {
			s.log.Error().Err(rerr).Msg("store: search index unavailable until space returns")
		}
		return err
	}
	if errors.Is(err, errIndexFault) {
		if rerr := s.reopenIndex(true); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	return err
}

// openExisting opens an index this process has just built.
func openExisting(path string) (bleve.Index, error) {
	idx, err := bleve.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return idx, nil
}
