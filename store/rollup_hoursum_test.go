package store

import (
	"fmt"
	"hash/maphash"
	"math/rand"
	"reflect"
	"slices"
	"testing"
	"time"
)

// randomFacts is n facts of one hour and network with few authors (so
// they repeat), brands, own sentiment, hosts, topics, replies and ties.
func randomFacts(r *rand.Rand, hour time.Time, n int) []*Fact {
	var out []*Fact
	for i := range n {
		f := &Fact{
			Seq: uint64(r.Intn(1 << 30)), Published: hour.Add(time.Duration(r.Intn(3600)) * time.Second), ID: fmt.Sprintf("id%d-%d", i, r.Intn(1e6)),
			Network: "x", Kind: KindMention, Lang: []string{"", "en", "ko"}[r.Intn(3)], Label: []string{"", "positive", "negative", "neutral"}[r.Intn(4)],
			Author: []string{"", "ann", "bo", "cy", "di"}[r.Intn(5)], Followers: int64(r.Intn(4) * 100), Engagement: int64(r.Intn(5)),
			Estimated: r.Intn(4) == 0, CountedAfter: time.Duration(r.Intn(200)) * time.Hour, Host: []string{"", "a.com", "b.org"}[r.Intn(3)],
		}
		f.Brands = []string{"A", "B", "C"}[:1+r.Intn(2)]
		if r.Intn(3) == 0 {
			f.Topics = []string{"battery"}
		}
		if r.Intn(4) == 0 {
			f.BrandSentiment = map[string]BrandSentiment{f.Brands[0]: {Label: "negative", Score: -0.5}}
		}
		if r.Intn(6) == 0 {
			f.Kind, f.ReplyTo = KindOwned, "p"+fmt.Sprint(r.Intn(5))
			if r.Intn(2) == 0 {
				f.ParentPublished, f.ParentKind, f.ParentBrands = f.Published.Add(-time.Duration(r.Intn(50)-5)*time.Hour), KindMention, []string{"A"}
			}
		}
		out = append(out, f)
	}
	return out
}

// The sum of two sets of facts merged is the sum of their union, and an
// encoded sum reads back the same: what lets Commit merge and readers
// compose hours.
func TestHourSumMergeIsUnion(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	hour := time.Date(2026, 3, 1, 5, 0, 0, 0, time.UTC)
	for trial := range 300 {
		a, b := randomFacts(r, hour, r.Intn(30)), randomFacts(r, hour, r.Intn(30))
		whole := sumFacts(hour, "x", append(append([]*Fact{}, a...), b...))
		merged := mergeSums(sumFacts(hour, "x", a), sumFacts(hour, "x", b))
		if !reflect.DeepEqual(normal(whole), normal(merged)) {
			t.Fatalf("trial %d: merged %+v\nwhole %+v", trial, merged, whole)
		}
		key := hourSumKey(hourNet{hourOf(hour), "x"})
		back, err := decodeHourSum(key, whole.encode())
		if err != nil || !reflect.DeepEqual(normal(back), normal(whole)) {
			t.Fatalf("trial %d: decoded %+v (%v)\nwant %+v", trial, back, err, whole)
		}
		light, err := decodeHourSumParts(key, whole.encode(), true, nil)
		if err != nil || !reflect.DeepEqual(light.Topics, back.Topics) || !reflect.DeepEqual(light.Replies, back.Replies) || light.Authors != nil {
			t.Fatalf("trial %d: light read %+v (%v)", trial, light, err)
		}
	}
}

// normal makes empty lists nil, as the decoder leaves them.
func normal(s *HourSum) *HourSum {
	c := *s
	if len(c.Authors) == 0 {
		c.Authors = nil
	}
	c.Authors = slices.Clone(c.Authors)
	for i := range c.Authors {
		c.Authors[i].ID = 0 // numbered by the read (TestHourSumsInternAuthors)
		if len(c.Authors[i].Brands) == 0 {
			c.Authors[i].Brands = nil
		}
	}
	for _, l := range []*[]KeyCount{&c.Langs, &c.Hosts, &c.Topics} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	if len(c.Anon) == 0 {
		c.Anon = nil
	}
	if len(c.Top) == 0 {
		c.Top = nil
	}
	if len(c.Replies) == 0 {
		c.Replies = nil
	}
	return &c
}

// One hand-computed hour: an author's largest followers (not their sum),
// per brand; unknown authors each their own voice; top lists cut at
// HourTopK with ties broken newer first.
func TestHourSumByHand(t *testing.T) {
	h := time.Date(2026, 3, 1, 5, 0, 0, 0, time.UTC)
	f := func(seq uint64, author string, followers, eng int64, min int, label string, brands ...string) *Fact {
		return &Fact{Seq: seq, ID: fmt.Sprint("m", seq), Published: h.Add(time.Duration(min) * time.Minute), Network: "x", Kind: KindMention,
			Author: author, Followers: followers, Engagement: eng, Label: label, Brands: brands}
	}
	s := sumFacts(h, "x", []*Fact{
		f(1, "ann", 100, 5, 1, "positive", "A"),
		f(2, "ann", 300, 1, 2, "positive", "A", "B"),
		f(3, "", 50, 5, 3, "positive", "A"),
		f(4, "", 70, 5, 4, "positive", "A"),
		f(5, "bo", 0, 9, 5, "negative", "B"),
	})
	want := []AuthorSum{
		{Name: "ann", Mentions: 2, Interactions: 6, Followers: 300, Brands: []BrandFollowers{{"A", 300}, {"B", 300}}},
		{Name: "bo", Mentions: 1, Interactions: 9, Followers: 0, Brands: []BrandFollowers{{"B", 0}}},
	}
	if !reflect.DeepEqual(s.Authors, want) {
		t.Errorf("authors %+v, want %+v", s.Authors, want)
	}
	if !reflect.DeepEqual(s.Anon, []AnonSum{{Brand: "A", Mentions: 2, Followers: 120}}) {
		t.Errorf("anon %+v", s.Anon)
	}
	var pos []uint64
	for _, x := range s.Top {
		if x.List == TopPositive && x.Brand == "A" {
			pos = append(pos, x.Seq)
		}
	}
	// Engagement 5, 5, 5 (seqs 1, 3, 4: newer first) then 1: the top 3.
	if !reflect.DeepEqual(pos, []uint64{4, 3, 1}) {
		t.Errorf("positive top of A: seqs %v, want [4 3 1]", pos)
	}
}

