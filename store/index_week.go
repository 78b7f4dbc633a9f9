package store

import (
	"bytes"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

func unixNano(n int64) time.Time { return time.Unix(0, n).UTC() }

// weekBounds are the first bytime keys of w and of the week after it.
func weekBounds(w week) (lo, hi []byte) {
	return timeBound(w.start()), timeBound((w + 1).start())
}

// weeksInLog lists the weeks, from floor on, that have mentions in the
// log, oldest first: one bytime seek per week.
func weeksInLog(tx *bolt.Tx, floor week) []week {
	c := tx.Bucket(bucketByTime).Cursor()
	lo, _ := weekBounds(floor)
	var out []week
	for k, _ := c.Seek(lo); k != nil; {
		w := weekOf(unixNano(int64(u64(k[:8]) ^ (1 << 63))))
		out = append(out, w)
		_, next := weekBounds(w)
		k, _ = c.Seek(next)
	}
	return out
}

// firstSeq is the lowest log sequence of w's mentions (a scan of the
// week's bytime keys, without reading the mentions).
func firstSeq(tx *bolt.Tx, w week) (uint64, bool) {
	lo, hi := weekBounds(w)
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

// readWeek decodes up to max of w's mentions whose bytime key is at or
// after from, in one short read transaction, and returns the key to
// continue from (nil at the week's end).
func (s *Store) readWeek(w week, from []byte, max int) (docs []indexFields, next []byte, err error) {
	lo, hi := weekBounds(w)
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

// partFloor is the week of the retention cut-off as the index sees it
// (ok false when no cut-off is recorded): the cut-off's week, or the week
// of the oldest mention in the log when that is older. Partitions of weeks
// before it hold only pruned mentions. A prune records its cut-off before
// it deletes the mentions, batch after batch, so until they are all gone
// (or when it is interrupted) the oldest weeks still have mentions in the
// database, and their partitions must stay.
func partFloor(tx *bolt.Tx) (floor week, ok bool) {
	v := tx.Bucket(bucketMeta).Get(keyPrunedBefore)
	if len(v) != 8 {
		return noFloor, false
	}
	floor = weekOf(unixNano(int64(u64(v))))
	if k, _ := tx.Bucket(bucketByTime).Cursor().First(); k != nil {
		floor = min(floor, weekOf(unixNano(int64(u64(k[:8])^(1<<63)))))
	}
	return floor, true
}
