package match

import (
	"slices"
	"testing"

	"github.com/earshot/earshot/config"
)

// FuzzMatch feeds arbitrary titles, texts and authors (and a fuzzed term)
// to a matcher: no panics, results only name configured brands and topics
// in config order, and the automaton agrees with the naive reference.
func FuzzMatch(f *testing.F) {
	for _, s := range [][3]string{
		{"Acme", "I love Acme's anvils", "acme_hq"},
		{"삼성", "삼성에서는 토스트를 먹는다 ㅋㅋ", ""},
		{"아크미", "아크미(Acme) Road Runner @acme_hq.", "@ACME_HQ"},
		{"ＡＣＭＥ", "Ａｃｍｅ\u3000corp \xff\xfe", "x"},
		{"e\u0301", "cafe\u0301 @tossteam@", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, term, text, author string) {
		brands := testBrands()
		brands = append(brands, config.Brand{Name: "Fuzz", Terms: []string{term}, Exclude: []string{term + " x"}})
		m, err := New(brands, []config.Topic{{Name: "t", Query: "acme OR 삼성*"}})
		if err != nil {
			return // a term without letters or digits is refused
		}
		in := Input{Network: "hackernews", Author: author, Title: term, Text: text}
		r := m.Match(in)
		names := []string{}
		for _, b := range brands {
			names = append(names, b.Name)
		}
		last := -1
		for _, b := range r.Brands {
			i := slices.Index(names, b)
			if i <= last {
				t.Fatalf("brands %v not distinct configured names in config order", r.Brands)
			}
			last = i
		}
		if r.OwnedBy != "" && !slices.Contains(names, r.OwnedBy) {
			t.Fatalf("OwnedBy %q is not a brand", r.OwnedBy)
		}
		if len(r.Topics) > 1 || len(r.Topics) == 1 && r.Topics[0] != "t" {
			t.Fatalf("topics %v", r.Topics)
		}
		// Without handle mentions, the automaton must agree with the naive loop.
		if !containsAt(in.Title) && !containsAt(in.Text) {
			if want := newNaive(brands).match(in); !slices.Equal(r.Brands, want) {
				t.Fatalf("Match(%q) = %v, naive %v", in, r.Brands, want)
			}
		}
	})
}

func containsAt(s string) bool { return slices.Contains([]byte(s), '@') }
