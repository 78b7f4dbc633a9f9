package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Limits on what Commit accepts.
const (
	maxIDBytes     = 1024
	maxSourceBytes = 512
	maxCursorBytes = 1 << 20
)

// Published times outside what UnixNano can hold are rejected.
var (
	minPublished = time.Unix(0, -1<<63+1)
	maxPublished = time.Unix(0, 1<<63-1)
)

// Commit stores the mentions not already stored (dedup by ID, also within ms;
// mentions Prune removed, that is published before its last cut-off or
// remembered by a tombstone, count as duplicates too)
// and, when cursor is not nil, the source's cursor, in one bbolt transaction:
// after a crash either all of it is stored or none of it. A zero Published is
// set to Fetched, or to the clock's time when Fetched is zero too. An invalid
// mention (empty or oversized ID, bad UTF-8 in the ID, Published out of range)
// fails the whole call and stores nothing. Commit wakes the indexer.
func (s *Store) Commit(source string, ms []Mention, cursor []byte) (CommitResult, error) {
	return s.commit(source, ms, cursor, nil)
}

// CommitPoll is Commit for a completed poll of source: with the cursor it
// records, in the same transaction, what the poll covered (cov), unless
// the source has a coverage record already (its first poll's; cov's Began
// then only lowers it). Lookback is the first poll's reach; the ingest
// pipeline passes 0 for later polls.
func (s *Store) CommitPoll(source string, ms []Mention, cursor []byte, cov SourceCoverage) (CommitResult, error) {
	if cursor == nil {
		return CommitResult{}, errors.New("store: commit poll: a completed poll saves a cursor")
	}
	return s.commit(source, ms, cursor, &cov)
}

func (s *Store) commit(source string, ms []Mention, cursor []byte, cov *SourceCoverage) (_ CommitResult, err error) {
	defer guard("commit", &err)()
	var res CommitResult
	if s.closed.Load() {
		return res, errClosed
	}
	if cursor != nil && (source == "" || len(source) > maxSourceBytes) {
		return res, fmt.Errorf("store: commit: source name must be 1..%d bytes to save a cursor", maxSourceBytes)
	}
	if len(cursor) > maxCursorBytes {
		return res, fmt.Errorf("store: commit: cursor of %d bytes exceeds %d", len(cursor), maxCursorBytes)
	}
	if len(ms) == 0 && cursor == nil {
		return res, nil
	}
	if err := s.admit(); err != nil {
		return res, err
	}
	s.awaitIndexer()
	now := s.clock()
	var last, first, gen uint64
	var docs []indexFields
	var added []Mention // for the commit hook
	var hooked bool
	err = s.db.Update(func(tx *bolt.Tx) error {
		res = CommitResult{}
		docs, first, added = docs[:0], 0, added[:0]
		gen = s.feed.generation()
		mentions := tx.Bucket(bucketMentions)
		// The log only ever appends: full pages halve its size on disk and
		// the pages a reader maps (bbolt splits at half a page by default).
		mentions.FillPercent = logFillPercent
		byID := tx.Bucket(bucketByID)
		byTime := tx.Bucket(bucketByTime)
		counts := newCounter(tx.Bucket(bucketCounts))
		rollups := newRollup(tx, s.mods)
		gone := newPrunedFilter(tx)
		if cov != nil { // before the mentions: a record they made would reach back nothing
			if err := noteCoverage(tx, source, *cov); err != nil {
				return err
			}
		}
		for i := range ms {
			m := ms[i]
			if err := validateMention(&m, now); err != nil {
				return fmt.Errorf("store: commit: mention %d: %w", i, err)
			}
			m.DeriveEngagement()
			id := []byte(m.ID)
			if byID.Get(id) != nil || gone.pruned(&m) {
				res.Duplicates++
				continue
			}
			seq, err := mentions.NextSequence()
			if err != nil {
				return err
			}
			val, err := m.appendJSON(make([]byte, 0, 512+len(m.Title)+len(m.Text)))
			if err != nil {
				return fmt.Errorf("store: commit: encode mention %q: %w", m.ID, err)
			}
			if err := mentions.Put(seqKey(seq), val); err != nil {
				return err
			}
			if err := byID.Put(id, seqKey(seq)); err != nil {
				return err
			}
			if err := byTime.Put(timeKey(m.Published, seq), nil); err != nil {
				return err
			}
			counts.add(m)
			if err := rollups.add(&m, seq); err != nil {
				return err
			}
			if err := scheduleRefresh(tx, &m, seq); err != nil {
				return err
			}
			if first == 0 {
				first = seq
			}
			f := fieldsOf(&m)
			f.Brands = slices.Clone(f.Brands) // the caller may reuse ms
			docs = append(docs, f)
			if s.hook.Load() != nil {
				added = append(added, m)
			}
			res.Added++
		}
		if err := counts.flush(); err != nil {
			return err
		}
		if err := rollups.flush(); err != nil {
			return err
		}
		if hooked, err = s.runHook(tx, added); err != nil {
			return err
		}
		if cursor != nil {
			if err := tx.Bucket(bucketCursors).Put([]byte(source), cursor); err != nil {
				return err
			}
		}
		last = mentions.Sequence()
		return nil
	})
	if err != nil {
		if errors.Is(err, berrors.ErrDatabaseNotOpen) {
			return CommitResult{}, errClosed
		}
		return CommitResult{}, s.noteWriteErr(err, false)
	}
	if res.Added > 0 {
		s.feed.push(gen, first, docs)
		// Commits finish in any order: lastSeq only ever moves forward.
		for cur := s.lastSeq.Load(); cur < last && !s.lastSeq.CompareAndSwap(cur, last); cur = s.lastSeq.Load() {
		}
		s.kick()
	}
	if hooked {
		s.afterHook()
	}
	return res, nil
}

