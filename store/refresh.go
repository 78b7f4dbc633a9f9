package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RefreshAges is THE schedule of engagement refreshes: a mention whose
// network can look its counts up again is re-read when it is this old
// (time since Published), at the first age later than the age at which its
// counts were last read. A post first read at 20 minutes is refreshed at
// 1 h, 6 h, 24 h, 72 h and 7 days; one first read at 30 hours (a backfill)
// only at 72 h and 7 days; a refresh that runs late (daemon down, budget
// spent) is done once and the next age is the first one after it, so no
// burst of catch-up reads follows. docs/report.md prints this table and a
// test holds the two together.
var RefreshAges = []time.Duration{time.Hour, 6 * time.Hour, 24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour}

// refreshGiveUp is how long after its last scheduled age a refresh that
// keeps failing is given up: the mention keeps the counts last read.
const refreshGiveUp = 24 * time.Hour

// bucketRefreshDue is the refresh schedule: due time (8 sortable bytes) +
// seq → mention ID, one entry per mention with a refresh still to come, so
// the refresher reads what is due without scanning the store.
// bucketReindex lists mentions whose indexed fields changed in place
// (seq → nil); the indexer re-indexes them once the watermark covers them.
var (
	bucketRefreshDue = []byte("refresh_due")
	bucketReindex    = []byte("reindex")
)

// nextRefresh is when a mention published at pub whose counts were read at
// read should next be refreshed; ok is false when no age is left.
func nextRefresh(pub, read time.Time) (time.Time, bool) {
	age := read.Sub(pub)
	for _, a := range RefreshAges {
		if a > age {
			return pub.Add(a), true
		}
	}
	return time.Time{}, false
}

// refreshable says whether Commit schedules m's refreshes: mentions that
// came with counts (networks without counts — feeds, web pages, Naver —
// have nothing to refresh).
func refreshable(m *Mention) bool { return len(m.Engagement) > 0 }

// scheduleRefresh puts a newly stored mention into the refresh schedule.
func scheduleRefresh(tx *bolt.Tx, m *Mention, seq uint64) error {
	if !refreshable(m) {
		return nil
	}
	read := m.EngagementAt
	if read.IsZero() {
		read = m.Fetched
	}
	if read.IsZero() {
		read = m.Published
	}
	due, ok := nextRefresh(m.Published, read)
	if !ok {
		return nil
	}
	return tx.Bucket(bucketRefreshDue).Put(timeKey(due, seq), []byte(m.ID))
}

// Due is one mention whose refresh is due.
type Due struct {
	Key       []byte // its schedule entry; hand it back in a Refreshed
	At        time.Time
	ID        string
	Network   string
	Source    string
	NativeID  string
	URL       string
	IsReply   bool // it answers another post
	Published time.Time
}

