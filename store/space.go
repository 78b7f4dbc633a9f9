package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrNoSpace is wrapped by the errors of writes refused or failed because
// the data dir's filesystem is full (or below Options.MinFree).
var ErrNoSpace = errors.New("ingest paused: no space left on the data dir's filesystem")

// Defaults for the disk-full handling.
const (
	DefaultMinFree = 64 << 20 // bytes free below which writes pause
	MinMinFree     = 1 << 20  // the smallest reserve Options.MinFree sets
	minProbe       = time.Second
	maxProbe       = time.Minute
)

// WriteState tells whether the store accepts writes (part of Stats).
type WriteState struct {
	// Paused is true while writes (Commit, the indexer) are paused because
	// the filesystem is full; reads go on.
	Paused bool       `json:"paused"`
	Reason string     `json:"reason,omitempty"`
	Since  *time.Time `json:"since,omitempty"`
	// Probes counts the failed attempts to resume since the pause.
	Probes    int        `json:"probes,omitempty"`
	NextProbe *time.Time `json:"next_probe,omitempty"`
	// FreeBytes is what the filesystem has free for the store (-1 unknown).
	FreeBytes int64 `json:"free_bytes"`
}

// space tracks the disk-full pause. Any write that fails with ENOSPC or
// EDQUOT, or a Commit that finds less than minFree bytes free, pauses
// writes; a prober then tries, with backoff (1 s doubling to 1 min), to
// find minFree bytes free and to commit a small bbolt transaction, and
// resumes writes when both work. One log line at the pause, one at the
// resume.
type space struct {
	minFree int64 // bytes kept free: writes pause below

	mu        sync.Mutex
	paused    bool
	reason    string
	since     time.Time
	probes    int
	nextProbe time.Time
	// indexFault is set when a bleve write failed or panicked: its
	// in-memory state is not trusted, and it is reopened (rebuilt when
	// behind) before writes resume.
	indexFault bool
	resumed    chan struct{} // closed at resume; replaced at each pause
	// probeFree is the free space the last resume attempt read (-1:
	// unknown), the figure its decision rests on.
	probeFree int64
}

// isNoSpace reports whether err is a full filesystem or quota. bleve
// flattens some errors into text, hence the message check.
func isNoSpace(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, ErrNoSpace) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "disk quota exceeded")
}

// freeBytes is what an unprivileged writer can still use on dir's
// filesystem, -1 when unknown.
func freeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize) //nolint:unconvert // field types differ by platform
}

// WriteState reports whether writes are paused (also in Stats).
func (s *Store) WriteState() WriteState {
	s.space.mu.Lock()
	defer s.space.mu.Unlock()
	w := WriteState{Paused: s.space.paused, Reason: s.space.reason, Probes: s.space.probes, FreeBytes: freeBytes(s.dir)}
	if w.Paused {
		since, next := s.space.since, s.space.nextProbe
		w.Since, w.NextProbe = &since, &next
	}
	return w
}

// admit refuses a write while paused, and pauses when less than minFree
// bytes are free (before bbolt or bleve run into the wall half-way).
func (s *Store) admit() error {
	s.space.mu.Lock()
	paused, reason, since := s.space.paused, s.space.reason, s.space.since
	s.space.mu.Unlock()
	if paused {
		return fmt.Errorf("store: %w (%s, since %s)", ErrNoSpace, reason, since.UTC().Format(time.RFC3339))
	}
	if free := freeBytes(s.dir); free >= 0 && free < s.space.minFree {
		reason := fmt.Sprintf("%d bytes free, below the %d kept in reserve", free, s.space.minFree)
		s.pause(reason, false)
		return fmt.Errorf("store: %w (%s)", ErrNoSpace, reason)
	}
	return nil
}

// noteWriteErr pauses writes when err is a full filesystem; index tells
// whether bleve's write failed. It returns err, wrapping ErrNoSpace then.
func (s *Store) noteWriteErr(err error, index bool) error {
	if !isNoSpace(err) {
		return err
	}
	s.pause(err.Error(), index)
	if errors.Is(err, ErrNoSpace) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNoSpace, err)
}

// pause stops writes (once; later calls only add an index fault) and
// starts the prober.
func (s *Store) pause(reason string, indexFault bool) {
	s.space.mu.Lock()
	s.space.indexFault = s.space.indexFault || indexFault
	if s.space.paused {
		s.space.mu.Unlock()
		return
	}
	s.space.paused, s.space.reason, s.space.since, s.space.probes = true, reason, s.clock(), 0
	s.space.nextProbe = s.space.since.Add(minProbe)
	s.space.resumed = make(chan struct{})
	s.space.mu.Unlock()
	s.log.Warn().Str("reason", reason).Str("data_dir", s.dir).
		Msg("store: disk full: ingest paused, reads go on; retrying with backoff until space returns")
	go s.probeSpace()
}

