package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"
)

// rollupVersion is the layout of the derived rollup buckets; a data dir
// whose meta says otherwise (or nothing, with mentions stored) has its
// rollups rebuilt from the mention log on Open.
const rollupVersion = "8" // 2: rollup_replies added; 3: interactions/exposure, replies paired in any order; 4: term counts per UTC hour (were UTC days); 5: facts say when their counts were read; 6: coverage per source (was per network); 7: term counts skip the words of URLs; 8: hour sums (rollup_hoursum.go)

// Rollup buckets: derived from the mention log, kept in the same transaction
// as the mention, rebuildable by RebuildRollups.
var (
	bucketCells = []byte("rollup_cells") // hour + network\0brand\0kind → cell
	bucketFacts = []byte("rollup_facts") // published + seq → compact fact
	bucketTerms = []byte("rollup_terms") // UTC hour + brand → sorted term counts
	// bucketReplies indexes owned replies by the parent they were paired
	// with: parent seq + reply seq → the reply's fact key, so that Prune can
	// take a pruned parent's response time out of the replies it keeps.
	bucketReplies = []byte("rollup_replies")
	// bucketOrphans: owned replies waiting for their parent (rollup_replies.go).

	keyRollupVersion = []byte("rollup_version")
)

// Cell is the rollup of the mentions published in one UTC hour on one
// network for one brand and kind. Brand "" is the all-mentions cell: every
// mention counts once there, whatever brands it matched (and also when it
// matched only topics), so category volume is exact.
type Cell struct {
	Hour    time.Time // start of the UTC hour
	Network string
	Brand   string // "" = every mention once
	Kind    string // KindMention or KindOwned

	Count      int64
	Positive   int64 // SentimentLabel "positive"
	Neutral    int64 // "neutral"
	Negative   int64 // "negative"; unlabelled mentions are in Count only
	Engagement int64 // interactions: sum of EngagementTotal (negative totals count as 0)
	Reach      int64 // sum of AuthorFollowers where known
	// ReachKnown counts the mentions whose author's followers are known
	// (> 0); Exposure sums views/impressions over the ExposureKnown
	// mentions that have them. Coverage of a figure = known ÷ Count.
	ReachKnown, Exposure, ExposureKnown int64
	// SentimentSum is the sum of Sentiment over the labelled mentions.
	SentimentSum float64
	// Replies counts owned posts that answer a stored mention (paired
	// whenever both are stored, in any order: rollup_replies.go);
	// ResponseSeconds sums their delays (reply published − parent
	// published, at least 0).
	Replies         int64
	ResponseSeconds int64
	// Estimated counts the mentions (in Count) whose date is estimated
	// (PublishedEstimated: stamped when seen): the report leaves them out
	// of day and hour figures.
	Estimated int64
}

// cellFields is how many varints a cell value holds (sentiment in micro units).
const cellFields = 13

func (c *Cell) add(o *Cell) { c.merge(o, 1) }

func (c *Cell) sub(o *Cell) { c.merge(o, -1) }

// merge adds sign × o to c, field by field.
func (c *Cell) merge(o *Cell, sign int64) {
	c.Count += sign * o.Count
	c.Positive += sign * o.Positive
	c.Neutral += sign * o.Neutral
	c.Negative += sign * o.Negative
	c.Engagement += sign * o.Engagement
	c.Reach += sign * o.Reach
	c.SentimentSum += float64(sign) * o.SentimentSum
	c.Replies += sign * o.Replies
	c.ResponseSeconds += sign * o.ResponseSeconds
	c.ReachKnown += sign * o.ReachKnown
	c.Exposure += sign * o.Exposure
	c.ExposureKnown += sign * o.ExposureKnown
	c.Estimated += sign * o.Estimated
}

func (c *Cell) encode() []byte {
	b := make([]byte, 0, cellFields*3)
	for _, v := range []int64{c.Count, c.Positive, c.Neutral, c.Negative, c.Engagement, c.Reach,
		int64(math.Round(c.SentimentSum * 1e6)), c.Replies, c.ResponseSeconds, c.ReachKnown, c.Exposure, c.ExposureKnown, c.Estimated} {
		b = binary.AppendVarint(b, v)
	}
	return b
}

func (c *Cell) decode(b []byte) error {
	var vs [cellFields]int64
	for i := range vs {
		v, n := binary.Varint(b)
		if n <= 0 {
			return fmt.Errorf("cell field %d unreadable", i)
		}
		vs[i], b = v, b[n:]
	}
	c.Count, c.Positive, c.Neutral, c.Negative, c.Engagement, c.Reach = vs[0], vs[1], vs[2], vs[3], vs[4], vs[5]
	c.SentimentSum = float64(vs[6]) / 1e6
	c.Replies, c.ResponseSeconds = vs[7], vs[8]
	c.ReachKnown, c.Exposure, c.ExposureKnown = vs[9], vs[10], vs[11]
	c.Estimated = vs[12]
	return nil
}

