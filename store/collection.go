package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketCollection holds, per network, when collection began: the
// earliest Fetched time of a mention stored for it (its Published when
// Fetched is zero), as Unix nanoseconds. Commit keeps it in the mention's
// transaction and a rebuild recomputes it from the log, so both agree.
// Reports compare against it: a previous period that starts before
// collection began was only partly collected.
var bucketCollection = []byte("rollup_collection")

// noteCollection lowers the network's collection start to m's first-seen time.
func noteCollection(tx *bolt.Tx, m *Mention) error {
	if m.Network == "" {
		return nil
	}
	t := m.Fetched
	if t.IsZero() {
		t = m.Published
	}
	b := tx.Bucket(bucketCollection)
	if v := b.Get([]byte(m.Network)); len(v) == 8 && int64(binary.BigEndian.Uint64(v)) <= t.UnixNano() {
		return nil
	}
	return b.Put([]byte(m.Network), binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())))
}

// CollectionBegan returns, per network, when the first mention stored for
// it was fetched (UTC).
func (s *Store) CollectionBegan(ctx context.Context) (map[string]time.Time, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCollection).ForEach(func(k, v []byte) error {
			if len(v) != 8 {
				return fmt.Errorf("collection start of %q unreadable", k)
			}
			out[string(k)] = time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC()
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: collection began: %w", err)
	}
	return out, nil
}
