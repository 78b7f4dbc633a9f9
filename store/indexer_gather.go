package store

import "time"

// DefaultIndexGather is how long the indexer waits, after a commit wakes
// it, for more commits to fill a bleve batch (Options.IndexGather). At a
// live pace (4,000 mentions/s in commits of a few hundred) it indexed each
// commit as its own batch: a bleve segment, a persist and a watermark
// write each, and the segments merged again and again. Gathering indexes
// the same mentions in fewer, larger batches; a search sees a mention at
// most this much later. Sync never waits for it (docs/performance.md,
// "Live ingest CPU").
const DefaultIndexGather = 250 * time.Millisecond

// gather waits, before an index step, until a batch of mentions is
// waiting to be indexed, the gather time has passed since the first one,
// Sync asks for everything now (s.flush), or the store closes. It returns
// at once when nothing or a full batch is waiting, or gathering is off.
func (s *Store) gather() {
	if s.gatherFor <= 0 || !s.shouldGather() {
		return
	}
	t := time.NewTimer(s.gatherFor)
	defer t.Stop()
	for s.shouldGather() {
		select {
		case <-s.wake: // another commit: enough now?
		case <-s.flush:
			return
		case <-s.stop:
			return
		case <-t.C:
			return
		}
	}
}

// shouldGather reports whether some, but less than a batch of, mentions
// wait to be indexed.
func (s *Store) shouldGather() bool {
	wm, last := s.watermark.Load(), s.lastSeq.Load()
	return last > wm && last-wm < uint64(s.batch)
}

// flushNow makes a gathering indexer index what is waiting without
// waiting for more.
func (s *Store) flushNow() {
	select {
	case s.flush <- struct{}{}:
	default:
	}
}
