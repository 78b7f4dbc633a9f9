package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// bucketOutbox holds named sub-buckets a CommitHook's owner lays out as it
// likes (package alerts keeps its queue, delivery ledger and rule state
// there). The store only guarantees that what a hook writes commits or
// rolls back with the mentions that caused it.
var bucketOutbox = []byte("outbox")

// CommitHook runs inside Commit's transaction after the mentions and their
// rollups are written (Facts in tx see them), with the mentions this commit
// added. What it writes through tx commits with them or not at all; an
// error fails the whole Commit, so a hook returns only write errors.
type CommitHook func(tx *OutboxTx, added []Mention) error

type hookPair struct {
	hook  CommitHook
	after func() // called after a commit whose hook wrote something
}

// SetCommitHook installs h (nil removes it). after, when not nil, is called
// after a Commit in which h wrote, once the transaction is durable: the
// place to wake a sender.
func (s *Store) SetCommitHook(h CommitHook, after func()) {
	if h == nil {
		s.hook.Store(nil)
		return
	}
	s.hook.Store(&hookPair{hook: h, after: after})
}

// OutboxTx is a transaction on the outbox buckets, with read access to the
// rollup facts and collection starts.
type OutboxTx struct {
	tx    *bolt.Tx
	wrote bool
}

// OutboxUpdate runs fn in a write transaction of its own.
func (s *Store) OutboxUpdate(fn func(*OutboxTx) error) (err error) {
	defer guard("outbox", &err)()
	if s.closed.Load() {
		return errClosed
	}
	err = s.db.Update(func(tx *bolt.Tx) error { return fn(&OutboxTx{tx: tx}) })
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return errClosed
	}
	return err
}

// OutboxView runs fn in a read transaction; writes fail.
func (s *Store) OutboxView(fn func(*OutboxTx) error) (err error) {
	defer guard("outbox", &err)()
	if s.closed.Load() {
		return errClosed
	}
	err = s.db.View(func(tx *bolt.Tx) error { return fn(&OutboxTx{tx: tx}) })
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return errClosed
	}
	return err
}

// runHook calls the installed hook inside Commit's transaction.
func (s *Store) runHook(tx *bolt.Tx, added []Mention) (wrote bool, err error) {
	p := s.hook.Load()
	if p == nil || len(added) == 0 {
		return false, nil
	}
	o := &OutboxTx{tx: tx}
	if err := p.hook(o, added); err != nil {
		return false, fmt.Errorf("store: commit hook: %w", err)
	}
	return o.wrote, nil
}

// afterHook wakes the hook's owner after a durable commit it wrote in.
func (s *Store) afterHook() {
	if p := s.hook.Load(); p != nil && p.after != nil {
		p.after()
	}
}

// bucket returns the named sub-bucket, created when create is set and the
// transaction is writable; nil when it does not exist.
func (o *OutboxTx) bucket(name string, create bool) (*bolt.Bucket, error) {
	top := o.tx.Bucket(bucketOutbox)
	if top == nil {
		if !create || !o.tx.Writable() {
			return nil, nil
		}
		var err error
		if top, err = o.tx.CreateBucket(bucketOutbox); err != nil {
			return nil, err
		}
	}
	b := top.Bucket([]byte(name))
	if b == nil && create && o.tx.Writable() {
		return top.CreateBucket([]byte(name))
	}
	return b, nil
}

// Get returns a copy of the value at key in bucket, nil when none.
func (o *OutboxTx) Get(bucket string, key []byte) []byte {
	b, _ := o.bucket(bucket, false)
	if b == nil {
		return nil
	}
	if v := b.Get(key); v != nil {
		return bytes.Clone(v)
	}
	return nil
}

// Put stores val at key in bucket.
func (o *OutboxTx) Put(bucket string, key, val []byte) error {
	b, err := o.bucket(bucket, true)
	if err != nil {
		return err
	}
	if b == nil {
		return errors.New("store: outbox: read-only transaction")
	}
	o.wrote = true
	return b.Put(key, val)
}

// Delete removes key from bucket.
func (o *OutboxTx) Delete(bucket string, key []byte) error {
	b, err := o.bucket(bucket, false)
	if err != nil || b == nil {
		return err
	}
	o.wrote = true
	return b.Delete(key)
}

// NextSeq returns the next sequence number of bucket (1, 2, ...) as an
// 8-byte big-endian key: keys made with it sort in insertion order.
func (o *OutboxTx) NextSeq(bucket string) ([]byte, error) {
	b, err := o.bucket(bucket, true)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, errors.New("store: outbox: read-only transaction")
	}
	n, err := b.NextSequence()
	if err != nil {
		return nil, err
	}
	return binary.BigEndian.AppendUint64(nil, n), nil
}

// Scan calls fn with the records of bucket in key order (reverse: newest
// first for NextSeq keys) starting at from (nil: the first or last key)
// until fn returns false. k and v are valid only during the call.
func (o *OutboxTx) Scan(bucket string, from []byte, reverse bool, fn func(k, v []byte) (bool, error)) error {
	b, _ := o.bucket(bucket, false)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	var k, v []byte
	switch {
	case from == nil && reverse:
		k, v = c.Last()
	case from == nil:
		k, v = c.First()
	default:
		k, v = c.Seek(from)
		if reverse && (k == nil || !bytes.Equal(k, from)) {
			if k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
	}
	for k != nil {
		more, err := fn(k, v)
		if err != nil || !more {
			return err
		}
		if reverse {
			k, v = c.Prev()
		} else {
			k, v = c.Next()
		}
	}
	return nil
}

// Facts calls fn with the fact of every mention published in [from, to),
// oldest first, as this transaction sees them.
func (o *OutboxTx) Facts(from, to time.Time, fn func(*Fact) error) error {
	c := o.tx.Bucket(bucketFacts).Cursor()
	hi := timeBound(to)
	for k, v := c.Seek(timeBound(from)); k != nil && bytes.Compare(k, hi) < 0; k, v = c.Next() {
		f, err := decodeFact(k, v)
		if err != nil {
			return fmt.Errorf("store: outbox: %w", err)
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// CollectionBegan is when network was collected in full from
// (CoveredFrom over every source recorded on it), or for the earliest
// network when network is "" (zero when nothing was collected), as this
// transaction sees it. Alerts read it inside the commit, without the
// configuration: sources removed from it still count here.
func (o *OutboxTx) CollectionBegan(network string) time.Time {
	recs, err := coverageOf(o.tx)
	if err != nil {
		return time.Time{} // unreadable: not collected, so nothing fires on it
	}
	if network != "" {
		from, _ := CoveredFrom(recs, network, nil)
		return from
	}
	var first time.Time
	for _, c := range recs {
		if from, ok := CoveredFrom(recs, c.Network, nil); ok && (first.IsZero() || from.Before(first)) {
			first = from
		}
	}
	return first
}
