package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	bolt "go.etcd.io/bbolt"
)

// pruner removes mentions inside one transaction: the records keyed by the
// mention directly at once, the summed rollups (counters, cells, links,
// terms) as deltas merged once in flush, like Commit's rollup in reverse.
type pruner struct {
	tx                                             *bolt.Tx
	mentions, byID, byTime, facts, replyIdx, unidx *bolt.Bucket
	tombs, orphans                                 *bolt.Bucket
	now                                            time.Time
	log                                            zerolog.Logger

	counts map[string]uint64
	cells  cellSums
	links  map[string]int64
	terms  map[string]map[string]int64
	sums   hourSums

	replies, tombstones int
}

func newPruner(tx *bolt.Tx, now time.Time, log zerolog.Logger) *pruner {
	return &pruner{
		tx: tx, now: now, log: log,
		mentions: tx.Bucket(bucketMentions), byID: tx.Bucket(bucketByID), byTime: tx.Bucket(bucketByTime),
		facts: tx.Bucket(bucketFacts), replyIdx: tx.Bucket(bucketReplies), unidx: tx.Bucket(bucketUnindex),
		tombs: tx.Bucket(bucketTombstones), orphans: tx.Bucket(bucketOrphans),
		counts: map[string]uint64{}, cells: cellSums{}, links: map[string]int64{},
		terms: map[string]map[string]int64{},
	}
}

// remove deletes the mention under bytime key k and its contributions.
func (p *pruner) remove(k []byte) error {
	if len(k) != 16 {
		return p.byTime.Delete(k) // not a key Commit writes
	}
	seq := k[8:]
	if err := p.byTime.Delete(k); err != nil {
		return err
	}
	var m *Mention
	if v := p.mentions.Get(seq); v != nil {
		m = &Mention{}
		if err := json.Unmarshal(v, m); err != nil {
			p.log.Error().Err(err).Uint64("seq", u64(seq)).Msg("retention: undecodable mention pruned; its term counts stay")
			m = nil
		}
		if err := p.mentions.Delete(seq); err != nil {
			return err
		}
	}
	if err := dropPhrases(p.tx, seq); err != nil {
		return err
	}
	var f *Fact
	if v := p.facts.Get(k); v != nil {
		var err error
		if f, err = decodeFact(k, v); err != nil {
			p.log.Error().Err(err).Uint64("seq", u64(seq)).Msg("retention: undecodable fact pruned; rebuild the rollups")
			f = nil
		}
		if err := p.facts.Delete(k); err != nil {
			return err
		}
	}
	if m == nil && f == nil {
		return nil // a dangling bytime key
	}
	id := ""
	if m != nil {
		id = m.ID
	} else {
		id = f.ID
	}
	if cur := p.byID.Get([]byte(id)); cur != nil && bytes.Equal(cur, seq) {
		if err := p.byID.Delete([]byte(id)); err != nil {
			return err
		}
	}
	if err := p.unidx.Put([]byte(id), seq); err != nil {
		return err
	}
	if m != nil && m.PublishedEstimated {
		if err := p.tombs.Put([]byte(id), seqKey(uint64(p.now.UnixNano()))); err != nil {
			return err
		}
		p.tombstones++
	}
	if f == nil { // no rollup record: count what the mention says
		f = factOf(m, u64(seq), parentInfo{})
	}
	p.count(f)
	p.sums.touch(f) // its hour's sum is recomputed without it
	if err := p.unpairReplies(u64(seq)); err != nil {
		return err
	}
	if !f.ParentPublished.IsZero() {
		if ps := p.byID.Get([]byte(f.ReplyTo)); ps != nil {
			if err := p.replyIdx.Delete(replyKey(u64(ps), u64(seq))); err != nil {
				return err
			}
		}
	} else if f.Kind == KindOwned && f.ReplyTo != "" {
		if err := p.orphans.Delete(orphanKey(f.ReplyTo, f.Seq)); err != nil {
			return err
		}
	}
	one := cellOf(f)
	p.cells.addFact(f, &one)
	if f.Kind == KindMention && len(f.LinkHosts) > 0 {
		p.links[string(linkKey(hourKey(f.Published), f.Network, f.LinkHosts))]++
	}
	if m != nil {
		countTerms(p.terms, m, hourKey(f.Published), f.Brands)
	}
	return nil
}

