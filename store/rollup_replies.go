package store

import (
	"bytes"
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketOrphans holds the owned replies whose parent is not stored (yet):
// the parent's ID (length-prefixed) + the reply's seq → the reply's fact
// key. When the parent is stored later, in the same batch or a later
// poll, the reply is paired then. A rebuild replays the log in the same
// order with the same rule, so it pairs exactly what Commit paired.
var bucketOrphans = []byte("rollup_orphans")

// orphanPrefix is the bucketOrphans prefix of the replies to parentID.
func orphanPrefix(parentID string) []byte {
	b := binary.AppendUvarint(nil, uint64(len(parentID)))
	return append(b, parentID...)
}

func orphanKey(parentID string, replySeq uint64) []byte {
	return append(orphanPrefix(parentID), seqKey(replySeq)...)
}

// awaitsParent tells whether m is an owned reply that pairs with a parent.
func awaitsParent(m *Mention) bool {
	return m.Kind == KindOwned && m.ReplyTo != "" && m.ReplyTo != m.ID
}

// parentOf returns the stored parent of an owned reply, and its seq, when it
// was stored before the reply (lower seq); zero otherwise (the reply then
// waits in bucketOrphans for adoptReplies).
func (r *rollup) parentOf(m *Mention, seq uint64) (parentInfo, uint64) {
	if !awaitsParent(m) {
		return parentInfo{}, 0
	}
	ps := r.tx.Bucket(bucketByID).Get([]byte(m.ReplyTo))
	if ps == nil || u64(ps) >= seq {
		return parentInfo{}, 0
	}
	p, found, err := getTx(r.tx, m.ReplyTo)
	if err != nil || !found {
		return parentInfo{}, 0
	}
	return parentInfoOf(&p), u64(ps)
}

func parentInfoOf(p *Mention) parentInfo {
	return parentInfo{Published: p.Published.UTC(), Kind: p.Kind, Brands: uniqueBrands(p.Brands)}
}

// adoptReplies pairs the replies stored before their parent m (stored now
// under seq): their facts learn the parent, their cells gain the reply and
// its delay, and rollup_replies indexes them for Prune.
func (r *rollup) adoptReplies(m *Mention, seq uint64) error {
	orphans := r.tx.Bucket(bucketOrphans)
	prefix := orphanPrefix(m.ID)
	var keys, factKeys [][]byte // collected first: Delete during a walk skips keys
	c := orphans.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) == len(prefix)+8 {
			keys, factKeys = append(keys, bytes.Clone(k)), append(factKeys, bytes.Clone(v))
		}
	}
	facts, p := r.tx.Bucket(bucketFacts), parentInfoOf(m)
	for i, fk := range factKeys {
		if err := orphans.Delete(keys[i]); err != nil {
			return err
		}
		raw := facts.Get(fk)
		if raw == nil {
			continue // the reply is gone
		}
		f, err := decodeFact(fk, raw)
		if err != nil || !f.ParentPublished.IsZero() {
			continue
		}
		f.ParentPublished, f.ParentKind, f.ParentBrands = p.Published, p.Kind, p.Brands
		if err := facts.Put(fk, f.encode()); err != nil {
			return err
		}
		r.sums.touch(f)
		if err := r.tx.Bucket(bucketReplies).Put(replyKey(seq, f.Seq), fk); err != nil {
			return err
		}
		one := cellOf(f)
		r.cells.addFact(f, &Cell{Replies: one.Replies, ResponseSeconds: one.ResponseSeconds})
	}
	return nil
}

// replyKey is the rollup_replies key of a reply paired with its parent.
func replyKey(parentSeq, replySeq uint64) []byte {
	return append(seqKey(parentSeq), seqKey(replySeq)...)
}

// orphan records an unpaired owned reply (fact key fk) under its parent's ID.
func orphan(tx *bolt.Tx, f *Fact, fk []byte) error {
	return tx.Bucket(bucketOrphans).Put(orphanKey(f.ReplyTo, f.Seq), fk)
}

// responseSeconds is a paired reply's delay, at least 0 (a reply dated
// before its parent answered it at once).
func responseSeconds(f *Fact) int64 {
	return max(int64(f.Published.Sub(f.ParentPublished)/time.Second), 0)
}