// One read numbers its authors: equal IDs exactly for equal network and
// name, across hours, and each ID's name is the author's.
func TestHourSumsInternAuthors(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	ids := newAuthorIDs()
	type who struct{ network, name string }
	seen := map[uint32]who{}
	byWho := map[who]uint32{}
	for trial := range 200 {
		hour := time.Date(2026, 3, 1, trial%24, 0, 0, 0, time.UTC)
		network := []string{"x", "bluesky", "reddit"}[trial%3]
		sum := sumFacts(hour, network, randomFacts(r, hour, r.Intn(30)))
		back, err := decodeHourSumParts(hourSumKey(hourNet{hourOf(hour), network}), sum.encode(), false, ids)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range back.Authors {
			if a.Name != sum.Authors[i].Name {
				t.Fatalf("trial %d: author %d read as %q, want %q", trial, i, a.Name, sum.Authors[i].Name)
			}
			w := who{network, a.Name}
			if old, ok := seen[a.ID]; ok && old != w {
				t.Fatalf("trial %d: ID %d names %v and %v", trial, a.ID, old, w)
			}
			if id, ok := byWho[w]; ok && id != a.ID {
				t.Fatalf("trial %d: %v has IDs %d and %d", trial, w, id, a.ID)
			}
			seen[a.ID], byWho[w] = w, a.ID
		}
	}
	if len(seen) != len(ids.names) || len(seen) < 10 {
		t.Fatalf("%d IDs met, %d numbered: want the same, and some", len(seen), len(ids.names))
	}
	var shared int
	for w := range byWho {
		for _, n := range []string{"x", "bluesky", "reddit"} {
			if _, ok := byWho[who{n, w.name}]; ok && n != w.network {
				shared++
			}
		}
	}
	if shared == 0 {
		t.Fatal("no author name on two networks: the test shows nothing about the network part of the key")
	}
}

// Two authors whose hashes collide still get their own IDs: the table
// checks every hit against the name and probes on; and IDs survive the
// table's growth.
func TestHourSumsInternCollision(t *testing.T) {
	a := newAuthorIDs()
	ann, _ := a.intern("x", []byte("ann"))
	// Make "bo" on x collide with "ann" on x, as another hash would: a
	// slot holding bo's hash and ann's ID, where bo's probe starts.
	h := maphash.Bytes(a.seed, []byte("x\x00bo"))
	mask := uint64(len(a.slots) - 1)
	i := h & mask
	for a.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	var annSlot authorSlot
	for _, sl := range a.slots {
		if sl.id == ann+1 {
			annSlot = sl
		}
	}
	a.slots[i] = authorSlot{hash: h, id: ann + 1, off: annSlot.off, len: annSlot.len}
	// And "ann" on bluesky with "ann" on x: same name, another network.
	h = maphash.Bytes(a.seed, []byte("bluesky\x00ann"))
	for i = h & mask; a.slots[i].id != 0; i = (i + 1) & mask {
	}
	a.slots[i] = authorSlot{hash: h, id: ann + 1, off: annSlot.off, len: annSlot.len}
	for range 2 {
		if id, name := a.intern("x", []byte("bo")); id == ann || name != "bo" {
			t.Fatalf("colliding author: ID %d name %q; want a new ID (ann is %d) and bo", id, name, ann)
		}
		if id, name := a.intern("x", []byte("ann")); id != ann || name != "ann" {
			t.Fatalf("ann after the collision: ID %d name %q; want %d", id, name, ann)
		}
	}
	if id, _ := a.intern("bluesky", []byte("ann")); id == ann {
		t.Fatal("ann on bluesky has x's ID")
	}
	if len(a.names) != 3 {
		t.Fatalf("%d IDs, want 3", len(a.names))
	}
	ids := map[string]uint32{}
	for j := range 3 * authorSlots {
		name := fmt.Sprint("u", j)
		ids[name], _ = a.intern("reddit", []byte(name))
	}
	if len(a.slots) < 2*len(a.names) {
		t.Fatalf("%d slots for %d authors: the table did not grow", len(a.slots), len(a.names))
	}
	for name, want := range ids {
		if id, got := a.intern("reddit", []byte(name)); id != want || got != name {
			t.Fatalf("%s after growth: ID %d (%q), want %d", name, id, got, want)
		}
	}
	if id, _ := a.intern("x", []byte("ann")); id != ann || len(a.names) != 3+3*authorSlots {
		t.Fatalf("after growth: ann %d (want %d), %d IDs", id, ann, len(a.names))
	}
}
