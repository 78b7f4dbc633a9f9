package store

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/query"
)

func term(s string) query.Node   { return query.Term{Text: s} }
func phrase(s string) query.Node { return query.Term{Text: s, Phrase: true} }
func prefix(s string) query.Node { return query.Term{Text: s, Prefix: true} }
func and(n ...query.Node) query.Node {
	return query.And{Children: n}
}
func or(n ...query.Node) query.Node { return query.Or{Children: n} }
func not(n query.Node) query.Node   { return query.Not{Child: n} }

// seedSearch stores a small corpus (ids are the hour offsets as strings).
func seedSearch(t testing.TB, s *Store) {
	t.Helper()
	ms := []Mention{
		mk("1", "Acme launch", "The new Acme phone has great battery life.", 1, "Acme"),
		mk("2", "", "Globex batteries drain fast, battery life is terrible", 2, "Globex"),
		mk("3", "", "Acme's support fixed my login bug", 3, "Acme"),
		mk("4", "", "삼성은 좋다", 4, "Samsung"),
		mk("5", "", "삼성이 새 폰을 출시했다", 5, "Samsung"),
		mk("6", "", "어제 삼성에서 발표가 있었다", 6, "Samsung"),
		mk("7", "", "삼성동 맛집 추천", 7),
		mk("8", "", "Acme의 새 배터리는 오래 간다. battery is fine", 8, "Acme"),
		mk("9", "", "Life on Mars has no battery stores nearby", 9),
		mk("10", "", "I paid with acme pay, the battery was at 3 percent and then life got hard", 10, "Acme"),
	}
	ms[3].Lang, ms[4].Lang, ms[5].Lang, ms[6].Lang, ms[7].Lang = "ko", "ko", "ko", "ko", "ko"
	ms[5].Network, ms[5].ID = "rss", "rss:6"
	ms[2].Kind = KindOwned
	ms[8].Network, ms[8].ID = "rss", "rss:9"
	commitT(t, s, ms...)
	syncT(t, s)
}

func TestSearchEnglishStemming(t *testing.T) {
	s := openT(t, t.TempDir())
	seedSearch(t, s)
	for _, q := range []string{"battery", "batteries", "Battery"} {
		if got := sortedIDs(find(t, s, SearchRequest{Query: term(q)})); got != "1,10,2,8,9" {
			t.Errorf("%s → %s", q, got)
		}
	}
	// possessive: Acme's is found by acme
	if got := sortedIDs(find(t, s, SearchRequest{Query: term("acme")})); got != "1,10,3,8" {
		t.Errorf("acme → %s", got)
	}
}

func TestSearchKoreanParticles(t *testing.T) {
	s := openT(t, t.TempDir())
	seedSearch(t, s)
	// 삼성 finds 삼성은/삼성이/삼성에서 and not 삼성동.
	if got := sortedIDs(find(t, s, SearchRequest{Query: term("삼성")})); got != "4,5,6" {
		t.Errorf("삼성 → %s, want 4,5,6 (not 7: 삼성동)", got)
	}
	// a query word with an ending is reduced to its noun, as the matcher does
	if got := sortedIDs(find(t, s, SearchRequest{Query: term("삼성에서")})); got != "4,5,6" {
		t.Errorf("삼성에서 → %s, want 4,5,6", got)
	}
	// the compound is found by its prefix
	if got := sortedIDs(find(t, s, SearchRequest{Query: prefix("삼성*")})); got != "4,5,6,7" {
		t.Errorf("삼성* → %s", got)
	}
	res := find(t, s, SearchRequest{Query: term("삼성")})
	for _, h := range res.Hits {
		if !strings.Contains(h.Snippet, "<mark>삼성") {
			t.Errorf("snippet %q has no mark", h.Snippet)
		}
	}
}

func TestSearchMixedScript(t *testing.T) {
	s := openT(t, t.TempDir())
	seedSearch(t, s)
	if got := sortedIDs(find(t, s, SearchRequest{Query: term("배터리")})); got != "8" {
		t.Errorf("배터리 → %s", got)
	}
	if got := sortedIDs(find(t, s, SearchRequest{Query: and(term("acme"), term("배터리"))})); got != "8" {
		t.Errorf("acme AND 배터리 → %s", got)
	}
	res := find(t, s, SearchRequest{Query: term("acme"), Langs: []string{"ko"}})
	if len(res.Hits) != 1 || res.Hits[0].Snippet != "<mark>Acme</mark>의 새 배터리는 오래 간다. battery is fine" {
		t.Errorf("mixed snippet = %+v", res.Hits)
	}
}

