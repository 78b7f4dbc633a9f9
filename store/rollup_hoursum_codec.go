package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"time"
)

const hourSumVersion = 1

func (s *HourSum) encode() []byte {
	b := make([]byte, 0, 64+24*len(s.Authors))
	b = append(b, hourSumVersion)
	b = binary.AppendUvarint(b, uint64(len(s.Fresh)))
	for _, n := range s.Fresh {
		b = binary.AppendVarint(b, n)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Authors)))
	for _, a := range s.Authors {
		b = appendString(b, a.Name)
		b = binary.AppendVarint(b, a.Mentions)
		b = binary.AppendVarint(b, a.Interactions)
		b = binary.AppendVarint(b, a.Followers)
		b = binary.AppendUvarint(b, uint64(len(a.Brands)))
		for _, bf := range a.Brands {
			b = appendString(b, bf.Brand)
			b = binary.AppendVarint(b, bf.Followers)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.Anon)))
	for _, a := range s.Anon {
		b = appendString(b, a.Brand)
		b = binary.AppendVarint(b, a.Mentions)
		b = binary.AppendVarint(b, a.Followers)
	}
	for _, l := range [][]KeyCount{s.Langs, s.Hosts, s.Topics} {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for _, kc := range l {
			b = appendString(b, kc.Key)
			b = binary.AppendVarint(b, kc.Count)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.Top)))
	for _, t := range s.Top {
		b = append(b, t.List)
		b = appendString(b, t.Brand)
		b = binary.AppendVarint(b, t.Engagement)
		b = binary.AppendVarint(b, t.Published.UnixNano())
		b = binary.AppendUvarint(b, t.Seq)
		b = appendString(b, t.ID)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Replies)))
	for _, r := range s.Replies {
		b = binary.AppendUvarint(b, r.Seq)
		b = binary.AppendVarint(b, r.Published.UnixNano())
		b = appendString(b, r.ReplyTo)
		b = binary.AppendUvarint(b, uint64(len(r.Brands)))
		for _, x := range r.Brands {
			b = appendString(b, x)
		}
		b = binary.AppendVarint(b, r.ParentPublished.UnixNano())
		b = binary.AppendVarint(b, int64(r.Delay))
	}
	return b
}

// decodeHourSum reads the sum stored under key (hourKey + network).
func decodeHourSum(key, v []byte) (*HourSum, error) { return decodeHourSumParts(key, v, false, nil) }

// authorIDs interns the authors of one read of many hour sums: each
// distinct network + author gets the next AuthorSum.ID (0, 1, 2, …) and
// one copy of its name, so a reader merges authors by index instead of
// by a string per (hour, author), and the decoder allocates a name only
// for an author it has not met. The table is open-addressed over a
// 64-bit hash of network + "\x00" + name (flat slots, linear probing,
// doubled at half full: no per-entry allocation), and every hit is
// checked against the key bytes it stands for, kept in one arena beside
// the slots (one memory read, not a name's and a network's), so an author
// whose hash collides with another's probes on and gets its own ID: IDs
// stay exact.
type authorIDs struct {
	seed  maphash.Seed
	slots []authorSlot // len a power of two; id 0 = empty (IDs stored +1)
	keys  []byte       // network + "\x00" + name of every ID, back to back
	names []string     // by ID
	// brands are the brand names, shared.
	brands map[string]string
	buf    []byte
}

// authorSlot is one slot of authorIDs' table: a key's hash, its ID + 1
// (0 = empty), and where its bytes are in keys.
type authorSlot struct {
	hash     uint64
	id       uint32
	off, len uint32
}

// authorSlots is the initial table size (grown by doubling).
const authorSlots = 1 << 12

func newAuthorIDs() *authorIDs {
	return &authorIDs{seed: maphash.MakeSeed(), slots: make([]authorSlot, authorSlots), brands: map[string]string{}}
}

// intern returns the ID and name of network's author name (raw bytes).
func (a *authorIDs) intern(network string, name []byte) (uint32, string) {
	a.buf = append(append(append(a.buf[:0], network...), 0), name...)
	h := maphash.Bytes(a.seed, a.buf)
	mask := uint64(len(a.slots) - 1)
	i := h & mask
	for ; a.slots[i].id != 0; i = (i + 1) & mask {
		if sl := &a.slots[i]; sl.hash == h && string(a.keys[sl.off:sl.off+sl.len]) == string(a.buf) {
			return sl.id - 1, a.names[sl.id-1]
		}
	}
	id, n := uint32(len(a.names)), string(name)
	a.names = append(a.names, n)
	a.slots[i] = authorSlot{hash: h, id: id + 1, off: uint32(len(a.keys)), len: uint32(len(a.buf))}
	a.keys = append(a.keys, a.buf...)
	if 2*len(a.names) > len(a.slots) {
		a.grow()
	}
	return id, n
}

// grow doubles the table, placing every entry by its kept hash.
func (a *authorIDs) grow() {
	old := a.slots
	a.slots = make([]authorSlot, 2*len(old))
	mask := uint64(len(a.slots) - 1)
	for _, sl := range old {
		if sl.id == 0 {
			continue
		}
		i := sl.hash & mask
		for a.slots[i].id != 0 {
			i = (i + 1) & mask
		}
		a.slots[i] = sl
	}
}

