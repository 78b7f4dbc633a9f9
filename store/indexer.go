package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"
)

// indexWriters is how many bleve batches the indexer writes at once. bleve
// analyses and builds the segment of each batch in the calling goroutine,
// so concurrent batches overlap that work with the introduction and merging
// of the others (design notes: 2–4 writers gave 4.2–4.5k docs/s against
// 3.6–4.1k with one, on 2 cores). Each step reads indexWriters × BatchSize
// mentions and advances the watermark once all of them are in.
const indexWriters = 2

// indexConcurrently writes docs into idx as batches of size documents, up
// to indexWriters at once, and returns the errors of all failed batches.
func indexConcurrently(idx bleve.Index, docs []indexFields, size int) error {
	if len(docs) <= size {
		return indexInto(idx, docs)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	sem := make(chan struct{}, indexWriters)
	for i := 0; i < len(docs); i += size {
		chunk := docs[i:min(i+size, len(docs))]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := indexInto(idx, chunk); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Indexer retry backoff after an error.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 30 * time.Second
)

// kick wakes the indexer without blocking.
func (s *Store) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// signalProgress records the indexer's last error (nil on success) and wakes
// everything waiting in Sync.
func (s *Store) signalProgress(err error) {
	s.progressMu.Lock()
	s.lastErr = err
	close(s.progress)
	s.progress = make(chan struct{})
	s.progressMu.Unlock()
}

// runIndexer follows the mention log into bleve until Close, then drains what
// is left so that Close leaves the index caught up.
func (s *Store) runIndexer() {
	defer close(s.done)
	backoff := minBackoff
	for {
		s.gather()
		n, err := s.indexStep()
		if errors.Is(err, errIndexPaused) {
			select { // disk full: wait for the resume
			case <-s.Resumed():
			case <-s.stop:
				return
			}
			continue
		}
		if err != nil {
			s.log.Error().Err(err).Dur("retry_in", backoff).Msg("indexer failed")
			s.signalProgress(err)
			t := time.NewTimer(backoff)
			select {
			case <-s.stop:
				t.Stop()
				return
			case <-t.C:
			}
			backoff = min(backoff*2, maxBackoff)
			continue
		}
		backoff = minBackoff
		if n > 0 {
			continue
		}
		if _, err := s.drainReindex(); err != nil {
			s.log.Error().Err(err).Msg("re-indexing refreshed mentions failed; retried on the next wake-up")
		}
		select {
		case <-s.wake:
		case <-s.stop:
			for {
				n, err := s.indexStep()
				if errors.Is(err, errIndexPaused) {
					s.log.Warn().Msg("store: closing while the disk is full; the rest is indexed on next open")
					return
				}
				if err != nil {
					s.log.Error().Err(err).Msg("indexer failed while closing; the rest is replayed on next open")
					return
				}
				if n == 0 {
					return
				}
			}
		}
	}
}

// Sync waits until everything committed (or refreshed, ApplyRefreshes)
// before the call is indexed, ctx is done, or the store is closed. When the indexer is failing, the error
// returned on ctx expiry includes its last error.
func (s *Store) Sync(ctx context.Context) error {
	target := s.lastSeq.Load()
	s.flushNow()
	s.kick()
	for {
		s.progressMu.Lock()
		ch, lastErr := s.progress, s.lastErr
		s.progressMu.Unlock()
		if s.watermark.Load() >= target {
			// Mentions whose counts a refresh changed in place too.
			if _, err := s.drainReindex(); err != nil {
				return fmt.Errorf("store: sync: %w", err)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return fmt.Errorf("store: sync: %w (indexer: %v)", ctx.Err(), lastErr)
			}
			return fmt.Errorf("store: sync: %w", ctx.Err())
		case <-s.done:
			if s.watermark.Load() >= target {
				return nil
			}
			return errClosed
		case <-ch:
		}
	}
}

// Reindex rebuilds every partition of the search index from bbolt, each
// into a new directory, partitions in parallel (at most GOMAXPROCS at
// once), then swaps them in. Searches keep using the old partitions while
// they build; commits go on and are indexed into the new partitions after
// the swap (the watermark is lowered to where the build started).
func (s *Store) Reindex(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	s.maintMu.Lock() // a Prune meanwhile would leave pruned docs in the new index
	defer s.maintMu.Unlock()
	start := s.clock()
	snapshot := s.lastSeq.Load()
	st, err := s.readIndexState()
	if err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	s.idxMu.RLock()
	ps := s.idx
	s.idxMu.RUnlock()
	if ps == nil {
		return errClosed
	}
	built, err := s.buildWeeks(ctx, ps, st.weeks)
	if err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	if reindexBuiltHook != nil {
		reindexBuiltHook(s)
	}

	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	if s.closed.Load() {
		closeAll(built)
		return errClosed
	}
	// Lower the watermark and record the new partitions' sequence first: if
	// we crash during the renames, an old partition is ahead of its record
	// (kept, replayed) and a new one agrees with it.
	done := min(snapshot, s.watermark.Load())
	for m, idx := range built {
		err := setIndexSeq(idx, done)
		if cerr := idx.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close new partition %s: %w", m, cerr)
		}
		if err != nil {
			closeAll(built)
			removeNew(ps, built)
			return fmt.Errorf("store: reindex: %w", err)
		}
	}
	if err := s.setWatermarkParts(done, mapKeys(built)); err != nil {
		removeNew(ps, built)
		return fmt.Errorf("store: reindex: %w", err)
	}
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	if ps = s.idx; ps == nil { // reopenIndex may have replaced the set meanwhile
		removeNew(newPartSet(filepath.Join(s.dir, indexDir), noFloor), built)
		return errClosed
	}
	var errs []error
	for _, m := range ps.weeks() { // partitions of weeks without mentions go
		if _, ok := built[m]; !ok {
			errs = append(errs, s.dropPartition(ps, m))
		}
	}
	for m := range built {
		errs = append(errs, s.swapPartition(ps, m))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	s.log.Info().Uint64("mentions", snapshot).Int("partitions", len(built)).Dur("took", s.clock().Sub(start)).Msg("search index rebuilt")
	s.kick()
	return nil
}

// reindexBuiltHook, when set (tests), runs between the build and the swap.
var reindexBuiltHook func(*Store)

// buildWeeks builds the partition of each week into its .new directory,
// up to GOMAXPROCS at once, and returns them open.
func (s *Store) buildWeeks(ctx context.Context, ps *partSet, weeks []week) (map[week]bleve.Index, error) {
	built := make(map[week]bleve.Index, len(weeks))
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for _, m := range weeks {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			idx, err := s.buildWeek(ctx, ps.path(m)+newSuffix, m)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("partition %s: %w", m, err))
				return
			}
			built[m] = idx
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		closeAll(built)
		removeNew(ps, built)
		return nil, err
	}
	return built, nil
}