// hourKey encodes the UTC hour of t as 8 sortable bytes.
func hourKey(t time.Time) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(hourOf(t))^(1<<63))
	return k[:]
}

// hourOf is t's hour counted from the Unix epoch (floor, also before 1970).
func hourOf(t time.Time) int64 {
	s := t.Unix()
	h := s / 3600
	if s%3600 < 0 {
		h--
	}
	return h
}

func cellKey(hour []byte, network, brand, kind string) []byte {
	k := make([]byte, 0, 8+len(network)+len(brand)+len(kind)+2)
	k = append(k, hour...)
	k = append(k, network...)
	k = append(k, 0)
	k = append(k, brand...)
	k = append(k, 0)
	return append(k, kind...)
}

// parseCellKey splits a cell key, making strings with intern; ok is false
// for a malformed key.
func parseCellKey(k []byte, intern func([]byte) string) (hour int64, network, brand, kind string, ok bool) {
	if len(k) < 10 {
		return 0, "", "", "", false
	}
	hour = int64(binary.BigEndian.Uint64(k[:8]) ^ (1 << 63))
	rest := k[8:]
	i := bytes.IndexByte(rest, 0)
	if i < 0 {
		return 0, "", "", "", false
	}
	j := bytes.IndexByte(rest[i+1:], 0)
	if j < 0 {
		return 0, "", "", "", false
	}
	return hour, intern(rest[:i]), intern(rest[i+1 : i+1+j]), intern(rest[i+2+j:]), true
}

// rollup accumulates the derived records of one Commit in memory and merges
// them into the rollup buckets once, at the end of the transaction.
type rollup struct {
	tx    *bolt.Tx
	cells cellSums
	terms map[string]map[string]int64 // day+brand key → term → count
	links map[string]int64            // link key → mentions
	sums  hourSums
	mods  *modTracker // told the days flush writes (modified.go)
}

func newRollup(tx *bolt.Tx, mods *modTracker) *rollup {
	return &rollup{tx: tx, cells: cellSums{}, terms: map[string]map[string]int64{}, mods: mods}
}

// add records m, stored under seq. Only called for newly stored mentions.
func (r *rollup) add(m *Mention, seq uint64) error {
	parent, pseq := r.parentOf(m, seq)
	f := factOf(m, seq, parent)
	if err := r.tx.Bucket(bucketFacts).Put(timeKey(m.Published, seq), f.encode()); err != nil {
		return err
	}
	if pseq != 0 {
		if err := r.tx.Bucket(bucketReplies).Put(replyKey(pseq, seq), timeKey(m.Published, seq)); err != nil {
			return err
		}
	} else if awaitsParent(m) {
		if err := orphan(r.tx, f, timeKey(m.Published, seq)); err != nil {
			return err
		}
	}
	one := cellOf(f)
	r.cells.addFact(f, &one)
	r.sums.add(f)
	if err := r.adoptReplies(m, seq); err != nil {
		return err
	}
	if err := noteCollection(r.tx, m); err != nil {
		return err
	}
	r.addLinks(hourKey(m.Published), f)
	countTerms(r.terms, m, hourKey(m.Published), f.Brands)
	return nil
}

// flush merges the accumulated cells and term counts into bbolt.
func (r *rollup) flush() error {
	r.noteModified() // modified.go: the days it writes, bumped once committed
	cells := r.tx.Bucket(bucketCells)
	for k, d := range r.cells {
		key := []byte(k)
		if v := cells.Get(key); v != nil {
			var old Cell
			if err := old.decode(v); err != nil {
				return fmt.Errorf("rollup cell: %w", err)
			}
			d.add(&old)
		}
		if err := cells.Put(key, d.encode()); err != nil {
			return err
		}
	}
	if err := r.flushLinks(); err != nil {
		return err
	}
	if err := r.sums.flush(r.tx); err != nil {
		return fmt.Errorf("rollup hour sums: %w", err)
	}
	return r.flushTerms()
}

// ensureRollups rebuilds the rollups when they are missing or from another
// version; called by Open.
func (s *Store) ensureRollups() error {
	var need bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyRollupVersion)
		need = string(v) != rollupVersion
		return nil
	})
	if err != nil || !need {
		return err
	}
	if s.lastSeq.Load() > 0 {
		s.log.Warn().Uint64("mentions", s.lastSeq.Load()).Msg("report rollups missing or outdated; rebuilding from the database")
	}
	return s.rebuildRollups(context.Background())
}
