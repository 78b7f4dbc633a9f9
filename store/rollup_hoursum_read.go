package store

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// HourSums calls fn with the sum of every UTC hour starting in [from, to)
// and network, by hour then network.
// Authors are interned over the call: AuthorSum.ID numbers the distinct
// network + author pairs 0, 1, 2, … in the order met, and equal IDs share
// one Name.
func (s *Store) HourSums(ctx context.Context, from, to time.Time, fn func(*HourSum) error) error {
	ids := newAuthorIDs()
	return scanChunks(ctx, s, bucketHourSums, hourBound(from), hourBound(to), func(_ *bolt.Tx, k, v []byte) (*HourSum, error) {
		return decodeHourSumParts(k, v, false, ids)
	}, fn)
}

// FactsOf returns the facts the top facts name, in order; a fact no longer
// stored is nil.
func (s *Store) FactsOf(ts []TopFact) ([]*Fact, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	out := make([]*Fact, len(ts))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFacts)
		for i, t := range ts {
			k := timeKey(t.Published, t.Seq)
			if v := b.Get(k); v != nil {
				f, err := decodeFact(k, v)
				if err != nil {
					return err
				}
				out[i] = f
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: facts of top lists: %w", err)
	}
	return out, nil
}

// HourSumReplies is HourSums reading only Topics and Replies (the rest
// left nil), for the hours around a window.
func (s *Store) HourSumReplies(ctx context.Context, from, to time.Time, fn func(*HourSum) error) error {
	return scanChunks(ctx, s, bucketHourSums, hourBound(from), hourBound(to), func(_ *bolt.Tx, k, v []byte) (*HourSum, error) {
		return decodeHourSumParts(k, v, true, nil)
	}, fn)
}

// factBrandsChunk is FactBrands' read chunk: its callers (the phrase
// picks) stop an hour's walk at its last pick, so a chunk of an hour's
// facts (~1,100 in the 2M soak's last week) would decode the rest in vain.
const factBrandsChunk = 128

// brandSlab is how many brand names FactBrands allocates at once.
const brandSlab = 1024

// FactBrands calls fn with the ID and brands of every fact of kind
// published in [from, to), oldest first, read in place without decoding
// the rest. fn's first error stops the walk and is returned.
func (s *Store) FactBrands(ctx context.Context, from, to time.Time, kind string, fn func(id string, brands []string) error) error {
	type idBrands struct {
		id     string
		brands []string
	}
	names := map[string]string{} // brand names: a few, shared
	var slab []string            // the facts' brand lists, allocated brandSlab at a time

	return scanChunksOf(ctx, s, bucketFacts, timeBound(from), timeBound(to), factBrandsChunk, func(_ *bolt.Tx, k, v []byte) (idBrands, error) {
		id, fk, brands, err := factBrands(v)
		if err != nil {
			return idBrands{}, fmt.Errorf("fact %x: %w", k, err)
		}
		if string(fk) != kind {
			return idBrands{}, nil
		}
		if len(slab) < len(brands) { // fn may keep the lists: slabs are never reused
			slab = make([]string, max(brandSlab, len(brands)))
		}
		out := slab[:len(brands):len(brands)]
		slab = slab[len(brands):]
		for i, b := range brands {
			n, ok := names[string(b)]
			if !ok {
				n = string(b)
				names[n] = n
			}
			out[i] = n
		}
		return idBrands{id: string(id), brands: out}, nil
	}, func(x idBrands) error {
		if x.id == "" {
			return nil
		}
		return fn(x.id, x.brands)
	})
}

// factBrands reads an encoded fact's ID, kind and brands in place.
func factBrands(v []byte) (id, kind []byte, brands [][]byte, err error) {
	if len(v) == 0 || v[0] != factVersion {
		return nil, nil, nil, fmt.Errorf("fact of unknown version")
	}
	d := factDecoder{b: v[1:]}
	for i := 0; i < 9; i++ { // ID, network, kind, lang, label, author, host, reply-to, parent kind
		switch s := d.raw(); i {
		case 0:
			id = s
		case 2:
			kind = s
		}
	}
	d.varint()  // followers
	d.varint()  // engagement
	d.varint()  // exposure
	d.uvarint() // sentiment
	d.varint()  // parent published
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return nil, nil, nil, fmt.Errorf("list length out of range")
	}
	for j := uint64(0); j < n && d.err == nil; j++ {
		brands = append(brands, d.raw())
	}
	return id, kind, brands, d.err
}