// validateMention checks m and fills a zero Published.
func validateMention(m *Mention, now time.Time) error {
	switch {
	case m.ID == "":
		return errors.New("empty id")
	case len(m.ID) > maxIDBytes:
		return fmt.Errorf("id of %d bytes exceeds %d", len(m.ID), maxIDBytes)
	case !utf8.ValidString(m.ID):
		return fmt.Errorf("id %q is not valid utf-8", m.ID)
	}
	if m.Published.IsZero() {
		m.Published = m.Fetched
		if m.Published.IsZero() {
			m.Published = now
		}
	}
	if m.Published.Before(minPublished) || m.Published.After(maxPublished) {
		return fmt.Errorf("id %q: published %s out of range", m.ID, m.Published)
	}
	return nil
}

// Cursor returns the cursor last committed for source, nil when none.
func (s *Store) Cursor(source string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketCursors).Get([]byte(source)); v != nil {
			out = append([]byte{}, v...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: cursor %q: %w", source, err)
	}
	return out, nil
}

// Get returns the mention with the given ID.
func (s *Store) Get(id string) (_ Mention, _ bool, err error) {
	defer guard("get", &err)()
	var m Mention
	var found bool
	err = s.db.View(func(tx *bolt.Tx) error {
		var err error
		m, found, err = getTx(tx, id)
		return err
	})
	if err != nil {
		return Mention{}, false, fmt.Errorf("store: get %q: %w", id, err)
	}
	return m, found, nil
}

// getTx reads one mention by ID inside tx.
func getTx(tx *bolt.Tx, id string) (Mention, bool, error) {
	seq := tx.Bucket(bucketByID).Get([]byte(id))
	if seq == nil {
		return Mention{}, false, nil
	}
	val := tx.Bucket(bucketMentions).Get(seq)
	if val == nil {
		return Mention{}, false, fmt.Errorf("byid points at missing seq %d", u64(seq))
	}
	var m Mention
	if err := json.Unmarshal(val, &m); err != nil {
		return Mention{}, false, fmt.Errorf("decode seq %d: %w", u64(seq), err)
	}
	if m.ID != id { // a damaged id index: never serve another mention in its place
		return Mention{}, false, fmt.Errorf("byid of %q points at seq %d, which holds %q: the id index is damaged (run earshot verify)", id, u64(seq), m.ID)
	}
	return m, true, nil
}
