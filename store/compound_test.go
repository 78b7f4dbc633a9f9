package store

import (
	"fmt"
	"strings"
	"testing"

	"github.com/earshot/earshot/query"
)

// Compound search finds exactly what topic matching (query.Eval) matches,
// through the index on disk: compounds ending in the word, with endings,
// the word itself, and not the words that start with it.
func TestCompoundSearchAgreesWithMatcher(t *testing.T) {
	s := openT(t, t.TempDir())
	texts := []string{
		"보조배터리 샀어요", "보조배터리가 뜨거워요", "휴대폰배터리는 교체했다", "배터리 수명이 짧다", "배터리도 좋고",
		"배터리팩 후기", "보조 배터리팩", "battery pack review", "고객센터에 전화", "센터장 인터뷰",
		"대용량보조배터리입니다", "리튬이온배터리를 쓴다", "Acme의 보조배터리 발열", "아크미 배터리",
	}
	var ms []Mention
	for i, text := range texts {
		ms = append(ms, mk(fmt.Sprint(i), "", text, i))
	}
	ms = append(ms, mk("titled", "보조배터리 리뷰", "가볍다", 20))
	texts = append(texts, "보조배터리 리뷰\n가볍다")
	commitT(t, s, ms...)
	syncT(t, s)
	for _, q := range []string{"*배터리", "*배터리가", "*조배터리", "*센터", "*배터리 AND NOT 보조배터리", "*배터리 NEAR/1 발열", "*배터리 OR battery"} {
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i, text := range texts {
			if query.Eval(n, text) {
				want = append(want, ms[i].NativeID)
			}
		}
		res := find(t, s, SearchRequest{Query: n, Size: 100})
		got := sortedIDs(res)
		if w := sortedJoin(want); got != w {
			t.Errorf("%s: index finds [%s], matcher [%s]", q, got, w)
		}
		if len(want) == 0 {
			t.Errorf("%s: matches nothing: the case tests nothing", q)
		}
	}
	res := find(t, s, SearchRequest{Query: query.Term{Text: "배터리", Compound: true}, Size: 100})
	if res.Total != 10 {
		t.Errorf("*배터리: %d hits, want 10", res.Total)
	}
	for _, h := range res.Hits {
		if h.Mention.NativeID == "1" && !strings.Contains(h.Snippet, "<mark>보조배터리가</mark>") {
			t.Errorf("snippet %q does not mark the compound", h.Snippet)
		}
	}
	if _, err := s.Search(t.Context(), SearchRequest{Query: query.Term{Text: "폰", Compound: true}, Page: 1}); err == nil {
		t.Error("a one-syllable compound term was accepted")
	}
}

func sortedJoin(ids []string) string {
	res := &SearchResult{}
	for _, id := range ids {
		res.Hits = append(res.Hits, Hit{Mention: Mention{NativeID: id}})
	}
	return sortedIDs(res)
}
