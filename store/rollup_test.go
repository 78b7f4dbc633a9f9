package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/earshot/earshot/query"
)

// rollupFixture is a small hand-counted set: two hours, two networks, an
// owned reply to a stored complaint and a mention of two brands.
func rollupFixture() []Mention {
	a := mk("1", "Acme battery", "the acme battery is great", 0, "Acme")
	a.SentimentLabel, a.Sentiment, a.AuthorFollowers, a.EngagementTotal = "positive", 0.5, 100, 10
	a.Author, a.Links = "ann", []string{"https://www.Acme.example/shop?x=1", "https://acme.example/other", "not a url"}
	b := mk("2", "", "acme and globex both fail", 0, "Acme", "Globex", "Acme")
	b.SentimentLabel, b.Sentiment, b.AuthorFollowers, b.EngagementTotal = "negative", -0.75, 50, 4
	b.Author = "bob"
	c := mk("3", "", "Sorry about that, we are on it", 2, "Acme")
	c.Kind, c.ReplyTo, c.SentimentLabel, c.Sentiment, c.EngagementTotal = KindOwned, b.ID, "neutral", 0, 1
	c.Published = b.Published.Add(90 * time.Minute)
	d := mk("4", "", "아크미에서 배터리 최고", 1, "Acme")
	d.Network, d.ID, d.URL, d.Lang, d.EngagementTotal = "naver", "naver:4", "https://blog.naver.com/x/4", "ko", -5
	for _, m := range []*Mention{&a, &b, &c} {
		m.Engagement = map[string]int64{"points": m.EngagementTotal}
	}
	return []Mention{a, b, c, d}
}