func TestSearchFiltersAndFacets(t *testing.T) {
	s := openT(t, t.TempDir())
	seedSearch(t, s)
	cases := []struct {
		req  SearchRequest
		want string
	}{
		{SearchRequest{Brands: []string{"Acme"}}, "1,10,3,8"},
		{SearchRequest{Brands: []string{"Acme", "Globex"}}, "1,10,2,3,8"},
		{SearchRequest{Networks: []string{"rss"}}, "6,9"},
		{SearchRequest{Langs: []string{"ko"}, Networks: []string{"hackernews"}}, "4,5,7,8"},
		{SearchRequest{Kinds: []string{KindOwned}}, "3"},
		{SearchRequest{From: t0.Add(2 * time.Hour), To: t0.Add(4 * time.Hour)}, "2,3"},
		{SearchRequest{Query: term("battery"), From: t0.Add(9 * time.Hour)}, "10,9"},
		{SearchRequest{Query: term("battery"), To: t0.Add(2 * time.Hour)}, "1"},
		{SearchRequest{Query: term("battery"), Brands: []string{"Nope"}}, ""},
	}
	for i, c := range cases {
		if got := sortedIDs(find(t, s, c.req)); got != c.want {
			t.Errorf("case %d → %s, want %s", i, got, c.want)
		}
	}
	res := find(t, s, SearchRequest{Query: term("battery")})
	if f := fmt.Sprint(res.Facets["brand"]); f != "[{Acme 3} {Globex 1}]" {
		t.Errorf("brand facet = %s", f)
	}
	if f := fmt.Sprint(res.Facets["network"]); f != "[{hackernews 4} {rss 1}]" {
		t.Errorf("network facet = %s", f)
	}
	if f := fmt.Sprint(res.Facets["lang"]); f != "[{en 4} {ko 1}]" {
		t.Errorf("lang facet = %s", f)
	}
	if f := fmt.Sprint(res.Facets["kind"]); f != "[{mention 5}]" {
		t.Errorf("kind facet = %s", f)
	}
}

func TestSearchSortAndPaging(t *testing.T) {
	s := openT(t, t.TempDir())
	seedSearch(t, s)
	// newest is the default without a query
	res := find(t, s, SearchRequest{Size: 4})
	if got := strings.Join(ids(res), ","); got != "10,9,8,7" || res.Total != 10 {
		t.Errorf("newest page 1 = %s (total %d)", got, res.Total)
	}
	res = find(t, s, SearchRequest{Size: 4, Page: 3})
	if got := strings.Join(ids(res), ","); got != "2,1" {
		t.Errorf("newest page 3 = %s", got)
	}
	// relevance: the post that repeats battery and has batteries ranks first
	res = find(t, s, SearchRequest{Query: term("battery")})
	if res.Hits[0].Mention.NativeID != "2" {
		t.Errorf("relevance first = %s", ids(res))
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Score > res.Hits[i-1].Score {
			t.Errorf("scores not descending: %v", ids(res))
		}
	}
	res = find(t, s, SearchRequest{Query: term("battery"), Sort: SortNewest})
	if got := strings.Join(ids(res), ","); got != "10,9,8,2,1" {
		t.Errorf("battery newest = %s", got)
	}
	// size cap
	var many []Mention
	for i := 0; i < 130; i++ {
		many = append(many, mk(fmt.Sprintf("m%d", i), "", "bulk post", 100+i))
	}
	commitT(t, s, many...)
	syncT(t, s)
	res = find(t, s, SearchRequest{Query: term("bulk"), Size: 1000})
	if len(res.Hits) != 100 || res.Total != 130 {
		t.Errorf("size cap: %d hits, total %d", len(res.Hits), res.Total)
	}
}

