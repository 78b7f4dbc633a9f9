package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// readChunk is how many records one short read transaction collects before
// the callback runs outside it (long read transactions block bbolt from
// growing the file, and a callback may call the Store again).
const readChunk = 4096

// cellSlab is how many Cells Cells allocates at once.
const cellSlab = 64

// LastSeq is the data watermark: the last mention sequence committed.
func (s *Store) LastSeq() uint64 { return s.lastSeq.Load() }

// Range calls fn with every mention published in [from, to), oldest first
// (ties in insertion order). It stops at fn's first error and returns it.
func (s *Store) Range(ctx context.Context, from, to time.Time, fn func(Mention) error) error {
	return scanChunks(ctx, s, bucketByTime, timeBound(from), timeBound(to), func(tx *bolt.Tx, k, _ []byte) (Mention, error) {
		val := tx.Bucket(bucketMentions).Get(k[8:])
		if val == nil {
			return Mention{}, fmt.Errorf("bytime points at missing seq %d", u64(k[8:]))
		}
		var m Mention
		if err := json.Unmarshal(val, &m); err != nil {
			return Mention{}, fmt.Errorf("decode seq %d: %w", u64(k[8:]), err)
		}
		return m, nil
	}, fn)
}

// Cells calls fn with every rollup cell whose hour starts in [from, to),
// in key order (hour, network, brand, kind).
func (s *Store) Cells(ctx context.Context, from, to time.Time, fn func(*Cell) error) error {
	lo, hi := hourBound(from), hourBound(to)
	names := map[string]string{} // a few distinct names: share their strings
	intern := func(b []byte) string {
		if s, ok := names[string(b)]; ok {
			return s
		}
		s := string(b)
		names[s] = s
		return s
	}
	// Every hour repeats the same few network + brand + kind suffixes:
	// one lookup of the whole suffix instead of three of its names. Cells
	// are allocated in slabs (never reused: fn may keep them).
	type cellNames struct{ network, brand, kind string }
	suffixes := map[string]cellNames{}
	var slab []Cell
	return scanChunks(ctx, s, bucketCells, lo, hi, func(_ *bolt.Tx, k, v []byte) (*Cell, error) {
		var h int64
		x, ok := cellNames{}, len(k) >= 10
		if ok {
			x, ok = suffixes[string(k[8:])]
			h = int64(binary.BigEndian.Uint64(k[:8]) ^ (1 << 63))
		}
		if !ok {
			h, x.network, x.brand, x.kind, ok = parseCellKey(k, intern)
			if !ok {
				return nil, fmt.Errorf("malformed rollup cell key %x", k)
			}
			suffixes[string(k[8:])] = x
		}
		if len(slab) == 0 {
			slab = make([]Cell, cellSlab)
		}
		c := &slab[0]
		slab = slab[1:]
		*c = Cell{Hour: time.Unix(h*3600, 0).UTC(), Network: x.network, Brand: x.brand, Kind: x.kind}
		if err := c.decode(v); err != nil {
			return nil, fmt.Errorf("rollup cell %x: %w", k, err)
		}
		return c, nil
	}, fn)
}

// Facts calls fn with the fact of every mention published in [from, to),
// oldest first.
func (s *Store) Facts(ctx context.Context, from, to time.Time, fn func(*Fact) error) error {
	return scanChunks(ctx, s, bucketFacts, timeBound(from), timeBound(to), func(_ *bolt.Tx, k, v []byte) (*Fact, error) {
		return decodeFact(k, v)
	}, fn)
}

// FactsOfKind is Facts for the mentions of one kind (KindMention or
// KindOwned): the others are skipped without being decoded.
func (s *Store) FactsOfKind(ctx context.Context, from, to time.Time, kind string, fn func(*Fact) error) error {
	return scanChunks(ctx, s, bucketFacts, timeBound(from), timeBound(to), func(_ *bolt.Tx, k, v []byte) (*Fact, error) {
		if !factIsKind(v, kind) {
			return nil, nil
		}
		return decodeFact(k, v)
	}, func(f *Fact) error {
		if f == nil {
			return nil
		}
		return fn(f)
	})
}

// TopicCounts counts, per topic, the facts of kind published in [from,
// to) on networks (every network when empty): the counts a scan of Facts
// would make, reading each fact's network, kind and topics in place
// instead of decoding it.
func (s *Store) TopicCounts(ctx context.Context, from, to time.Time, kind string, networks []string) (map[string]int64, error) {
	out := map[string]int64{}
	err := scanChunks(ctx, s, bucketFacts, timeBound(from), timeBound(to), func(_ *bolt.Tx, k, v []byte) (struct{}, error) {
		network, fk, topics, err := factTopics(v)
		if err != nil {
			return struct{}{}, fmt.Errorf("fact %x: %w", k, err)
		}
		if string(fk) != kind || (len(networks) > 0 && !containsString(networks, string(network))) {
			return struct{}{}, nil
		}
		for _, t := range topics {
			out[string(t)]++
		}
		return struct{}{}, nil
	}, func(struct{}) error { return nil })
	return out, err
}

