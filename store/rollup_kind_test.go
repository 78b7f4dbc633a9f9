package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// FactsOfKind returns exactly the facts of one kind that Facts returns, in
// the same order, fully decoded.
func TestFactsOfKind(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, rollupFixture()...)
	ctx := context.Background()
	from, to := t0.Add(-time.Hour), t0.Add(48*time.Hour)
	var all []*Fact
	if err := s.Facts(ctx, from, to, func(f *Fact) error { all = append(all, f); return nil }); err != nil {
		t.Fatal(err)
	}
	for kind, n := range map[string]int{KindOwned: 1, KindMention: 3, "other": 0} {
		var want, got []*Fact
		for _, f := range all {
			if f.Kind == kind {
				want = append(want, f)
			}
		}
		if err := s.FactsOfKind(ctx, from, to, kind, func(f *Fact) error { got = append(got, f); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != n || !reflect.DeepEqual(got, want) {
			t.Errorf("FactsOfKind(%q) = %d facts %+v, want %d %+v", kind, len(got), got, n, want)
		}
	}
}

// factIsKind reads the kind in place; a value it cannot read is passed on
// (decodeFact then rejects it) rather than silently skipped.
func TestFactIsKind(t *testing.T) {
	v := (&Fact{ID: "x:1", Network: "x", Kind: KindOwned}).encode()
	if !factIsKind(v, KindOwned) || factIsKind(v, KindMention) || factIsKind(v, KindOwned+"s") {
		t.Errorf("factIsKind misreads %x", v)
	}
	for _, bad := range [][]byte{nil, {factVersion + 1}, v[:4], {factVersion, 0xff}} {
		if !factIsKind(bad, KindMention) {
			t.Errorf("factIsKind(%x) skips an unreadable value", bad)
		}
	}
}

// TopicCounts counts what a scan of Facts counts, per kind and network,
// and reports a fact it cannot read.
func TestTopicCounts(t *testing.T) {
	ms := rollupFixture()
	ms[0].Topics = []string{"battery", "price"} // hackernews, mention
	ms[1].Topics = []string{"battery"}          // hackernews, mention
	ms[2].Topics = []string{"battery"}          // owned
	ms[3].Topics = []string{"price"}            // naver, mention
	s := openT(t, t.TempDir())
	commitT(t, s, ms...)
	ctx := context.Background()
	from, to := t0.Add(-time.Hour), t0.Add(48*time.Hour)
	for _, c := range []struct {
		kind     string
		networks []string
		want     map[string]int64
	}{
		{KindMention, nil, map[string]int64{"battery": 2, "price": 2}},
		{KindMention, []string{"naver"}, map[string]int64{"price": 1}},
		{KindOwned, nil, map[string]int64{"battery": 1}},
		{KindMention, []string{"x"}, map[string]int64{}},
	} {
		got, err := s.TopicCounts(ctx, from, to, c.kind, c.networks)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("TopicCounts(%s, %v) = %v, want %v", c.kind, c.networks, got, c.want)
		}
	}
	v := (&Fact{ID: "x:1", Network: "x", Kind: KindMention, Brands: []string{"A"}, Topics: []string{"t1", "t2"}}).encode()
	if n, k, tp, err := factTopics(v); err != nil || string(n) != "x" || string(k) != KindMention || len(tp) != 2 || string(tp[1]) != "t2" {
		t.Errorf("factTopics = %q %q %q %v", n, k, tp, err)
	}
	for _, bad := range [][]byte{nil, {factVersion + 1}, v[:len(v)-5]} { // the last cut ends inside the topics
		if _, _, _, err := factTopics(bad); err == nil {
			t.Errorf("factTopics(%x) reads a broken fact", bad)
		}
	}
}
