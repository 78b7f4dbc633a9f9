package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/earshot/earshot/config"
)

// bucketCollection holds what each source's polls covered: a
// SourceCoverage (JSON) per source name. It is not a derived rollup:
// Began and Lookback of a first poll that stored nothing are known only
// from the poll, so a rebuild keeps the records (as it keeps cursors) and
// only lowers Began to the earliest fetch time in the log, creating the
// records of sources that have mentions but none (lookback 0). Commit does
// the same for the mentions it stores, so rebuild == incremental.
var bucketCollection = []byte("source_coverage")

// SourceCoverage is what a source has collected: everything published
// from From() on (docs/report.md "Coverage and calls").
type SourceCoverage struct {
	Network string `json:"network"`
	// Began is when the source's first successful poll (a commit that
	// saved its cursor) completed, lowered to the earliest fetch time of a
	// mention it stored (its published time when it has none).
	Began time.Time `json:"began"`
	// Lookback is how far back that first poll reached: the source's
	// lookback capped by the network's History (config.Network.Backfill);
	// 0 when the network returns no history, the poll failed in part, or
	// the record was made from stored mentions.
	Lookback time.Duration `json:"lookback"`
}

// From is when the source's collection begins: Began − Lookback.
func (c SourceCoverage) From() time.Time { return c.Began.Add(-c.Lookback) }

// coverageKey is the record a mention lowers: its source's, or its
// network's for a mention that names no source.
func coverageKey(m *Mention) string {
	if m.Source != "" {
		return m.Source
	}
	return m.Network
}

// noteCoverage records c for source unless the source has a record, whose
// Began it lowers to c.Began when earlier (its Lookback and Network stay:
// they are the first poll's).
func noteCoverage(tx *bolt.Tx, source string, c SourceCoverage) error {
	if source == "" || c.Began.IsZero() {
		return nil
	}
	b := tx.Bucket(bucketCollection)
	old, ok, err := readCoverage(b, source)
	if err != nil {
		return err
	}
	if ok {
		if !c.Began.Before(old.Began) {
			return nil
		}
		old.Began = c.Began
		c = old
	}
	c.Began = c.Began.UTC()
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return b.Put([]byte(source), v)
}

// noteCollection lowers the coverage of m's source to m's first-seen time
// (a record made from a mention reaches back nothing).
func noteCollection(tx *bolt.Tx, m *Mention) error {
	t := m.Fetched
	if t.IsZero() {
		t = m.Published
	}
	if m.Network == "" {
		return nil
	}
	return noteCoverage(tx, coverageKey(m), SourceCoverage{Network: m.Network, Began: t})
}

func readCoverage(b *bolt.Bucket, source string) (SourceCoverage, bool, error) {
	v := b.Get([]byte(source))
	if v == nil {
		return SourceCoverage{}, false, nil
	}
	var c SourceCoverage
	if err := json.Unmarshal(v, &c); err != nil {
		return c, false, fmt.Errorf("coverage of source %q unreadable: %w", source, err)
	}
	return c, true, nil
}

// coverageOf reads every record of tx.
func coverageOf(tx *bolt.Tx) (map[string]SourceCoverage, error) {
	out := map[string]SourceCoverage{}
	err := tx.Bucket(bucketCollection).ForEach(func(k, _ []byte) error {
		c, _, err := readCoverage(tx.Bucket(bucketCollection), string(k))
		out[string(k)] = c
		return err
	})
	return out, err
}

// Coverage returns what each source has collected, by source name: every
// source that completed a poll or stored a mention, including sources no
// longer configured (CoveredFrom leaves them out).
func (s *Store) Coverage(ctx context.Context) (map[string]SourceCoverage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out map[string]SourceCoverage
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		out, err = coverageOf(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: coverage: %w", err)
	}
	return out, nil
}

// CoveredFrom is the one rule for when network was collected in full:
// every period starting at or after it was. The sources that count are
// the network's configured [[source]] tables (sources); when the
// configuration has none on the network (its sources were all removed, or
// the configuration lists none), the sources recorded on it. It is the
// LATEST From among them: a period was collected only when every source
// that counts covered it. ok is false when none counts or one has not
// completed a poll.
func CoveredFrom(recs map[string]SourceCoverage, network string, sources []config.Source) (from time.Time, ok bool) {
	configured := false
	for _, s := range sources {
		if s.Network != network {
			continue
		}
		configured = true
		c, found := recs[s.Name]
		if !found {
			return time.Time{}, false
		}
		if cf := c.From(); cf.After(from) || !ok {
			from, ok = cf, true
		}
	}
	if configured {
		return from, ok
	}
	for _, c := range recs {
		if c.Network != network {
			continue
		}
		if rf := c.From(); rf.After(from) || !ok {
			from, ok = rf, true
		}
	}
	return from, ok
}
