package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketPhrases keeps, per mention (seq), the noun phrases a report's
// phrase sample tagged in its title and text, with the version of the
// extractor that tagged them (KeepPhrases). A mention's title and text
// never change once stored (Commit skips a known ID; refresh and rescore
// rewrite counts and sentiment only), so a record stays valid until its
// mention is pruned (retention deletes it with the mention) or the
// extractor's version changes (the record is then ignored and replaced).
// The bucket is created by the first KeepPhrases; a rebuild of the
// rollups keeps it (it depends on no other rollup).
var bucketPhrases = []byte("rollup_phrases")

// KeptPhrases returns the phrases kept for the mentions ids by the
// extractor version: out[i] is ids[i]'s phrases (non-nil, maybe empty)
// when kept[i], else nil (not kept, kept by another version, or the
// mention is not stored).
func (s *Store) KeptPhrases(ids []string, version string) (out [][]string, kept []bool, err error) {
	defer guard("kept phrases", &err)()
	out, kept = make([][]string, len(ids)), make([]bool, len(ids))
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPhrases)
		if b == nil {
			return nil
		}
		byID := tx.Bucket(bucketByID)
		for i, id := range ids {
			seq := byID.Get([]byte(id))
			if seq == nil {
				continue
			}
			v := b.Get(seq)
			if v == nil {
				continue
			}
			ps, ok, err := decodePhrases(v, version)
			if err != nil {
				return fmt.Errorf("seq %d: %w", u64(seq), err)
			}
			out[i], kept[i] = ps, ok
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: kept phrases: %w", err)
	}
	return out, kept, nil
}

// KeepPhrases records phrases[i] as the phrases of mention ids[i] tagged
// by the extractor version, replacing what was kept; an ID no longer
// stored is skipped.
func (s *Store) KeepPhrases(version string, ids []string, phrases [][]string) (err error) {
	defer guard("keep phrases", &err)()
	if len(ids) != len(phrases) {
		return fmt.Errorf("store: keep phrases: %d IDs, %d phrase lists", len(ids), len(phrases))
	}
	if len(ids) == 0 {
		return nil
	}
	if s.closed.Load() {
		return errClosed
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketPhrases)
		if err != nil {
			return err
		}
		byID := tx.Bucket(bucketByID)
		for i, id := range ids {
			seq := byID.Get([]byte(id))
			if seq == nil {
				continue
			}
			if err := b.Put(seq, encodePhrases(version, phrases[i])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: keep phrases: %w", err)
	}
	return nil
}

// dropPhrases deletes the kept phrases of the mention seq (retention).
func dropPhrases(tx *bolt.Tx, seq []byte) error {
	if b := tx.Bucket(bucketPhrases); b != nil {
		return b.Delete(seq)
	}
	return nil
}

// encodePhrases is a phrases record: the version and the phrases, each
// a uvarint length and its bytes, after their uvarint count.
func encodePhrases(version string, ps []string) []byte {
	n := 2*binary.MaxVarintLen64 + len(version)
	for _, p := range ps {
		n += binary.MaxVarintLen64 + len(p)
	}
	out := make([]byte, 0, n)
	out = binary.AppendUvarint(out, uint64(len(version)))
	out = append(out, version...)
	out = binary.AppendUvarint(out, uint64(len(ps)))
	for _, p := range ps {
		out = binary.AppendUvarint(out, uint64(len(p)))
		out = append(out, p...)
	}
	return out
}

var errPhraseRecord = errors.New("undecodable phrases record")

// decodePhrases reads a phrases record; ok is false when it was kept by
// another version than version.
func decodePhrases(v []byte, version string) (ps []string, ok bool, err error) {
	d := factDecoder{b: v}
	if string(d.raw()) != version {
		return nil, false, d.err
	}
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return nil, false, errPhraseRecord
	}
	ps = make([]string, 0, n)
	for j := uint64(0); j < n && d.err == nil; j++ {
		ps = append(ps, d.str())
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, false, errPhraseRecord
	}
	return ps, true, nil
}

// walkPhrases checks that every kept phrases record belongs to a stored
// mention and decodes (whatever its version).
func (v *verifier) walkPhrases(ctx context.Context) error {
	exists := false
	if err := v.db.View(func(tx *bolt.Tx) error { exists = tx.Bucket(bucketPhrases) != nil; return nil }); err != nil || !exists {
		return err
	}
	return v.chunks(ctx, bucketPhrases, func(tx *bolt.Tx, k, val []byte) {
		if len(k) != 8 || tx.Bucket(bucketMentions).Get(k) == nil {
			v.rep.add("rollup_phrases", k, "kept phrases of seq %d, which is not in the mentions log", u64(k))
			return
		}
		d := factDecoder{b: val}
		if _, _, err := decodePhrases(val, string(d.raw())); err != nil || d.err != nil {
			v.rep.add("rollup_phrases", k, "does not decode")
		}
	})
}
