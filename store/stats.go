package store

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Stats describes the store. Counts come from rollup counters kept in the
// same transaction as the mentions, so they are exact and cheap.
type Stats struct {
	Mentions   uint64            `json:"mentions"`    // mentions stored
	IndexedSeq uint64            `json:"indexed_seq"` // last log sequence indexed into bleve
	LastSeq    uint64            `json:"last_seq"`    // last log sequence committed
	IndexLag   uint64            `json:"index_lag"`   // LastSeq - IndexedSeq
	Brands     map[string]uint64 `json:"brands"`      // mentions per matched brand
	Networks   map[string]uint64 `json:"networks"`    // mentions per network
	DBBytes    int64             `json:"db_bytes"`    // bbolt file size
	IndexBytes int64             `json:"index_bytes"` // bleve directory size
	Writes     WriteState        `json:"writes"`      // paused while the disk is full
	// Verify is the last `earshot verify` (or weekly check), nil if none.
	Verify *VerifyRecord `json:"verify,omitempty"`
}

// Stats returns current figures; errors reading them are logged and leave
// the affected figures zero.
func (s *Store) Stats() Stats {
	st := Stats{
		Brands:     map[string]uint64{},
		Networks:   map[string]uint64{},
		IndexedSeq: s.watermark.Load(),
		LastSeq:    s.lastSeq.Load(),
		Writes:     s.WriteState(),
		Verify:     s.LastVerify(),
	}
	if st.LastSeq > st.IndexedSeq {
		st.IndexLag = st.LastSeq - st.IndexedSeq
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCounts).ForEach(func(k, v []byte) error {
			key, n := string(k), u64(v)
			switch {
			case key == string(keyTotal):
				st.Mentions = n
			case strings.HasPrefix(key, countBrandPrefix):
				st.Brands[key[len(countBrandPrefix):]] = n
			case strings.HasPrefix(key, countNetworkPrefix):
				st.Networks[key[len(countNetworkPrefix):]] = n
			}
			return nil
		})
	})
	if err != nil {
		s.log.Warn().Err(err).Msg("reading store counters")
	}
	if fi, err := os.Stat(filepath.Join(s.dir, dbFile)); err == nil {
		st.DBBytes = fi.Size()
	}
	_ = filepath.WalkDir(filepath.Join(s.dir, indexDir), func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // files come and go while bleve merges
		}
		if !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				st.IndexBytes += fi.Size()
			}
		}
		return nil
	})
	return st
}
