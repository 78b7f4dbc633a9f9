package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
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

// Reindex rebuilds the search index from bbolt into a new directory, then
// swaps it in. Searches keep using the old index while it builds; commits go
// on and are indexed into the new index after the swap.
func (s *Store) Reindex(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	s.maintMu.Lock() // a Prune meanwhile would leave pruned docs in the new index
	defer s.maintMu.Unlock()
	path := filepath.Join(s.dir, indexDir)
	tmp := path + newSuffix
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	idx, err := createIndex(tmp)
	if err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = idx.Close()
			_ = os.RemoveAll(tmp)
		}
	}()
	snapshot := s.lastSeq.Load()
	start := s.clock()
	var done uint64
	for done < snapshot {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("store: reindex: %w", err)
		}
		docs, last, err := s.readLog(done, s.batch*indexWriters)
		if err != nil {
			return fmt.Errorf("store: reindex: read log: %w", err)
		}
		if last == 0 {
			break
		}
		if err := indexConcurrently(idx, docs, s.batch); err != nil {
			return fmt.Errorf("store: reindex: %w", err)
		}
		done = last
	}

	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	if s.closed.Load() {
		return errClosed
	}
	// Lower the watermark first: if we crash during the renames, the worst
	// case is a missing index dir (rebuilt on open) or replayed docs.
	if err := s.setWatermark(min(done, s.watermark.Load())); err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	if err := setIndexSeq(idx, done); err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	if err := idx.Close(); err != nil {
		return fmt.Errorf("store: reindex: close new index: %w", err)
	}
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	if err := s.idx.Close(); err != nil {
		s.log.Warn().Err(err).Msg("reindex: closing old index")
	}
	s.idx = nil
	old := path + oldSuffix
	if err := os.Rename(path, old); err != nil {
		return s.reopenAfterFailedSwap(path, fmt.Errorf("store: reindex: %w", err))
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Rename(old, path)
		return s.reopenAfterFailedSwap(path, fmt.Errorf("store: reindex: %w", err))
	}
	ok = true
	nidx, err := openExisting(path)
	if err != nil {
		return fmt.Errorf("store: reindex: reopen: %w", err)
	}
	s.idx = nidx
	if err := s.setWatermark(done); err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	if err := os.RemoveAll(old); err != nil {
		s.log.Warn().Err(err).Str("path", old).Msg("reindex: removing old index")
	}
	s.log.Info().Uint64("mentions", done).Dur("took", s.clock().Sub(start)).Msg("search index rebuilt")
	s.kick()
	return nil
}

// reopenAfterFailedSwap reopens the index at path after a failed rename so
// that the store stays usable, and returns cause.
func (s *Store) reopenAfterFailedSwap(path string, cause error) error {
	idx, err := openExisting(path)
	if err != nil {
		return fmt.Errorf("%w; reopening index: %v", cause, err)
	}
	s.idx = idx
	return cause
}