func cellsOf(t *testing.T, s *Store) map[string]Cell {
	t.Helper()
	out := map[string]Cell{}
	err := s.Cells(context.Background(), t0.Add(-time.Hour), t0.Add(48*time.Hour), func(c *Cell) error {
		out[c.Hour.Format("15")+"|"+c.Network+"|"+c.Brand+"|"+c.Kind] = *c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRollupCellsCountEachNewMentionOnce(t *testing.T) {
	s := openT(t, t.TempDir())
	ms := rollupFixture()
	commitT(t, s, ms...)
	if r := commitT(t, s, ms...); r.Duplicates != 4 || r.Added != 0 {
		t.Fatalf("second commit = %+v", r)
	}
	got := cellsOf(t, s)
	h0 := t0.Format("15")
	acme := got[h0+"|hackernews|Acme|mention"]
	want := Cell{Hour: t0, Network: "hackernews", Brand: "Acme", Kind: KindMention, Count: 2, Positive: 1, Negative: 1,
		Engagement: 14, Reach: 150, ReachKnown: 2, SentimentSum: -0.25}
	if !reflect.DeepEqual(acme, want) {
		t.Errorf("acme cell = %+v\nwant %+v", acme, want)
	}
	if all := got[h0+"|hackernews||mention"]; all.Count != 2 || all.Engagement != 14 {
		t.Errorf("all-mentions cell = %+v, want each mention once", all)
	}
	if g := got[h0+"|hackernews|Globex|mention"]; g.Count != 1 || g.Negative != 1 || g.Reach != 50 {
		t.Errorf("globex cell = %+v", g)
	}
	owned := got[t0.Add(time.Hour).Format("15")+"|hackernews|Acme|owned"]
	if owned.Count != 1 || owned.Replies != 1 || owned.ResponseSeconds != 90*60 || owned.Neutral != 1 {
		t.Errorf("owned reply cell = %+v, want 1 reply of 5400 s", owned)
	}
	if n := got[t0.Add(time.Hour).Format("15")+"|naver|Acme|mention"]; n.Count != 1 || n.Engagement != 0 {
		t.Errorf("naver cell = %+v (negative engagement must read 0)", n)
	}
	if len(got) != 7 {
		t.Errorf("cells = %d, want 7: %v", len(got), got)
	}
}

func TestRollupFactsAndTerms(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, rollupFixture()...)
	var facts []*Fact
	if err := s.Facts(context.Background(), t0, t0.Add(3*time.Hour), func(f *Fact) error {
		facts = append(facts, f)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(facts) != 4 {
		t.Fatalf("facts = %d", len(facts))
	}
	a := facts[0]
	if a.ID != "hackernews:1" || !reflect.DeepEqual(a.LinkHosts, []string{"acme.example"}) || a.Host != "news.ycombinator.com" ||
		a.Followers != 100 || a.Label != "positive" || a.Sentiment != 0.5 || !a.Published.Equal(t0) {
		t.Errorf("fact a = %+v", a)
	}
	if b := facts[1]; !reflect.DeepEqual(b.Brands, []string{"Acme", "Globex"}) {
		t.Errorf("fact b brands = %q, want distinct", b.Brands)
	}
	reply := facts[3]
	if reply.ID != "hackernews:3" || reply.ReplyTo != "hackernews:2" || !reply.ParentPublished.Equal(t0) ||
		reply.ParentKind != KindMention || !reflect.DeepEqual(reply.ParentBrands, []string{"Acme", "Globex"}) {
		t.Errorf("reply fact = %+v", reply)
	}
	var links []LinkCell
	if err := s.LinkCells(context.Background(), t0, t0.Add(3*time.Hour), func(l LinkCell) error {
		links = append(links, l)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(links) != 1 || links[0].Count != 1 || !reflect.DeepEqual(links[0].Hosts, []string{"acme.example"}) || links[0].Network != "hackernews" {
		t.Errorf("link cells = %+v", links)
	}
	terms := map[string]int64{}
	if err := s.TermHours(context.Background(), t0.Truncate(24*time.Hour), t0.Add(24*time.Hour), func(d TermHour) error {
		if d.Brand == "Acme" {
			for _, tc := range d.Terms {
				terms[tc.Term] = tc.Count
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for w, n := range map[string]int64{"acme": 2, "battery": 1, "sorry": 1, "아크미": 1, "배터리": 1, "the": 1} {
		if terms[w] != n {
			t.Errorf("term %q = %d, want %d (all: %v)", w, terms[w], n, terms)
		}
	}
}

func TestRebuildRollupsEqualsIncremental(t *testing.T) {
	s := openT(t, t.TempDir())
	ms := rollupFixture()
	// Reply first, then its parent in a later commit: both pair them.
	late := mk("9", "", "we fixed it", 5, "Acme")
	late.Kind, late.ReplyTo = KindOwned, "hackernews:10"
	parent := mk("10", "", "acme broke", 3, "Acme")
	commitT(t, s, ms[:2]...)
	commitT(t, s, ms[2:]...)
	commitT(t, s, late)
	commitT(t, s, parent)
	before := dumpRollups(t, s)
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := dumpRollups(t, s)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("rebuild differs from incremental:\nbefore %v\nafter  %v", before, after)
	}
	if len(before) < 10 {
		t.Errorf("dump has %d records; fixture not rolled up", len(before))
	}
}

// dumpRollups renders every rollup record as sorted strings.
func dumpRollups(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	ctx := context.Background()
	from, to := t0.Add(-48*time.Hour), t0.Add(48*time.Hour)
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	check(s.Cells(ctx, from, to, func(c *Cell) error { out = append(out, "cell "+fmtAny(*c)); return nil }))
	check(s.Facts(ctx, from, to, func(f *Fact) error { out = append(out, "fact "+fmtAny(*f)); return nil }))
	check(s.TermHours(ctx, from, to, func(d TermHour) error { out = append(out, "terms "+fmtAny(d)); return nil }))
	check(s.LinkCells(ctx, from, to, func(l LinkCell) error { out = append(out, "links "+fmtAny(l)); return nil }))
	sort.Strings(out)
	return out
}

func TestRollupsRebuiltWhenMissingOnOpen(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	commitT(t, s, rollupFixture()...)
	want := dumpRollups(t, s)
	// Forget the version: the next Open must rebuild, with the same result.
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyRollupVersion) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openT(t, dir)
	if got := dumpRollups(t, s2); !reflect.DeepEqual(got, want) {
		t.Errorf("rollups after reopen differ:\n%v\n%v", got, want)
	}
}

func TestRangeOrderAndBounds(t *testing.T) {
	s := openT(t, t.TempDir())
	commitT(t, s, mk("c", "", "x", 2, "Acme"), mk("a", "", "x", 0, "Acme"), mk("b", "", "x", 1, "Acme"), mk("d", "", "x", 3, "Acme"))
	var got []string
	err := s.Range(context.Background(), t0, t0.Add(3*time.Hour), func(m Mention) error {
		got = append(got, m.NativeID)
		return nil
	})
	if err != nil || !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("range = %q, %v; want a b c (to exclusive)", got, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Range(ctx, t0, t0.Add(time.Hour), func(Mention) error { return nil }); err == nil {
		t.Error("cancelled Range returned nil")
	}
}

func TestDecodeFactRejectsGarbage(t *testing.T) {
	f := factOf(&rollupFixture()[0], 7, parentInfo{})
	key := timeKey(t0, 7)
	v := f.encode()
	if _, err := decodeFact(key, v); err != nil {
		t.Fatalf("round trip: %v", err)
	}
	for i := 0; i < len(v); i++ {
		if _, err := decodeFact(key, v[:i]); err == nil {
			t.Errorf("truncated fact (%d of %d bytes) decoded without error", i, len(v))
		}
	}
	if _, err := decodeFact(key[:3], v); err == nil {
		t.Error("short key accepted")
	}
	if _, err := decodeTerms([]byte{0xff, 0xff, 0xff, 0x01}); err == nil {
		t.Error("huge term list length accepted")
	}
}

func fmtAny(v any) string { return fmt.Sprintf("%+v", v) }

// TestMentionTermsAsDocumented checks mentionTerms against its definition
// written out plainly: the distinct words of title then text as Tokenize
// splits them once URLs are taken out, particles stripped, 2..maxTermRunes
// runes with a letter, at most maxTermsPerMention.
func TestMentionTermsAsDocumented(t *testing.T) {
	want := func(m *Mention) []string {
		seen := map[string]bool{}
		var out []string
		for _, text := range []string{m.Title, m.Text} {
			for _, tok := range query.Tokenize(query.WithoutURLs(text)) {
				w := query.KoreanStem(tok.Text)
				n := utf8.RuneCountInString(w)
				if n < 2 || n > maxTermRunes || seen[w] || !hasLetter(w) {
					continue
				}
				seen[w] = true
				out = append(out, w)
				if len(out) == maxTermsPerMention {
					return out
				}
			}
		}
		return out
	}
	long := ""
	for i := range 100 {
		long += fmt.Sprintf("word%c%c ", 'a'+i%26, 'a'+i/26)
	}
	for _, m := range []Mention{
		{Title: "Acme battery", Text: "the ACME battery is great, battery life 10h"},
		{Title: "아크미의 배터리는", Text: "배터리가 좋아요 아크미에서는 ＡＣＭＥ"},
		{Title: "café x", Text: "Café e\u0301 ① 1234 a1"},
		{Title: "", Text: ""},
		{Title: long, Text: "late words"},
		{Title: "title tail", Text: "tail head"},
		{Title: "recall https://acme.example/blog/first-post", Text: "see (https://x.example/outage) now"},
	} {
		if got, w := mentionTerms(&m), want(&m); !slices.Equal(got, w) {
			t.Errorf("mentionTerms(%q, %q) = %q, want %q", m.Title, m.Text, got, w)
		}
	}
	got := mentionTerms(&Mention{Title: "recall https://acme.example/blog/first-post", Text: "see (https://x.example/outage) now"})
	if want := []string{"recall", "see", "now"}; !slices.Equal(got, want) {
		t.Errorf("terms of a mention with links = %q, want %q (a link's words are not counted)", got, want)
	}
}
