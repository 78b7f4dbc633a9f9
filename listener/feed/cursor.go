package feed

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"sort"
	"time"
)

// Cursor bounds. Every seen item costs one fixed-size record (an 8-byte
// hash of its key and a 4-byte time, 16 characters of base64), so the
// cursor's size is bounded by design, whatever the keys and the number of
// URLs: the records of all URLs share SeenBudget, each URL keeps at most
// MaxSeen, and validators longer than maxValidator are not kept.
const (
	MaxSeen      = 2000
	SeenBudget   = 32768 // records per source: 512 KiB of the store's 1 MiB cursor limit
	recordSize   = 12
	maxValidator = 256
)

// cursor is the saved state, per feed URL.
type cursor struct {
	Feeds map[string]*feedState `json:"feeds"`
}

type feedState struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Seen is the cursor of earlier versions (item keys, oldest first):
	// read, turned into records, never written.
	Seen []string `json:"seen,omitempty"`
	// Keys are the seen records, base64 (std, padded) of recordSize-byte
	// records: key hash, then the item's time (its date; for an undated
	// item the last fetch that saw it) in Unix seconds.
	Keys string `json:"keys,omitempty"`
	// Floor (Unix seconds): a dated item at or before it is old and not
	// returned. It starts at the first fetch's now-Lookback and rises to
	// the newest record dropped to keep within the bounds.
	Floor int64 `json:"floor,omitempty"`
}

// seenSet is a feedState's records, decoded.
type seenSet struct {
	at    map[uint64]int64 // key hash -> time
	floor int64
}

func keyHash(k string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(k))
	return h.Sum64()
}

// load decodes st (nil on a URL's first fetch, when floor is used).
func load(st *feedState, now time.Time, floor time.Time) seenSet {
	s := seenSet{at: map[uint64]int64{}}
	if st == nil {
		s.floor = floor.Unix()
		return s
	}
	s.floor = st.Floor
	for _, k := range st.Seen { // a cursor of an earlier version
		s.at[keyHash(k)] = now.Unix()
	}
	b, err := base64.StdEncoding.DecodeString(st.Keys)
	if err != nil {
		return s
	}
	for i := 0; i+recordSize <= len(b); i += recordSize {
		h := binary.BigEndian.Uint64(b[i:])
		s.at[h] = int64(binary.BigEndian.Uint32(b[i+8:]))
	}
	return s
}

// has reports whether key (or its legacy form) was seen.
func (s seenSet) has(key, legacy string) bool {
	if _, ok := s.at[keyHash(key)]; ok {
		return true
	}
	if legacy == "" {
		return false
	}
	_, ok := s.at[keyHash(legacy)]
	return ok
}

// mark records key at t, keeping the later time of a key seen before.
func (s seenSet) mark(key string, t time.Time) {
	h := keyHash(key)
	if old, ok := s.at[h]; !ok || t.Unix() > old {
		s.at[h] = t.Unix()
	}
}

// save keeps the newest limit records (raising the floor to the newest
// one dropped) and encodes them into a state with the given validators.
func (s seenSet) save(etag, lastModified string, limit int) *feedState {
	type rec struct {
		h uint64
		t int64
	}
	recs := make([]rec, 0, len(s.at))
	for h, t := range s.at {
		recs = append(recs, rec{h, t})
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].t > recs[j].t || recs[i].t == recs[j].t && recs[i].h < recs[j].h })
	floor := s.floor
	if len(recs) > limit {
		floor = max(floor, recs[limit].t)
		recs = recs[:limit]
	}
	b := make([]byte, 0, len(recs)*recordSize)
	for _, r := range recs {
		b = binary.BigEndian.AppendUint64(b, r.h)
		b = binary.BigEndian.AppendUint32(b, uint32(max(r.t, 0)))
	}
	st := &feedState{Floor: floor}
	if len(b) > 0 {
		st.Keys = base64.StdEncoding.EncodeToString(b)
	}
	if len(etag) <= maxValidator {
		st.ETag = etag
	}
	if len(lastModified) <= maxValidator {
		st.LastModified = lastModified
	}
	return st
}

// perFeed is how many records each of n URLs keeps.
func perFeed(n int) int { return max(1, min(MaxSeen, SeenBudget/max(n, 1))) }
