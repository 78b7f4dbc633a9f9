package store

import (
	"cmp"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketHourSums holds, per UTC hour and network (hourKey + network), the
// partial aggregates of that hour's facts that the weekly report needs
// (HourSum): what a pass over every fact of a window would compute, kept
// in a form whose union over the hours of a window is exact.
var bucketHourSums = []byte("rollup_hoursums")

// HourTopK is how many facts each top list of an HourSum keeps: the top
// K of a window are among the union of its hours' top K, so any K' ≤ K is
// exact after a merge.
const HourTopK = 3

// Top lists of an HourSum.
const (
	TopPositive byte = 'p' // the brand's own label is positive (Fact.SentimentFor)
	TopNegative byte = 'n' // ... negative
	TopDated    byte = 'w' // kind mention, date not estimated (spike explanations)
)

// HourSum is the exact partial aggregate of one UTC hour's facts on one
// network. Author, host, language, topic and top lists count the facts
// that are not owned posts; Fresh counts every fact; Replies lists the
// owned replies paired with a mention.
type HourSum struct {
	Hour    time.Time
	Network string
	// Fresh[i] counts the facts (any kind) whose counts were read in
	// refresh band i (FreshBand).
	Fresh []int64
	// Authors are the named authors, sorted by Name.
	Authors []AuthorSum
	// Anon counts, per brand (sorted), the facts without an author and
	// sums their followers: each is its own voice.
	Anon []AnonSum
	// Langs counts facts per brand and language, Key "brand\x00lang"
	// (lang as stored, "" included); Hosts per Fact.Host (non-empty);
	// Topics per topic. Each sorted by Key.
	Langs, Hosts, Topics []KeyCount
	// Top holds, per list and brand, the HourTopK facts first in TopOrder,
	// sorted by list, brand, then TopOrder.
	Top []TopFact
	// Replies are the owned facts paired with a parent of kind mention,
	// by Seq.
	Replies []ReplySum
}

// AuthorSum is one author's facts in the hour.
type AuthorSum struct {
	Name string
	// ID numbers the distinct network + author pairs of one Store.HourSums
	// call (0 elsewhere): equal within a call exactly when network and
	// Name are.
	ID           uint32
	Mentions     int64
	Interactions int64 // sum of Engagement
	Followers    int64 // the largest Followers seen
	Brands       []BrandFollowers
}

// BrandFollowers is the largest Followers of an author's facts naming Brand.
type BrandFollowers struct {
	Brand     string
	Followers int64
}

// AnonSum counts the facts without an author naming Brand.
type AnonSum struct {
	Brand               string
	Mentions, Followers int64
}

// KeyCount is one count.
type KeyCount struct {
	Key   string
	Count int64
}

// TopFact is a fact in a top list, with what orders it.
type TopFact struct {
	List       byte
	Brand      string
	Engagement int64
	Published  time.Time
	Seq        uint64
	ID         string
}

// ReplySum is an owned reply paired with a mention: the brands that both
// posted it and were named by the parent, and its delay (at least 0).
type ReplySum struct {
	Seq             uint64
	Published       time.Time
	ReplyTo         string
	Brands          []string
	ParentPublished time.Time
	Delay           time.Duration
}

// TopOrder is most engaged first, then newer, then ID, then Seq.
func TopOrder(a, b *TopFact) int {
	if c := cmp.Compare(b.Engagement, a.Engagement); c != 0 {
		return c
	}
	if c := b.Published.Compare(a.Published); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	return cmp.Compare(a.Seq, b.Seq)
}

// FreshBand is the refresh band of counts read age after publication: 0
// below RefreshAges[0], i from RefreshAges[i-1] on.
func FreshBand(age time.Duration) int {
	b := 0
	for i, a := range RefreshAges {
		if age >= a {
			b = i + 1
		}
	}
	return b
}

// sumFacts is the one rule for what facts add to an hour's sum: Commit
// adds the sum of its new facts, and any other change (refresh, rescore,
// reply pairing, retention, rebuild) recomputes the hour from its facts.
func sumFacts(hour time.Time, network string, facts []*Fact) *HourSum {
	s := &HourSum{Hour: hour, Network: network, Fresh: make([]int64, len(RefreshAges)+1)}
	authors := map[string]*AuthorSum{}
	anon := map[string]*AnonSum{}
	langs, hosts, topics := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, f := range facts {
		s.Fresh[FreshBand(f.CountedAfter)]++
		if f.Kind == KindOwned {
			if !f.ParentPublished.IsZero() && f.ParentKind == KindMention {
				r := ReplySum{Seq: f.Seq, Published: f.Published, ReplyTo: f.ReplyTo, ParentPublished: f.ParentPublished, Delay: max(f.Published.Sub(f.ParentPublished), 0)}
				for _, b := range f.Brands {
					if containsString(f.ParentBrands, b) {
						r.Brands = append(r.Brands, b)
					}
				}
				s.Replies = append(s.Replies, r)
			}
			continue
		}
		if f.Author != "" {
			a := authors[f.Author]
			if a == nil {
				a = &AuthorSum{Name: f.Author}
				authors[f.Author] = a
			}
			a.Mentions++
			a.Interactions += f.Engagement
			a.Followers = max(a.Followers, f.Followers)
			for _, b := range f.Brands {
				i := slices.IndexFunc(a.Brands, func(x BrandFollowers) bool { return x.Brand == b })
				if i < 0 {
					a.Brands = append(a.Brands, BrandFollowers{Brand: b, Followers: f.Followers})
				} else {
					a.Brands[i].Followers = max(a.Brands[i].Followers, f.Followers)
				}
			}
		} else {
			for _, b := range f.Brands {
				n := anon[b]
				if n == nil {
					n = &AnonSum{Brand: b}
					anon[b] = n
				}
				n.Mentions++
				n.Followers += f.Followers
			}
		}
		for _, b := range f.Brands {
			langs[b+"\x00"+f.Lang]++
			_, label := f.SentimentFor(b)
			switch label {
			case "positive":
				s.Top = append(s.Top, topFactOf(TopPositive, b, f))
			case "negative":
				s.Top = append(s.Top, topFactOf(TopNegative, b, f))
			}
			if f.Kind == KindMention && !f.Estimated {
				s.Top = append(s.Top, topFactOf(TopDated, b, f))
			}
		}
		if f.Host != "" {
			hosts[f.Host]++
		}
		for _, t := range f.Topics {
			topics[t]++
		}
	}
	for _, a := range authors {
		slices.SortFunc(a.Brands, func(x, y BrandFollowers) int { return cmp.Compare(x.Brand, y.Brand) })
		s.Authors = append(s.Authors, *a)
	}
	slices.SortFunc(s.Authors, func(x, y AuthorSum) int { return cmp.Compare(x.Name, y.Name) })
	for _, a := range anon {
		s.Anon = append(s.Anon, *a)
	}
	slices.SortFunc(s.Anon, func(x, y AnonSum) int { return cmp.Compare(x.Brand, y.Brand) })
	s.Langs, s.Hosts, s.Topics = sortedCounts(langs), sortedCounts(hosts), sortedCounts(topics)
	s.Top = cutTop(s.Top)
	slices.SortFunc(s.Replies, func(x, y ReplySum) int { return cmp.Compare(x.Seq, y.Seq) })
	return s
}

func topFactOf(list byte, brand string, f *Fact) TopFact {
	return TopFact{List: list, Brand: brand, Engagement: f.Engagement, Published: f.Published, Seq: f.Seq, ID: f.ID}
}

func sortedCounts(m map[string]int64) []KeyCount {
	out := make([]KeyCount, 0, len(m))
	for k, n := range m {
		out = append(out, KeyCount{Key: k, Count: n})
	}
	slices.SortFunc(out, func(x, y KeyCount) int { return cmp.Compare(x.Key, y.Key) })
	return out
}

// topListOrder orders top facts by list, brand, then TopOrder.
func topListOrder(x, y TopFact) int {
	if c := cmp.Compare(x.List, y.List); c != 0 {
		return c
	}
	if c := cmp.Compare(x.Brand, y.Brand); c != 0 {
		return c
	}
	return TopOrder(&x, &y)
}

// cutTop sorts top facts by topListOrder and keeps the first HourTopK of
// each list and brand.
func cutTop(ts []TopFact) []TopFact {
	slices.SortFunc(ts, topListOrder)
	return keepTop(ts)
}

// keepTop keeps the first HourTopK of each list and brand of sorted ts.
func keepTop(ts []TopFact) []TopFact {
	out := ts[:0]
	run := 0
	for i := range ts {
		if i > 0 && ts[i].List == ts[i-1].List && ts[i].Brand == ts[i-1].Brand {
			run++
		} else {
			run = 0
		}
		if run < HourTopK {
			out = append(out, ts[i])
		}
	}
	return out
}

// mergeSums returns the sum of a and b, two sums of disjoint sets of facts
// of the same hour and network: counts add, maxima take the larger, top
// lists keep the first HourTopK of their union.
func mergeSums(a, b *HourSum) *HourSum {
	s := &HourSum{Hour: a.Hour, Network: a.Network, Fresh: make([]int64, len(RefreshAges)+1)}
	for i := range s.Fresh {
		s.Fresh[i] = at(a.Fresh, i) + at(b.Fresh, i)
	}
	s.Authors = mergeSorted(a.Authors, b.Authors, func(x, y AuthorSum) int { return cmp.Compare(x.Name, y.Name) }, func(x, y AuthorSum) AuthorSum {
		x.Mentions += y.Mentions
		x.Interactions += y.Interactions
		x.Followers = max(x.Followers, y.Followers)
		x.Brands = mergeSorted(x.Brands, y.Brands, func(p, q BrandFollowers) int { return cmp.Compare(p.Brand, q.Brand) }, func(p, q BrandFollowers) BrandFollowers {
			p.Followers = max(p.Followers, q.Followers)
			return p
		})
		return x
	})
	s.Anon = mergeSorted(a.Anon, b.Anon, func(x, y AnonSum) int { return cmp.Compare(x.Brand, y.Brand) }, func(x, y AnonSum) AnonSum {
		x.Mentions += y.Mentions
		x.Followers += y.Followers
		return x
	})
	addCounts := func(x, y KeyCount) KeyCount { x.Count += y.Count; return x }
	byKey := func(x, y KeyCount) int { return cmp.Compare(x.Key, y.Key) }
	s.Langs = mergeSorted(a.Langs, b.Langs, byKey, addCounts)
	s.Hosts = mergeSorted(a.Hosts, b.Hosts, byKey, addCounts)
	s.Topics = mergeSorted(a.Topics, b.Topics, byKey, addCounts)
	s.Top = keepTop(mergeSorted(a.Top, b.Top, topListOrder, func(x, _ TopFact) TopFact { return x }))
	s.Replies = append(slices.Clone(a.Replies), b.Replies...)
	slices.SortFunc(s.Replies, func(x, y ReplySum) int { return cmp.Compare(x.Seq, y.Seq) })
	return s
}

func at(v []int64, i int) int64 {
	if i < len(v) {
		return v[i]
	}
	return 0
}

// mergeSorted merges two lists sorted by order, combining equal elements.
func mergeSorted[T any](a, b []T, order func(x, y T) int, both func(x, y T) T) []T {
	out := make([]T, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := order(a[i], b[j]); {
		case c < 0:
			out = append(out, a[i])
			i++
		case c > 0:
			out = append(out, b[j])
			j++
		default:
			out = append(out, both(a[i], b[j]))
			i, j = i+1, j+1
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// hourNet names the sum of one hour and network.
type hourNet struct {
	hour    int64
	network string
}

func hourNetOf(f *Fact) hourNet { return hourNet{hourOf(f.Published), f.Network} }

// hourSums collects one transaction's changes to the hour sums: facts
// added (merged into the stored sum) and hours changed otherwise
// (recomputed from their facts, which then include the added ones).
type hourSums struct {
	added map[hourNet][]*Fact
	dirty map[hourNet]bool
}

// add records a new fact.
func (h *hourSums) add(f *Fact) {
	if h.added == nil {
		h.added = map[hourNet][]*Fact{}
	}
	k := hourNetOf(f)
	h.added[k] = append(h.added[k], f)
}

// touch records that a stored fact changed or went away.
func (h *hourSums) touch(f *Fact) {
	if h.dirty == nil {
		h.dirty = map[hourNet]bool{}
	}
	h.dirty[hourNetOf(f)] = true
}

func hourSumKey(k hourNet) []byte {
	return append(hourKey(time.Unix(k.hour*3600, 0)), k.network...)
}

// flush writes the collected changes into bucketHourSums.
func (h *hourSums) flush(tx *bolt.Tx) error {
	b := tx.Bucket(bucketHourSums)
	for k, fs := range h.added {
		if h.dirty[k] {
			continue
		}
		hour := time.Unix(k.hour*3600, 0).UTC()
		sum := sumFacts(hour, k.network, fs)
		key := hourSumKey(k)
		if v := b.Get(key); v != nil {
			old, err := decodeHourSum(key, v)
			if err != nil {
				return err
			}
			sum = mergeSums(old, sum)
		}
		if err := b.Put(key, sum.encode()); err != nil {
			return err
		}
	}
	for k := range h.dirty {
		if err := recomputeHour(tx, k); err != nil {
			return err
		}
	}
	return nil
}

// recomputeHour rewrites the sum of one hour and network from its facts,
// deleting it when none is left.
func recomputeHour(tx *bolt.Tx, k hourNet) error {
	hour := time.Unix(k.hour*3600, 0).UTC()
	var fs []*Fact
	c := tx.Bucket(bucketFacts).Cursor()
	hi := timeKey(hour.Add(time.Hour), 0)
	for fk, v := c.Seek(timeKey(hour, 0)); fk != nil && string(fk) < string(hi); fk, v = c.Next() {
		f, err := decodeFact(fk, v)
		if err != nil {
			continue // left out, as a rebuild leaves out an undecodable mention
		}
		if f.Network == k.network {
			fs = append(fs, f)
		}
	}
	b, key := tx.Bucket(bucketHourSums), hourSumKey(k)
	if len(fs) == 0 {
		return b.Delete(key)
	}
	return b.Put(key, sumFacts(hour, k.network, fs).encode())
}
