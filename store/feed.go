package store

import (
	"slices"
	"sync"
	"time"
)

// feedMaxDocs bounds the in-memory feed (about 0.4 KiB of heap per
// document in the soak): enough to cover the indexer's lag at full pipeline
// speed for ~200k mentions on 2 cores; beyond it the indexer reads the log.
const feedMaxDocs = 100_000

// feed hands the mentions of each successful Commit to the indexer in
// memory, sparing it the re-read and JSON decode of the log from bbolt (and
// the mmap pages that touches). It is only a cache of the log: a batch is
// pushed after its transaction committed, the indexer takes from it only a
// run starting right after the watermark, and whenever the feed does not
// hold that run (full, dropped, reset, or after a restart) the indexer
// reads the log as before. The watermark semantics do not change.
type feed struct {
	mu      sync.Mutex
	gen     uint64 // bumped by reset; pushes of older commits are refused
	max     int    // documents held at most; 0 disables the feed
	n       int    // documents held
	batches []feedBatch
}

// feedBatch is the documents of one Commit; docs[i] has sequence first+i.
type feedBatch struct {
	first uint64
	docs  []indexFields
}

func (b *feedBatch) last() uint64 { return b.first + uint64(len(b.docs)) - 1 }

// generation returns the current generation; Commit reads it inside its
// transaction and passes it to push.
func (f *feed) generation() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gen
}

// push queues docs committed with consecutive sequences from first, unless
// the feed is full or was reset since gen was read. Dropping is always safe.
func (f *feed) push(gen, first uint64, docs []indexFields) {
	if len(docs) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if gen != f.gen || f.n+len(docs) > f.max {
		return
	}
	// Commits finish in sequence order almost always; keep the slice sorted
	// when they do not.
	i := len(f.batches)
	for i > 0 && f.batches[i-1].first > first {
		i--
	}
	f.batches = slices.Insert(f.batches, i, feedBatch{first: first, docs: docs})
	f.n += len(docs)
}

// reset drops everything queued and refuses pushes of commits whose
// transaction ran before it. Prune calls it (under indexMu) so that a
// mention it removed from the log cannot reach bleve from memory.
func (f *feed) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	clear(f.batches)
	f.batches = f.batches[:0]
	f.n = 0
}

// take removes and returns up to max documents with consecutive sequences
// from after+1, and the sequence of the last one. It returns last 0 when the
// feed does not hold sequence after+1. Batches at or below after are
// dropped.
func (f *feed) take(after uint64, max int) (docs []indexFields, last uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	next := after + 1
	for len(f.batches) > 0 && len(docs) < max {
		b := &f.batches[0]
		if b.last() < next { // already indexed (e.g. read from the log)
			f.pop()
			continue
		}
		if b.first > next { // gap: the log has it, the feed does not
			break
		}
		skip := int(next - b.first)
		k := min(len(b.docs)-skip, max-len(docs))
		docs = append(docs, b.docs[skip:skip+k]...)
		next += uint64(k)
		if skip+k == len(b.docs) {
			f.pop()
		} else {
			f.n -= skip + k
			b.docs = b.docs[skip+k:]
			b.first = next
		}
	}
	if len(docs) == 0 {
		return nil, 0
	}
	return docs, next - 1
}

// pop drops the first batch; f.mu is held.
func (f *feed) pop() {
	f.n -= len(f.batches[0].docs)
	f.batches[0] = feedBatch{}
	f.batches = f.batches[1:]
}

// Commit backpressure: while the indexer is behind by more than
// throttleLag mentions (half the feed, so that the commits in flight
// still fit), Commit waits for it, at most maxThrottle per call (the
// Store's lagLimit and maxWait, set from these in Open). Ingest
// then runs at the speed of the index instead of running ahead, the
// indexer keeps taking mentions from memory rather than re-reading the log
// (whose pages would otherwise count towards the daemon's resident
// memory), and search stays at most a few seconds behind. A failing or
// busy indexer (Reindex holds it) costs a commit at most maxThrottle: the
// log is the source of truth and never waits for bleve for long.
const (
	throttleLag = feedMaxDocs / 2
	maxThrottle = 2 * time.Second
)

// awaitIndexer implements the backpressure above.
func (s *Store) awaitIndexer() {
	if s.lagLimit == 0 { // no indexer (Options.NoIndexer)
		return
	}
	var timeout <-chan time.Time
	for s.lastSeq.Load() > s.watermark.Load()+s.lagLimit {
		s.progressMu.Lock()
		ch, failing := s.progress, s.lastErr != nil
		s.progressMu.Unlock()
		if failing {
			return
		}
		if timeout == nil {
			t := time.NewTimer(s.maxWait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-ch:
		case <-timeout:
			return
		case <-s.done:
			return
		}
	}
}
