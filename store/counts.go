package store

import (
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// Counter key prefixes in the counts bucket.
const (
	countBrandPrefix   = "b:"
	countNetworkPrefix = "n:"
)

// counter accumulates rollup counters in memory during a Commit and writes
// each touched key once.
type counter struct {
	b     *bolt.Bucket
	delta map[string]uint64
}

func newCounter(b *bolt.Bucket) *counter { return &counter{b: b, delta: map[string]uint64{}} }

func (c *counter) add(m Mention) {
	c.delta[string(keyTotal)]++
	seen := map[string]bool{}
	for _, br := range m.Brands {
		if br == "" || seen[br] {
			continue
		}
		seen[br] = true
		c.delta[countBrandPrefix+br]++
	}
	if m.Network != "" {
		c.delta[countNetworkPrefix+m.Network]++
	}
}

func (c *counter) flush() error {
	for k, d := range c.delta {
		key := []byte(k)
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], u64(c.b.Get(key))+d)
		if err := c.b.Put(key, v[:]); err != nil {
			return err
		}
	}
	return nil
}