// DueRefreshes returns up to limit mentions whose refresh is due at now,
// the longest overdue first, after the schedule entry after (nil: from the
// start; pass the last Due.Key to read on). Schedule entries of mentions no
// longer stored (pruned) are dropped.
func (s *Store) DueRefreshes(now time.Time, after []byte, limit int) ([]Due, error) {
	var out []Due
	var stale [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRefreshDue).Cursor()
		k, v := c.First()
		if after != nil {
			if k, v = c.Seek(after); k != nil && string(k) == string(after) {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(out) < limit; k, v = c.Next() {
			if len(k) == 16 && keyTime(k).After(now) {
				break
			}
			m, found, err := getTx(tx, string(v))
			if err != nil || !found || len(k) != 16 || u64(tx.Bucket(bucketByID).Get(v)) != u64(k[8:]) {
				stale = append(stale, append([]byte{}, k...))
				continue
			}
			out = append(out, Due{Key: append([]byte{}, k...), At: keyTime(k), ID: m.ID, Network: m.Network,
				Source: m.Source, NativeID: m.NativeID, URL: m.URL, IsReply: m.ReplyTo != "", Published: m.Published})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: due refreshes: %w", err)
	}
	if len(stale) > 0 {
		err = s.db.Update(func(tx *bolt.Tx) error {
			for _, k := range stale {
				if err := tx.Bucket(bucketRefreshDue).Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("store: drop stale refreshes: %w", err)
		}
	}
	return out, nil
}

// keyTime reads the time of a timeKey.
func keyTime(k []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[:8])^(1<<63))).UTC()
}

// Refresh outcomes.
const (
	RefreshUpdated = iota // Counts were read: the mention takes them
	RefreshGone           // the network no longer serves the post: counts kept, next age scheduled
	RefreshFailed         // the lookup failed: retried at RetryAt
)

// Refreshed is the outcome of one due refresh.
type Refreshed struct {
	Key     []byte // Due.Key
	ID      string
	Outcome int
	Counts  map[string]int64 // the network's counts (RefreshUpdated)
	At      time.Time        // when the counts were read
	RetryAt time.Time        // RefreshFailed: when to try again
}

// RefreshResult counts what ApplyRefreshes did.
type RefreshResult struct {
	Updated   int // mentions whose counts were replaced
	Changed   int // ... of which the counts differed
	Gone      int
	Retried   int // failed lookups rescheduled
	GivenUp   int // failed past their last age: counts kept, no more refreshes
	Finished  int // refreshed at their last age
	Unmatched int // schedule entries already handled (a repeated call) or no longer stored
}

// ApplyRefreshes records refresh outcomes in one bbolt transaction: each
// updated mention takes the new counts (merged over its Engagement: a count
// the lookup does not give keeps its last value; then the totals derived
// from it, Mention.DeriveEngagement, and EngagementAt) in the log, its fact and its rollup cells change by the
// difference between cellOf(new) and cellOf(old) — the rule Commit adds and
// Prune takes away, so the three cannot disagree and a rebuild from the log
// gives the same rollups — and its next refresh is scheduled (RefreshAges).
// An outcome whose schedule entry is already gone is ignored, so applying
// the same outcomes twice changes nothing. Changed mentions are re-indexed
// (search sorts by engagement) after the transaction.
func (s *Store) ApplyRefreshes(rs []Refreshed) (RefreshResult, error) {
	var res RefreshResult
	if s.closed.Load() {
		return res, errClosed
	}
	if len(rs) == 0 {
		return res, nil
	}
	if err := s.admit(); err != nil { // a full disk pauses refreshes like commits
		return res, err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		res = RefreshResult{}
		a := refreshTx{tx: tx, due: tx.Bucket(bucketRefreshDue), cells: cellSums{}}
		for i := range rs {
			if err := a.apply(&rs[i], &res); err != nil {
				return err
			}
		}
		return (&rollup{tx: tx, cells: a.cells, sums: a.sums, mods: s.mods}).flush()
	})
	if err != nil {
		if errors.Is(err, errClosed) {
			return RefreshResult{}, errClosed
		}
		return RefreshResult{}, fmt.Errorf("store: apply refreshes: %w", s.noteWriteErr(err, false))
	}
	if res.Changed > 0 {
		s.kick()
	}
	return res, nil
}

// refreshTx applies refresh outcomes inside one transaction.
type refreshTx struct {
	tx    *bolt.Tx
	due   *bolt.Bucket
	cells cellSums
	sums  hourSums
}

func (a *refreshTx) apply(r *Refreshed, res *RefreshResult) error {
	if len(r.Key) != 16 || a.due.Get(r.Key) == nil || string(a.due.Get(r.Key)) != r.ID {
		res.Unmatched++
		return nil
	}
	if err := a.due.Delete(r.Key); err != nil {
		return err
	}
	seqB := a.tx.Bucket(bucketByID).Get([]byte(r.ID))
	if seqB == nil || u64(seqB) != u64(r.Key[8:]) {
		res.Unmatched++
		return nil
	}
	seq := u64(seqB)
	m, _, err := getTx(a.tx, r.ID)
	if err != nil {
		return err
	}
	read := r.At
	switch r.Outcome {
	case RefreshUpdated:
		res.Updated++
		changed, err := a.update(&m, seq, r)
		if err != nil {
			return err
		}
		if changed {
			res.Changed++
		}
	case RefreshGone:
		res.Gone++
	default:
		last := m.Published.Add(RefreshAges[len(RefreshAges)-1])
		if r.RetryAt.After(last.Add(refreshGiveUp)) {
			res.GivenUp++
			return nil
		}
		res.Retried++
		return a.due.Put(timeKey(r.RetryAt, seq), []byte(r.ID))
	}
	if next, ok := nextRefresh(m.Published, read); ok {
		return a.due.Put(timeKey(next, seq), []byte(r.ID))
	}
	res.Finished++
	return nil
}

