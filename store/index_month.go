package store

import (
	"bytes"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

func unixNano(n int64) time.Time { return time.Unix(0, n).UTC() }

// monthBounds are the first bytime keys of m and of the month after it.
func monthBounds(m month) (lo, hi []byte) {
	return timeBound(m.start()), timeBound((m + 1).start())
}

// monthsInLog lists the months, from floor on, that have mentions in the
// log, oldest first: one bytime seek per month.
func monthsInLog(tx *bolt.Tx, floor month) []month {
	c := tx.Bucket(bucketByTime).Cursor()
	lo, _ := monthBounds(floor)
	var out []month
	for k, _ := c.Seek(lo); k != nil; {
		m := monthOf(unixNano(int64(u64(k[:8]) ^ (1 << 63))))
		out = append(out, m)
		_, next := monthBounds(m)
		k, _ = c.Seek(next)
	}
	return out
}

// firstSeq is the lowest log sequence of m's mentions (a scan of the
// month's bytime keys, without reading the mentions).
func firstSeq(tx *bolt.Tx, m month) (uint64, bool) {
	lo, hi := monthBounds(m)
	c := tx.Bucket(bucketByTime).Cursor()
	var first uint64
	found := false
	for k, _ := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, _ = c.Next() {
		if seq := u64(k[8:]); !found || seq < first {
			first, found = seq, true
		}
	}
	return first, found
}

// readMonth decodes up to max of m's mentions whose bytime key is at or
// after from, in one short read transaction, and returns the key to
// continue from (nil at the month's end).
func (s *Store) readMonth(m month, from []byte, max int) (docs []indexFields, next []byte, err error) {
	lo, hi := monthBounds(m)
	if from == nil {
		from = lo
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		log := tx.Bucket(bucketMentions)
		c := tx.Bucket(bucketByTime).Cursor()
		k, _ := c.Seek(from)
		for ; k != nil && bytes.Compare(k, hi) < 0 && len(docs) < max; k, _ = c.Next() {
			v := log.Get(k[8:])
			if v == nil {
				continue
			}
			var f indexFields
			if err := json.Unmarshal(v, &f); err != nil {
				s.log.Error().Err(err).Uint64("seq", u64(k[8:])).Msg("undecodable mention skipped by reindex")
				continue
			}
			docs = append(docs, f)
		}
		if k != nil && bytes.Compare(k, hi) < 0 {
			next = append([]byte{}, k...)
		}
		return nil
	})
	return docs, next, err
}
