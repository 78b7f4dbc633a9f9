package store

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// In bucketDigests: "m:unsubscribe_key" → the key that signs unsubscribe
// links (32 random bytes, made on first use), and "o:" + list + 0x00 +
// recipient → JSON DigestOptOut.
var keyDigestSigningKey = []byte("m:unsubscribe_key")

// DigestOptOut is a recipient's unsubscribe from a list (the digest).
type DigestOptOut struct {
	List      string    `json:"list"`
	Recipient string    `json:"recipient"` // lower case
	At        time.Time `json:"at"`
}

func optOutKey(list, recipient string) ([]byte, error) {
	if list == "" || recipient == "" || strings.ContainsRune(list, 0) || strings.ContainsRune(recipient, 0) {
		return nil, fmt.Errorf("store: invalid opt-out key %q/%q", list, recipient)
	}
	return []byte("o:" + list + "\x00" + strings.ToLower(recipient)), nil
}

// DigestSigningKey returns the key unsubscribe links are signed with,
// making and storing a random one on the first call: links stay valid
// across restarts and die with the data dir.
func (s *Store) DigestSigningKey() ([]byte, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	var key []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDigests)
		if v := b.Get(keyDigestSigningKey); len(v) == 32 {
			key = append([]byte(nil), v...)
			return nil
		}
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		return b.Put(keyDigestSigningKey, key)
	})
	if err != nil {
		return nil, fmt.Errorf("store: unsubscribe key: %w", err)
	}
	return key, nil
}

// RecordDigestOptOut records (durably) that o.Recipient left o.List; a
// second opt-out keeps the first one's time.
func (s *Store) RecordDigestOptOut(o DigestOptOut) error {
	if s.closed.Load() {
		return errClosed
	}
	k, err := optOutKey(o.List, o.Recipient)
	if err != nil {
		return err
	}
	o.Recipient = strings.ToLower(o.Recipient)
	v, err := json.Marshal(o)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDigests)
		if b.Get(k) != nil {
			return nil
		}
		return b.Put(k, v)
	})
	if err != nil {
		return fmt.Errorf("store: record opt-out: %w", err)
	}
	return nil
}

// DigestOptedOut returns recipient's opt-out from list; ok is false when
// there is none.
func (s *Store) DigestOptedOut(list, recipient string) (o DigestOptOut, ok bool, err error) {
	if s.closed.Load() {
		return o, false, errClosed
	}
	k, err := optOutKey(list, recipient)
	if err != nil {
		return o, false, err
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketDigests).Get(k)
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &o)
	})
	if err != nil {
		return o, false, fmt.Errorf("store: read opt-out: %w", err)
	}
	return o, ok, nil
}
