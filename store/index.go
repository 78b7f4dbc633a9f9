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

// openIndex opens dir/index.bleve, or builds an empty one (watermark 0, so
// the indexer replays the whole log) when it is missing, unreadable or from
// another indexVersion. Leftovers of an interrupted Reindex are removed.
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
			s.idx = idx
			return nil
		}
		_ = idx.Close()
		s.log.Warn().Str("path", path).Str("found", string(v)).Str("want", indexVersion).
			Msg("search index is from another version; rebuilding from the database")
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
func indexInto(idx bleve.Index, docs []indexFields) error {
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
	s.idxMu.RUnlock()
	if err != nil {
		return 0, fmt.Errorf("store: index seq %d..%d: %w", wm+1, last, err)
	}
	// bleve may now hold docs the watermark does not cover; a crash here
	// replays them, which is idempotent (same doc ID, same content).
	if err := s.setWatermark(last); err != nil {
		return 0, err
	}
	return int(last - wm), nil
}

// openExisting opens an index this process has just built.
func openExisting(path string) (bleve.Index, error) {
	idx, err := bleve.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return idx, nil
}