// decodeHourSumParts is decodeHourSum; light skips everything but Topics
// and Replies (left nil) without allocating; ids, when not nil, interns
// the authors (AuthorSum.ID).
func decodeHourSumParts(key, v []byte, light bool, ids *authorIDs) (*HourSum, error) {
	if len(key) < 8 {
		return nil, fmt.Errorf("hour sum key %x too short", key)
	}
	if len(v) == 0 || v[0] != hourSumVersion {
		return nil, fmt.Errorf("hour sum %x of unknown version", key)
	}
	h := int64(binary.BigEndian.Uint64(key[:8]) ^ (1 << 63))
	s := &HourSum{Hour: time.Unix(h*3600, 0).UTC(), Network: string(key[8:])}
	d := factDecoder{b: v[1:]}
	count := func() int {
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			if d.err == nil {
				d.err = errors.New("list length out of range")
			}
			return 0
		}
		return int(n)
	}
	if light {
		d.skipLight()
	} else {
		d.heavy(s, count, ids)
	}
	if n := count(); n > 0 {
		s.Topics = make([]KeyCount, n)
		for i := range s.Topics {
			s.Topics[i] = KeyCount{Key: d.str(), Count: d.varint()}
		}
	}
	if light {
		d.skipTop()
	} else {
		d.top(s, count)
	}
	if n := count(); n > 0 {
		s.Replies = make([]ReplySum, n)
		for i := range s.Replies {
			r := &s.Replies[i]
			r.Seq = d.uvarint()
			r.Published = time.Unix(0, d.varint()).UTC()
			r.ReplyTo = d.str()
			if m := count(); m > 0 {
				r.Brands = make([]string, m)
				for j := range r.Brands {
					r.Brands[j] = d.str()
				}
			}
			r.ParentPublished = time.Unix(0, d.varint()).UTC()
			r.Delay = time.Duration(d.varint())
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("hour sum %x: %w", key, d.err)
	}
	return s, nil
}

// heavy reads Fresh, Authors, Anon, Langs and Hosts; authors are
// interned when ids is not nil (a read of many sums), else each name is
// copied (a commit's merge reads one sum).
func (d *factDecoder) heavy(s *HourSum, count func() int, ids *authorIDs) {
	brandNames := map[string]string{}
	if ids != nil {
		brandNames = ids.brands
	}
	s.Fresh = make([]int64, count())
	for i := range s.Fresh {
		s.Fresh[i] = d.varint()
	}
	s.Authors = make([]AuthorSum, count())
	var brands []BrandFollowers // one backing array for the hour's authors
	for i := range s.Authors {
		a := &s.Authors[i]
		if ids != nil {
			a.ID, a.Name = ids.intern(s.Network, d.raw())
		} else {
			a.Name = d.str()
		}
		a.Mentions, a.Interactions, a.Followers = d.varint(), d.varint(), d.varint()
		if n := count(); n > 0 {
			if cap(brands)-len(brands) < n {
				brands = make([]BrandFollowers, 0, max(n, 2*(len(s.Authors)-i)))
			}
			at := len(brands)
			for range n {
				brands = append(brands, BrandFollowers{Brand: d.name(brandNames), Followers: d.varint()})
			}
			a.Brands = brands[at:len(brands):len(brands)]
		}
	}
	if n := count(); n > 0 {
		s.Anon = make([]AnonSum, n)
		for i := range s.Anon {
			s.Anon[i] = AnonSum{Brand: d.str(), Mentions: d.varint(), Followers: d.varint()}
		}
	}
	for _, l := range []*[]KeyCount{&s.Langs, &s.Hosts} {
		if n := count(); n > 0 {
			*l = make([]KeyCount, n)
			for i := range *l {
				(*l)[i] = KeyCount{Key: d.str(), Count: d.varint()}
			}
		}
	}
}

// top reads Top.
func (d *factDecoder) top(s *HourSum, count func() int) {
	if n := count(); n > 0 {
		s.Top = make([]TopFact, n)
		for i := range s.Top {
			t := &s.Top[i]
			if len(d.b) == 0 {
				d.err = errors.New("truncated")
				break
			}
			t.List, d.b = d.b[0], d.b[1:]
			t.Brand, t.Engagement = d.str(), d.varint()
			t.Published = time.Unix(0, d.varint()).UTC()
			t.Seq, t.ID = d.uvarint(), d.str()
		}
	}
}

// skipLight walks over Fresh, Authors, Anon, Langs and Hosts.
func (d *factDecoder) skipLight() {
	for n := d.uvarint(); n > 0 && d.err == nil; n-- {
		d.varint()
	}
	for n := d.uvarint(); n > 0 && d.err == nil; n-- {
		d.skip()
		d.varint()
		d.varint()
		d.varint()
		for m := d.uvarint(); m > 0 && d.err == nil; m-- {
			d.skip()
			d.varint()
		}
	}
	for n := d.uvarint(); n > 0 && d.err == nil; n-- {
		d.skip()
		d.varint()
		d.varint()
	}
	for range 2 {
		for n := d.uvarint(); n > 0 && d.err == nil; n-- {
			d.skip()
			d.varint()
		}
	}
}

// skipTop walks over Top.
func (d *factDecoder) skipTop() {
	for n := d.uvarint(); n > 0 && d.err == nil; n-- {
		if len(d.b) == 0 {
			d.err = errors.New("truncated")
			return
		}
		d.b = d.b[1:]
		d.skip()
		d.varint()
		d.varint()
		d.uvarint()
		d.skip()
	}
}

// skip passes over one string.
func (d *factDecoder) skip() {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = errors.New("string length out of range")
		return
	}
	if d.err == nil {
		d.b = d.b[n:]
	}
}

// name reads a string that repeats, sharing one copy through names.
func (d *factDecoder) name(names map[string]string) string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.err = errors.New("string length out of range")
		return ""
	}
	b := d.b[:n]
	d.b = d.b[n:]
	if s, ok := names[string(b)]; ok {
		return s
	}
	s := string(b)
	names[s] = s
	return s
}

// raw reads one string in place (valid while the record is).
func (d *factDecoder) raw() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errors.New("string length out of range")
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}
