package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// internalVersionKey holds indexVersion inside the bleve index.
var internalVersionKey = []byte("earshot_index_version")

// internalSeqKey holds, inside each partition, the sequence of the last
// indexing step that wrote to it: the partition holds every mention of its
// week up to that sequence. It is compared with the database's record for
// the partition (partKey) at open, so a partition swapped in from another
// time (a restored copy, an old snapshot) is not served as current.
var internalSeqKey = []byte("earshot_index_seq")

// setIndexSeq records in idx that it holds every mention up to seq.
func setIndexSeq(idx bleve.Index, seq uint64) error {
	if err := idx.SetInternal(internalSeqKey, seqKey(seq)); err != nil {
		return fmt.Errorf("store: record index sequence: %w", err)
	}
	return nil
}

// createIndex creates an empty index with the earshot mapping at path.
func createIndex(path string) (bleve.Index, error) { return createIndexWith(path, nil) }

// createIndexWith is createIndex with bleve's index config (nil: its
// defaults; tests use it to keep bleve's own merges off).
func createIndexWith(path string, config map[string]any) (bleve.Index, error) {
	im, err := newIndexMapping()
	if err != nil {
		return nil, fmt.Errorf("store: index mapping: %w", err)
	}
	var idx bleve.Index
	if config == nil {
		idx, err = bleve.New(path, im)
	} else {
		idx, err = bleve.NewUsing(path, im, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, config)
	}
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

// setWatermarkParts persists the last indexed sequence and, in the same
// transaction, records it as the sequence of the partitions of weeks
// (partKey): what each partition's own record must equal at open.
func (s *Store) setWatermarkParts(seq uint64, weeks []week) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for _, m := range weeks {
			if err := meta.Put(partKey(m), seqKey(seq)); err != nil {
				return err
			}
		}
		return meta.Put(keyWatermark, seqKey(seq))
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
	wm, target := s.watermark.Load(), s.lastSeq.Load()
	if wm >= target {
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
	if last == 0 { // the log holds nothing after wm up to target: Prune took it
		if err := s.setWatermarkParts(target, nil); err != nil {
			return 0, s.noteWriteErr(err, false)
		}
		return int(target - wm), nil
	}
	s.idxMu.RLock()
	ps := s.idx
	if ps == nil {
		s.idxMu.RUnlock()
		return 0, errClosed
	}
	weeks, err := ps.index(docs, s.batch)
	if err == nil {
		err = ps.setSeq(weeks, last)
	}
	s.idxMu.RUnlock()
	if err != nil {
		err = fmt.Errorf("store: index seq %d..%d: %w", wm+1, last, err)
		return 0, s.indexFailed(err)
	}
	// The partitions may now hold docs the watermark does not cover; a crash
	// here replays them, which is idempotent (same doc ID, same content),
	// and keeps the partitions ahead of their record (partitionAgrees).
	if err := s.setWatermarkParts(last, weeks); err != nil {
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