func TestSearchBooleanPhrasePrefixNear(t *testing.T) {
	s := openT(t, t.TempDir())
	seedSearch(t, s)
	cases := []struct {
		name string
		q    query.Node
		want string
	}{
		{"not", and(term("battery"), not(term("acme"))), "2,9"},
		{"or", or(term("login"), term("mars")), "3,9"},
		{"phrase", phrase("battery life"), "1,2"},
		{"phrase stems", phrase("batteries drain"), "2"},
		{"not phrase", and(term("battery"), not(phrase("battery life"))), "10,8,9"},
		{"prefix", prefix("batt*"), "1,10,2,8,9"},
		{"prefix login", prefix("log"), "3"},
		{"near/1", query.Near{Left: query.Term{Text: "battery"}, Right: query.Term{Text: "life"}, N: 1}, "1,2"},
		{"near/3 either order", query.Near{Left: query.Term{Text: "life"}, Right: query.Term{Text: "battery"}, N: 3}, "1,2"},
		{"near/20", query.Near{Left: query.Term{Text: "battery"}, Right: query.Term{Text: "life"}, N: 20}, "1,10,2,9"},
		{"near in and", and(term("acme"), query.Near{Left: query.Term{Text: "battery"}, Right: query.Term{Text: "life"}, N: 2}), "1"},
	}
	for _, c := range cases {
		res := find(t, s, SearchRequest{Query: c.q})
		if got := sortedIDs(res); got != c.want {
			t.Errorf("%s → %s, want %s", c.name, got, c.want)
		}
		if res.Total != uint64(len(res.Hits)) || res.TotalIsUpperBound {
			t.Errorf("%s total %d for %d hits", c.name, res.Total, len(res.Hits))
		}
	}
	// facets on the verified path count verified hits only
	res := find(t, s, SearchRequest{Query: phrase("battery life")})
	if f := fmt.Sprint(res.Facets["brand"]); f != "[{Acme 1} {Globex 1}]" {
		t.Errorf("phrase brand facet = %s", f)
	}
}

func TestSearchSnippet(t *testing.T) {
	s := openT(t, t.TempDir())
	long := strings.Repeat("filler words here ", 30) + "the <Acme> batteries & more " + strings.Repeat("tail words ", 30)
	commitT(t, s, mk("1", "", long, 1))
	syncT(t, s)
	res := find(t, s, SearchRequest{Query: term("battery")})
	sn := res.Hits[0].Snippet
	if !strings.HasPrefix(sn, "…") || !strings.HasSuffix(sn, "…") {
		t.Errorf("snippet not cut with ellipses: %q", sn)
	}
	if !strings.Contains(sn, "&lt;Acme&gt; <mark>batteries</mark> &amp; more") {
		t.Errorf("snippet not escaped/marked: %q", sn)
	}
	plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(sn))
	if n := len([]rune(plain)); n > 245 || n < 150 {
		t.Errorf("snippet has %d runes", n)
	}
}

func TestSearchBadRequest(t *testing.T) {
	s := openT(t, t.TempDir())
	bad := []SearchRequest{
		{Page: 0}, {Page: -1}, {Page: 1, Size: -5}, {Page: 1, Sort: "oldest"},
		{Page: 1000, Size: 100}, {Page: 1, From: t0, To: t0},
		{Page: 1, Query: term("  ")}, {Page: 1, Query: prefix("a*")},
		{Page: 1, Query: query.Near{Left: query.Term{Text: "a"}, Right: query.Term{Text: "b"}, N: 0}},
		{Page: 1, Query: query.And{}}, {Page: 1, Query: query.Not{}},
	}
	for i, r := range bad {
		if _, err := s.Search(context.Background(), r); !errors.Is(err, ErrBadRequest) {
			t.Errorf("req %d: err = %v, want ErrBadRequest", i, err)
		}
	}
	// hostile nesting
	var n query.Node = term("x")
	for i := 0; i < 1000; i++ {
		n = query.Not{Child: n}
	}
	if _, err := s.Search(context.Background(), SearchRequest{Page: 1, Query: n}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("deep query: %v", err)
	}
}

func nearQ(l, r string, n int) query.Node {
	return query.Near{Left: query.Term{Text: l}, Right: query.Term{Text: r}, N: n}
}
