package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketLinks holds hour + network\0 + the space-joined, sorted hosts a
// mention links to → how many mentions (kind mention) linked to exactly
// that set. Readers map hosts to brands with their own domain lists, once
// per mention, without scanning mentions.
var bucketLinks = []byte("rollup_links")

// LinkCell counts the mentions of one UTC hour and network that linked to
// exactly Hosts (sorted, as in Fact.LinkHosts).
type LinkCell struct {
	Hour    time.Time
	Network string
	Hosts   []string
	Count   int64
}

func linkKey(hour []byte, network string, hosts []string) []byte {
	k := append(append([]byte{}, hour...), network...)
	k = append(k, 0)
	return append(k, strings.Join(hosts, " ")...)
}

// addLinks records a mention's link hosts in the commit's link counts.
func (r *rollup) addLinks(hour []byte, f *Fact) {
	if f.Kind != KindMention || len(f.LinkHosts) == 0 {
		return
	}
	if r.links == nil {
		r.links = map[string]int64{}
	}
	r.links[string(linkKey(hour, f.Network, f.LinkHosts))]++
}

func (r *rollup) flushLinks() error {
	b := r.tx.Bucket(bucketLinks)
	for k, n := range r.links {
		key := []byte(k)
		if v := b.Get(key); v != nil {
			old, m := binary.Varint(v)
			if m <= 0 {
				return fmt.Errorf("rollup links: unreadable count under %x", key)
			}
			n += old
		}
		if err := b.Put(key, binary.AppendVarint(nil, n)); err != nil {
			return err
		}
	}
	return nil
}

// LinkCells calls fn with every link count whose hour starts in [from, to).
func (s *Store) LinkCells(ctx context.Context, from, to time.Time, fn func(LinkCell) error) error {
	return scanChunks(ctx, s, bucketLinks, hourBound(from), hourBound(to), func(_ *bolt.Tx, k, v []byte) (LinkCell, error) {
		i := strings.IndexByte(string(k[min(8, len(k)):]), 0)
		n, m := binary.Varint(v)
		if len(k) < 9 || i < 0 || m <= 0 {
			return LinkCell{}, fmt.Errorf("malformed link count %x", k)
		}
		h := int64(binary.BigEndian.Uint64(k[:8]) ^ (1 << 63))
		return LinkCell{Hour: time.Unix(h*3600, 0).UTC(), Network: string(k[8 : 8+i]), Hosts: strings.Fields(string(k[9+i:])), Count: n}, nil
	}, fn)
}
