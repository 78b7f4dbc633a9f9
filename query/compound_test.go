package query

import (
	"reflect"
	"slices"
	"testing"
)

// Compound terms parse, print back and match Korean compounds ending in the
// word, with endings, and nothing that merely contains it.
func TestCompoundSearch(t *testing.T) {
	n, err := Parse("*배터리 AND NOT 충전기")
	if err != nil {
		t.Fatal(err)
	}
	want := And{Children: []Node{Term{Text: "배터리", Compound: true}, Not{Child: Term{Text: "충전기"}}}}
	if !reflect.DeepEqual(n, want) {
		t.Fatalf("parse = %#v", n)
	}
	if s := String(n); s != "*배터리 AND NOT 충전기" {
		t.Errorf("String = %q", s)
	}
	cases := []struct {
		q, text string
		want    bool
	}{
		{"*배터리", "보조배터리 샀어요", true},
		{"*배터리", "보조배터리가 뜨거워요", true}, // compound + particle
		{"*배터리", "휴대폰배터리는 교체", true},
		{"*배터리", "배터리 수명", true},     // the word itself
		{"*배터리", "배터리도 좋고", true},    // the word with a particle
		{"*배터리가", "보조배터리를 샀다", true}, // the query word is stemmed
		{"*배터리", "배터리팩 후기", false},   // starts with it: that is 배터리*
		{"*배터리", "보조 배터리팩", false},
		{"*배터리", "battery pack", false},
		{"*센터", "고객센터에 전화", true},
		{"*센터", "센터장 인터뷰", false},
		{"*배터리 NEAR/2 발열", "보조배터리 심한 발열", true},
		{"*배터리 NEAR/1 발열", "보조배터리 심한 발열", false},
		{"배터리", "보조배터리 샀어요", false}, // without *, words match from their start
	}
	for _, c := range cases {
		n, err := Parse(c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.q, err)
		}
		if got := Eval(n, c.text); got != c.want {
			t.Errorf("Eval(%q, %q) = %v, want %v", c.q, c.text, got, c.want)
		}
	}
	if got := Highlight(Term{Text: "배터리", Compound: true}, "새 보조배터리가 왔다"); !reflect.DeepEqual(got, [][2]int{{4, 22}}) {
		t.Errorf("highlight = %v", got)
	}
}

// CompoundSuffixes is what an index stores so that a term lookup among a
// word's index terms (the word, its stems) or its suffixes finds exactly
// what CompoundMatch matches.
func TestCompoundSuffixesAgreeWithMatch(t *testing.T) {
	if got := CompoundSuffixes("보조배터리가"); !reflect.DeepEqual(got, []string{"조배터리가", "배터리가", "터리가", "리가", "조배터리", "배터리", "터리"}) {
		t.Errorf("CompoundSuffixes = %v", got)
	}
	if CompoundSuffixes("battery") != nil || CompoundSuffixes("배터") != nil {
		t.Error("suffixes for a non-Hangul or two-syllable word")
	}
	words := []string{"보조배터리", "보조배터리가", "보조배터리는", "배터리", "배터리도", "배터리팩", "휴대폰배터리를", "고객센터에서는",
		"삼성동", "삼성이지만", "토스트", "고양이", "스마트폰이", "대용량보조배터리입니다", "센터장"}
	suffixes := []string{"배터리", "보조배터리", "터리", "센터", "고객센터", "삼성", "성동", "토스", "양이", "마트폰", "조배터리", "리가"}
	for _, w := range words {
		index := map[string]bool{w: true}
		for _, s := range KoreanStems(w) {
			index[s] = true
		}
		for _, s := range CompoundSuffixes(w) {
			index[s] = true
		}
		for _, s := range suffixes {
			if got, want := index[s], CompoundMatch(w, s); got != want {
				t.Errorf("%s *%s: index finds %v, matcher %v", w, s, got, want)
			}
		}
	}
	if w, ok := CompoundTerm("배터리에서"); !ok || w != "배터리" {
		t.Errorf("CompoundTerm = %q %v", w, ok)
	}
	for _, bad := range []string{"폰", "battery", "보조 배터리", "배터리!", ""} {
		if _, ok := CompoundTerm(bad); ok {
			t.Errorf("CompoundTerm(%q) accepted", bad)
		}
	}
	if !slices.Contains(CompoundSuffixes("대용량보조배터리입니다"), "배터리") {
		t.Error("copula form: no stem suffix")
	}
}
