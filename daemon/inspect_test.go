package daemon_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// dbState is what the fault tests read straight from a stopped daemon's
// bbolt file, independently of the store package's code (the layout is the
// one store/doc.go documents: mentions, byid, cursors, counts, meta).
type dbState struct {
	ids       map[string]dbMention // mention ID → what is stored
	logN      int                  // records in the mentions log
	byIDN     int                  // entries in byid
	total     uint64               // counts/total
	lastSeq   uint64               // mentions bucket sequence
	watermark uint64               // meta/watermark: last seq indexed
	cursors   map[string][]byte
}

type dbMention struct {
	ID       string `json:"id"`
	Source   string `json:"source"`
	NativeID string `json:"native_id"`
	Text     string `json:"text"`
	seq      uint64
}

// readDB opens dataDir/earshot.db read-only and checks its internal
// consistency: every log record decodes, IDs are unique, byid points at the
// record with that ID, and the counters agree.
func readDB(dataDir string) (*dbState, error) {
	path := filepath.Join(dataDir, "earshot.db")
	st := &dbState{ids: map[string]dbMention{}, cursors: map[string][]byte{}}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return st, nil // killed before the store was created: nothing stored
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		ms, byID, cur, counts, meta := tx.Bucket([]byte("mentions")), tx.Bucket([]byte("byid")),
			tx.Bucket([]byte("cursors")), tx.Bucket([]byte("counts")), tx.Bucket([]byte("meta"))
		if ms == nil && byID == nil && cur == nil && counts == nil && meta == nil {
			return nil // killed between creating the file and its buckets (one transaction)
		}
		if ms == nil || byID == nil || cur == nil || counts == nil || meta == nil {
			return fmt.Errorf("missing bucket (mentions %v, byid %v, cursors %v, counts %v, meta %v)",
				ms != nil, byID != nil, cur != nil, counts != nil, meta != nil)
		}
		st.lastSeq = ms.Sequence()
		st.watermark = be64(meta.Get([]byte("watermark")))
		st.total = be64(counts.Get([]byte("total")))
		err := ms.ForEach(func(k, v []byte) error {
			st.logN++
			var m dbMention
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("log record %x: %w", k, err)
			}
			m.seq = be64(k)
			if m.seq == 0 || m.seq > st.lastSeq {
				return fmt.Errorf("log record %q has seq %d beyond the sequence %d", m.ID, m.seq, st.lastSeq)
			}
			if prev, dup := st.ids[m.ID]; dup {
				return fmt.Errorf("mention %q stored twice (seq %d and %d)", m.ID, prev.seq, m.seq)
			}
			st.ids[m.ID] = m
			return nil
		})
		if err != nil {
			return err
		}
		err = byID.ForEach(func(k, v []byte) error {
			st.byIDN++
			m, ok := st.ids[string(k)]
			if !ok || m.seq != be64(v) {
				return fmt.Errorf("byid %q → seq %d, log has it at seq %d (present %v)", k, be64(v), m.seq, ok)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return cur.ForEach(func(k, v []byte) error {
			st.cursors[string(k)] = append([]byte(nil), v...)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if st.logN != st.byIDN || uint64(st.logN) != st.total {
		return nil, fmt.Errorf("%s: %d log records, %d byid entries, counts/total %d: must be equal", path, st.logN, st.byIDN, st.total)
	}
	if st.watermark > st.lastSeq {
		return nil, fmt.Errorf("%s: index watermark %d is ahead of the log (%d)", path, st.watermark, st.lastSeq)
	}
	return st, nil
}

func be64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// hnCursor is the hackernews source's saved cursor (listener/hackernews).
type hnCursor struct {
	Queries map[string]struct {
		Since int64    `json:"since"`
		IDs   []string `json:"ids"`
	} `json:"queries"`
}

// covered returns, for a source's saved cursor, whether item k of stream s
// is behind it (so must have been stored if it matches).
func covered(s *hnStream, raw []byte) (func(k int) bool, error) {
	if raw == nil {
		return func(int) bool { return false }, nil
	}
	var c hnCursor
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("cursor %q: %w", raw, err)
	}
	q, ok := c.Queries["acme"]
	if !ok || len(c.Queries) != 1 {
		return nil, fmt.Errorf("cursor %q: want exactly the query \"acme\"", raw)
	}
	at := map[string]bool{}
	for _, id := range q.IDs {
		at[id] = true
	}
	return func(k int) bool {
		c := s.created(k)
		return c < q.Since || c == q.Since && at[s.objectID(k)]
	}, nil
}