// buildWeek indexes m's mentions from the log into a new index at path.
func (s *Store) buildWeek(ctx context.Context, path string, m week) (bleve.Index, error) {
	if err := os.RemoveAll(path); err != nil {
		return nil, err
	}
	idx, err := createIndex(path)
	if err != nil {
		return nil, err
	}
	var next []byte
	for {
		if err := ctx.Err(); err != nil {
			_ = idx.Close()
			return nil, err
		}
		docs, more, err := s.readWeek(m, next, s.batch*indexWriters)
		if err == nil {
			err = indexConcurrently(idx, docs, s.batch)
		}
		if err != nil {
			_ = idx.Close()
			return nil, err
		}
		if more == nil {
			return idx, nil
		}
		next = more
	}
}

// swapPartition replaces m's live partition (if any) with the one built in
// its .new directory and opens it. The caller holds idxMu.
func (s *Store) swapPartition(ps *partSet, m week) error {
	path := ps.path(m)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if old := ps.by[m]; old != nil {
		if err := old.Close(); err != nil {
			s.log.Warn().Err(err).Str("path", path).Msg("reindex: closing old partition")
		}
		delete(ps.by, m)
	}
	if err := os.RemoveAll(path + oldSuffix); err != nil {
		return err
	}
	if err := os.Rename(path, path+oldSuffix); err != nil && !errors.Is(err, os.ErrNotExist) {
		return s.reopenPartition(ps, m, err)
	}
	if err := os.Rename(path+newSuffix, path); err != nil {
		_ = os.Rename(path+oldSuffix, path)
		return s.reopenPartition(ps, m, err)
	}
	idx, err := openExisting(path)
	if err != nil {
		return fmt.Errorf("reopen %s: %w", path, err)
	}
	ps.by[m] = idx
	if err := os.RemoveAll(path + oldSuffix); err != nil {
		s.log.Warn().Err(err).Str("path", path+oldSuffix).Msg("reindex: removing old partition")
	}
	return nil
}

// reopenPartition reopens m's partition after a failed rename so that the
// store stays usable, and returns cause. The caller holds ps.mu.
func (s *Store) reopenPartition(ps *partSet, m week, cause error) error {
	idx, err := openExisting(ps.path(m))
	if err != nil {
		return fmt.Errorf("%w; reopening partition: %v", cause, err)
	}
	ps.by[m] = idx
	return cause
}

// dropPartition closes m's partition, removes its directory and its record
// in the database. The caller holds idxMu or indexMu.
func (s *Store) dropPartition(ps *partSet, m week) error {
	ps.mu.Lock()
	idx := ps.by[m]
	delete(ps.by, m)
	ps.mu.Unlock()
	if idx != nil {
		if err := idx.Close(); err != nil {
			s.log.Warn().Err(err).Str("week", m.String()).Msg("closing a dropped partition")
		}
	}
	if err := os.RemoveAll(ps.path(m)); err != nil {
		return fmt.Errorf("drop partition %s: %w", m, err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(partKey(m)) })
	if err != nil {
		return fmt.Errorf("drop partition %s: %w", m, err)
	}
	return nil
}

func closeAll(idxs map[week]bleve.Index) {
	for _, idx := range idxs {
		_ = idx.Close()
	}
}

func removeNew(ps *partSet, built map[week]bleve.Index) {
	for m := range built {
		_ = os.RemoveAll(ps.path(m) + newSuffix)
	}
}

func mapKeys(built map[week]bleve.Index) []week {
	out := make([]week, 0, len(built))
	for m := range built {
		out = append(out, m)
	}
	return out
}
