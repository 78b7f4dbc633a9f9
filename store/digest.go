package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketDigests records digest deliveries: "r:" + period + 0x00 + recipient
// → JSON DigestRecord, and "m:first_run" → RFC 3339 time.
var bucketDigests = []byte("digests")

var keyDigestFirstRun = []byte("m:first_run")

// Digest delivery states.
const (
	DigestStatusSent    = "sent"    // accepted by the SMTP server
	DigestStatusOutbox  = "outbox"  // written as .eml to data_dir/outbox (no SMTP configured)
	DigestStatusFailed  = "failed"  // permanent failure (5xx, or retries exhausted): not retried automatically
	DigestStatusPending = "pending" // a temporary failure; delivery is still being retried
)

// DigestRecord is the delivery state of one digest (a period) to one
// recipient.
type DigestRecord struct {
	Period    string    `json:"period"`    // e.g. "2026-W47"
	Recipient string    `json:"recipient"` // e-mail address, lower case
	Status    string    `json:"status"`    // one of the DigestStatus constants
	At        time.Time `json:"at"`        // when the status was recorded
	Attempts  int       `json:"attempts"`  // delivery attempts so far
	Error     string    `json:"error,omitempty"`
	File      string    `json:"file,omitempty"` // the .eml written, for outbox (and failed) records
}

// Done reports whether the record ends delivery for its period: sent,
// written to the outbox, or failed for good.
func (r DigestRecord) Done() bool {
	return r.Status == DigestStatusSent || r.Status == DigestStatusOutbox || r.Status == DigestStatusFailed
}

func digestKey(period, recipient string) ([]byte, error) {
	if period == "" || recipient == "" || strings.ContainsRune(period, 0) || strings.ContainsRune(recipient, 0) {
		return nil, fmt.Errorf("store: invalid digest key %q/%q", period, recipient)
	}
	return []byte("r:" + period + "\x00" + strings.ToLower(recipient)), nil
}

// DigestRecord returns the delivery record of period for recipient; ok is
// false when nothing was recorded.
func (s *Store) DigestRecord(period, recipient string) (rec DigestRecord, ok bool, err error) {
	if s.closed.Load() {
		return rec, false, errClosed
	}
	key, err := digestKey(period, recipient)
	if err != nil {
		return rec, false, err
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketDigests).Get(key)
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &rec)
	})
	if err != nil {
		return DigestRecord{}, false, fmt.Errorf("store: read digest record: %w", err)
	}
	return rec, ok, nil
}

// DigestSent reports whether the digest of period was delivered to
// recipient: sent, or written to the outbox.
func (s *Store) DigestSent(period, recipient string) (bool, error) {
	rec, ok, err := s.DigestRecord(period, recipient)
	return ok && (rec.Status == DigestStatusSent || rec.Status == DigestStatusOutbox), err
}

// MarkDigest records (replacing any earlier record) the delivery state of
// r.Period for r.Recipient, durably: it returns after the bbolt commit.
func (s *Store) MarkDigest(r DigestRecord) error {
	if s.closed.Load() {
		return errClosed
	}
	key, err := digestKey(r.Period, r.Recipient)
	if err != nil {
		return err
	}
	r.Recipient = strings.ToLower(r.Recipient)
	v, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("store: encode digest record: %w", err)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDigests).Put(key, v)
	})
}

// DigestLog returns up to limit delivery records (all when limit <= 0),
// most recently recorded first.
func (s *Store) DigestLog(limit int) ([]DigestRecord, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	var out []DigestRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDigests).Cursor()
		prefix := []byte("r:")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r DigestRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("record %q: %w", k, err)
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: read digest log: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// DigestFirstRun returns when digests were first scheduled on this data
// dir, recording now as that time on the first call. Catch-up after downtime
// never reaches back before it, so a new installation does not send last
// week's digest the moment it starts.
func (s *Store) DigestFirstRun(now time.Time) (time.Time, error) {
	if s.closed.Load() {
		return time.Time{}, errClosed
	}
	var first time.Time
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDigests)
		if v := b.Get(keyDigestFirstRun); v != nil {
			t, err := time.Parse(time.RFC3339Nano, string(v))
			if err == nil {
				first = t
				return nil
			}
			// Unreadable: start afresh rather than refuse to schedule.
		}
		first = now
		return b.Put(keyDigestFirstRun, []byte(now.UTC().Format(time.RFC3339Nano)))
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("store: digest first run: %w", err)
	}
	return first, nil
}