// update replaces m's counts, rewriting it in the log, its fact and its
// cells by the difference; changed is false when the counts were the same.
func (a *refreshTx) update(m *Mention, seq uint64, r *Refreshed) (changed bool, err error) {
	old := *m
	m.Engagement = make(map[string]int64, len(old.Engagement)+len(r.Counts))
	for k, v := range old.Engagement {
		m.Engagement[k] = v // a count the lookup does not give keeps its last value
	}
	for k, v := range r.Counts {
		m.Engagement[k] = v
	}
	m.EngagementAt = r.At.UTC()
	m.DeriveEngagement()
	fkey := timeKey(old.Published, seq)
	facts := a.tx.Bucket(bucketFacts)
	var before *Fact
	if v := facts.Get(fkey); v != nil {
		if before, err = decodeFact(fkey, v); err != nil {
			return false, err
		}
	} else {
		before = factOf(&old, seq, parentInfo{})
	}
	after := factOf(m, seq, parentInfo{Published: before.ParentPublished, Kind: before.ParentKind, Brands: before.ParentBrands})
	d := cellOf(after)
	o := cellOf(before)
	d.sub(&o)
	changed = d != (Cell{}) || !sameCounts(old.Engagement, m.Engagement)
	val, err := m.appendJSON(make([]byte, 0, 512+len(m.Title)+len(m.Text)))
	if err != nil {
		return false, fmt.Errorf("encode mention %q: %w", m.ID, err)
	}
	if err := a.tx.Bucket(bucketMentions).Put(seqKey(seq), val); err != nil {
		return false, err
	}
	if err := facts.Put(fkey, after.encode()); err != nil {
		return false, err
	}
	a.sums.touch(after)
	if d != (Cell{}) {
		a.cells.addFact(after, &d)
	}
	if changed {
		if err := a.tx.Bucket(bucketReindex).Put(seqKey(seq), nil); err != nil {
			return false, err
		}
	}
	return changed, nil
}

func sameCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// drainReindex re-indexes the mentions changed in place (ApplyRefreshes)
// that the indexer has already passed (seq ≤ watermark); the others are
// indexed, with their new fields, when the indexer reaches them. It runs
// under indexMu, like indexStep.
func (s *Store) drainReindex() (int, error) {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	total := 0
	for {
		wm := s.watermark.Load()
		var keys [][]byte
		var docs []indexFields
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketReindex).Cursor()
			for k, _ := c.First(); k != nil && u64(k) <= wm && len(keys) < s.batch; k, _ = c.Next() {
				keys = append(keys, append([]byte{}, k...))
				if v := tx.Bucket(bucketMentions).Get(k); v != nil {
					var m Mention
					if err := json.Unmarshal(v, &m); err == nil {
						docs = append(docs, fieldsOf(&m))
					}
				}
			}
			return nil
		})
		if err != nil || len(keys) == 0 {
			return total, err
		}
		s.idxMu.RLock()
		ps := s.idx
		if ps == nil {
			s.idxMu.RUnlock()
			return total, errClosed
		}
		_, err = ps.index(docs, s.batch)
		s.idxMu.RUnlock()
		if err != nil {
			return total, fmt.Errorf("store: re-index refreshed mentions: %w", err)
		}
		err = s.db.Update(func(tx *bolt.Tx) error {
			for _, k := range keys {
				if err := tx.Bucket(bucketReindex).Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("store: clear re-indexed mentions: %w", err)
		}
		total += len(docs)
	}
}