// TermHours calls fn with the word counts of every UTC hour starting in
// [from, to), by hour then brand.
func (s *Store) TermHours(ctx context.Context, from, to time.Time, fn func(TermHour) error) error {
	lo, hi := hourBound(from), hourBound(to)
	return scanChunks(ctx, s, bucketTerms, lo, hi, func(_ *bolt.Tx, k, v []byte) (TermHour, error) {
		if len(k) < 8 {
			return TermHour{}, fmt.Errorf("malformed term key %x", k)
		}
		terms, err := decodeTerms(v)
		if err != nil {
			return TermHour{}, fmt.Errorf("term list %x: %w", k, err)
		}
		hour := int64(u64(k[:8]) ^ (1 << 63))
		return TermHour{Hour: time.Unix(hour*3600, 0).UTC(), Brand: string(k[8:]), Terms: terms}, nil
	}, fn)
}

// TermHoursOf is TermHours for the brands named only (brand "" included
// only when named): the other records are skipped undecoded, and the
// words are interned over the call (a word repeats in every hour it is
// used), so a read of weeks of hours allocates each word once, and
// numbered (TermCount.ID) so that a reader can count in slices, not maps.
func (s *Store) TermHoursOf(ctx context.Context, from, to time.Time, brands []string, fn func(TermHour) error) error {
	lo, hi := hourBound(from), hourBound(to)
	words := wordIDs{}
	return scanChunks(ctx, s, bucketTerms, lo, hi, func(_ *bolt.Tx, k, v []byte) (TermHour, error) {
		if len(k) < 8 {
			return TermHour{}, fmt.Errorf("malformed term key %x", k)
		}
		i := slices.Index(brands, string(k[8:]))
		if i < 0 {
			return TermHour{}, nil
		}
		terms, err := decodeTermsInterned(v, words)
		if err != nil {
			return TermHour{}, fmt.Errorf("term list %x: %w", k, err)
		}
		hour := int64(u64(k[:8]) ^ (1 << 63))
		return TermHour{Hour: time.Unix(hour*3600, 0).UTC(), Brand: brands[i], Terms: terms}, nil
	}, func(th TermHour) error {
		if th.Hour.IsZero() {
			return nil // a brand not asked for
		}
		return fn(th)
	})
}

// timeBound is the first bytime/facts key at or after t.
func timeBound(t time.Time) []byte {
	if t.Before(minPublished) {
		t = minPublished
	}
	if t.After(maxPublished) {
		t = maxPublished
	}
	return timeKey(t, 0)
}

// hourBound is the first cell key of the first hour starting at or after t.
func hourBound(t time.Time) []byte {
	t = clampTime(t)
	if t.Unix()%3600 != 0 || t.Nanosecond() != 0 {
		return hourKey(t.Add(time.Hour))
	}
	return hourKey(t)
}

func clampTime(t time.Time) time.Time {
	if t.Before(minPublished) {
		return minPublished
	}
	if t.After(maxPublished.Add(-48 * time.Hour)) {
		return maxPublished.Add(-48 * time.Hour)
	}
	return t
}

// scanChunks walks bucket keys in [lo, hi) in chunks of readChunk records,
// each read in its own transaction; fn runs outside transactions.
func scanChunks[T any](ctx context.Context, s *Store, bucket, lo, hi []byte,
	decode func(tx *bolt.Tx, k, v []byte) (T, error), fn func(T) error) error {
	return scanChunksOf(ctx, s, bucket, lo, hi, readChunk, decode, fn)
}

// scanChunksOf is scanChunks in chunks of n records: a walk that fn
// usually stops early decodes at most n records past the stop.
func scanChunksOf[T any](ctx context.Context, s *Store, bucket, lo, hi []byte, n int,
	decode func(tx *bolt.Tx, k, v []byte) (T, error), fn func(T) error) error {
	if s.closed.Load() {
		return errClosed
	}
	readChunk := max(n, 1)
	next := append([]byte{}, lo...)
	buf := make([]T, 0, readChunk)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf = buf[:0]
		done := true
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucket).Cursor()
			for k, v := c.Seek(next); k != nil && bytes.Compare(k, hi) < 0; k, v = c.Next() {
				if len(buf) == readChunk {
					next, done = append(next[:0], k...), false
					return nil
				}
				x, err := decode(tx, k, v)
				if err != nil {
					return err
				}
				buf = append(buf, x)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: scan %s: %w", bucket, err)
		}
		for _, x := range buf {
			if err := fn(x); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
	}
}