// probeSpace retries until writes work again or the store closes.
func (s *Store) probeSpace() {
	wait := minProbe
	for {
		t := time.NewTimer(wait)
		select {
		case <-s.stop:
			t.Stop()
			return
		case <-t.C:
		}
		err := s.tryResume()
		if err == nil {
			return
		}
		wait = min(wait*2, maxProbe)
		s.space.mu.Lock()
		s.space.probes++
		s.space.nextProbe = s.clock().Add(wait)
		s.space.mu.Unlock()
		s.log.Debug().Err(err).Dur("retry_in", wait).Msg("store: still no space")
	}
}

// ProbeSpace tries to resume paused writes at once (the prober does it on
// its own with backoff); it returns nil when writes are accepted.
func (s *Store) ProbeSpace() error {
	s.space.mu.Lock()
	paused := s.space.paused
	s.space.mu.Unlock()
	if !paused {
		return nil
	}
	return s.tryResume()
}

// tryResume checks free space, commits a probe transaction and, after an
// index fault, reopens the index; then it lifts the pause.
func (s *Store) tryResume() error {
	s.resumeMu.Lock()
	defer s.resumeMu.Unlock()
	s.space.mu.Lock()
	paused, fault, since := s.space.paused, s.space.indexFault, s.space.since
	s.space.mu.Unlock()
	if !paused {
		return nil
	}
	if s.closed.Load() {
		return errClosed
	}
	free := freeBytes(s.dir)
	s.space.mu.Lock()
	s.space.probeFree = free
	s.space.mu.Unlock()
	if free >= 0 && free < s.space.minFree {
		return fmt.Errorf("%d bytes free, %d needed", free, s.space.minFree)
	}
	if err := s.probeWrite(); err != nil {
		return err
	}
	if fault {
		s.indexMu.Lock()
		err := s.reopenIndex(true)
		s.indexMu.Unlock()
		if err != nil {
			return err
		}
	}
	s.space.mu.Lock()
	s.space.paused, s.space.indexFault, s.space.reason = false, false, ""
	close(s.space.resumed)
	s.space.mu.Unlock()
	s.log.Info().Dur("paused_for", s.clock().Sub(since)).Str("data_dir", s.dir).
		Msg("store: space available again: ingest resumed")
	s.kick()
	return nil
}

// Resumed returns a channel closed when paused writes resume (closed at
// once when writes are not paused).
func (s *Store) Resumed() <-chan struct{} {
	s.space.mu.Lock()
	defer s.space.mu.Unlock()
	if !s.space.paused {
		c := make(chan struct{})
		close(c)
		return c
	}
	return s.space.resumed
}

// keySpaceProbe is the meta key the prober writes to test that bbolt can
// commit again.
var keySpaceProbe = []byte("space_probe")

// probeWrite commits a small transaction (the probe's time in meta).
func (s *Store) probeWrite() error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySpaceProbe, []byte(s.clock().UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return fmt.Errorf("probe write: %w", err)
	}
	return nil
}

// reopenIndex replaces an index whose write failed or panicked: bleve's
// in-memory state after a failed persist is not trusted (bleve 2.6 panics
// on a closed segment in later batches). The index is closed and opened
// again from disk. With check (at resume) openIndex compares it with the
// database and rebuilds it when it is behind (the mentions it had not
// persisted) or unreadable; without (at the fault, disk still full) it is
// only reopened as persisted, so that searches go on. The caller holds
// indexMu.
func (s *Store) reopenIndex(check bool) error {
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	if s.idx != nil {
		func() {
			defer func() {
				if r := recover(); r != nil {
					s.log.Warn().Interface("panic", r).Msg("store: closing the failed search index panicked")
				}
			}()
			if err := s.idx.Close(); err != nil {
				s.log.Warn().Err(err).Msg("store: closing the failed search index")
			}
		}()
		s.idx = nil
	}
	if !check {
		ps, err := s.reopenPartitions()
		if err != nil {
			return fmt.Errorf("reopen search index: %w", err)
		}
		s.idx = ps
		return nil
	}
	if err := s.openIndex(); err != nil {
		return fmt.Errorf("reopen search index: %w", err)
	}
	s.log.Info().Uint64("watermark", s.watermark.Load()).Msg("store: search index reopened after a failed write; the indexer catches up")
	return nil
}