// count takes the mention out of the Stats counters (as counter.add).
func (p *pruner) count(f *Fact) {
	p.counts[string(keyTotal)]++
	for _, b := range f.Brands {
		p.counts[countBrandPrefix+b]++
	}
	if f.Network != "" {
		p.counts[countNetworkPrefix+f.Network]++
	}
}

// unpairReplies handles the replies paired with a pruned parent: a rebuild
// would no longer pair them, so their reply count and response time leave
// their cells and their facts forget the parent.
func (p *pruner) unpairReplies(parentSeq uint64) error {
	prefix := seqKey(parentSeq)
	var keys, factKeys [][]byte // collected first: Delete during a walk skips keys
	c := p.replyIdx.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		keys, factKeys = append(keys, append([]byte{}, k...)), append(factKeys, append([]byte{}, v...))
	}
	for i, fk := range factKeys {
		if err := p.replyIdx.Delete(keys[i]); err != nil {
			return err
		}
		raw := p.facts.Get(fk)
		if raw == nil {
			continue // the reply is gone already
		}
		f, err := decodeFact(fk, raw)
		if err != nil || f.ParentPublished.IsZero() {
			continue
		}
		one := cellOf(f)
		p.cells.addFact(f, &Cell{Replies: one.Replies, ResponseSeconds: one.ResponseSeconds})
		f.ParentPublished, f.ParentKind, f.ParentBrands = time.Time{}, "", nil
		if err := p.facts.Put(fk, f.encode()); err != nil {
			return err
		}
		p.sums.touch(f)
		if err := orphan(p.tx, f, fk); err != nil { // as a rebuild would leave it
			return err
		}
		p.replies++
	}
	return nil
}

// flush subtracts the accumulated deltas; a record that reaches zero is
// deleted, as a rebuild would never have written it.
func (p *pruner) flush() error {
	counts := p.tx.Bucket(bucketCounts)
	for k, d := range p.counts {
		key := []byte(k)
		if n := u64(counts.Get(key)); n > d {
			var v [8]byte
			binary.BigEndian.PutUint64(v[:], n-d)
			if err := counts.Put(key, v[:]); err != nil {
				return err
			}
		} else if err := counts.Delete(key); err != nil {
			return err
		}
	}
	cells := p.tx.Bucket(bucketCells)
	for k, d := range p.cells {
		key := []byte(k)
		v := cells.Get(key)
		if v == nil {
			continue
		}
		var c Cell
		if err := c.decode(v); err != nil {
			return fmt.Errorf("rollup cell: %w", err)
		}
		c.sub(d)
		var err error
		if c.Count <= 0 {
			err = cells.Delete(key)
		} else {
			err = cells.Put(key, c.encode())
		}
		if err != nil {
			return err
		}
	}
	if err := p.flushLinks(); err != nil {
		return err
	}
	if err := p.sums.flush(p.tx); err != nil {
		return fmt.Errorf("rollup hour sums: %w", err)
	}
	return p.flushTerms()
}

func (p *pruner) flushLinks() error {
	b := p.tx.Bucket(bucketLinks)
	for k, d := range p.links {
		key := []byte(k)
		v := b.Get(key)
		if v == nil {
			continue
		}
		n, m := binary.Varint(v)
		if m <= 0 {
			return fmt.Errorf("rollup links: unreadable count under %x", key)
		}
		var err error
		if n -= d; n <= 0 {
			err = b.Delete(key)
		} else {
			err = b.Put(key, binary.AppendVarint(nil, n))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// flushTerms subtracts term counts; a day+brand list left empty is deleted
// (a rebuild writes an empty list only for mentions without words).
func (p *pruner) flushTerms() error {
	b := p.tx.Bucket(bucketTerms)
	for k, sub := range p.terms {
		key := []byte(k)
		v := b.Get(key)
		if v == nil {
			continue
		}
		old, err := decodeTerms(v)
		if err != nil {
			return fmt.Errorf("rollup terms: %w", err)
		}
		left := make(map[string]int64, len(old))
		for _, tc := range old {
			if n := tc.Count - sub[tc.Term]; n > 0 {
				left[tc.Term] = n
			}
		}
		if len(left) == 0 {
			err = b.Delete(key)
		} else {
			err = b.Put(key, encodeTerms(left))
		}
		if err != nil {
			return err
		}
	}
	return nil
}
