package keywords

import (
	"slices"
	"strings"
	"testing"
)

func TestPhrases(t *testing.T) {
	e, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	if e2, _ := Shared(); e2 != e {
		t.Error("Shared loaded the model twice")
	}
	for _, c := range []struct {
		text      string
		want, not []string
	}{
		{"Acme announced a battery recall after the new charging cable overheated.",
			[]string{"battery recall", "new charging cable", "charging cable"}, []string{"acme announced", "the new"}},
		{"보조배터리 발열이 심해요. 충전 케이블 교체 받았어요. 배터리 발열 심하다",
			[]string{"보조배터리 발열", "충전 케이블", "충전 케이블 교체", "케이블 교체", "배터리 발열"},
			[]string{"발열 심해", "발열 심하", "교체 받았어", "보조배터리 발열 심해"}},
		{"the and of", nil, []string{"the and"}},
	} {
		got := e.Phrases(c.text)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: missing %q in %q", c.text, w, got)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%q: %q should not be a phrase: %q", c.text, w, got)
			}
		}
	}
	if p := e.Phrases("\xff\x00 " + strings.Repeat("battery ", 20000)); len(p) > 0 {
		t.Errorf("hostile input: %q", p)
	}
}

// BenchmarkPhrases is phrase extraction's cost per mention (a ~200-byte
// English post, the report's usual input) against Extract on the same
// text, in the same run.
func BenchmarkPhrases(b *testing.B) {
	e, err := Shared()
	if err != nil {
		b.Fatal(err)
	}
	post := "Acme announced a battery recall for the X2 power bank after owners reported the new charging cable overheating; support says replacements ship next week."
	ko := "아크미 보조배터리 발열 문제로 리콜 공지가 떴네요. 충전 케이블 교체도 해준다고 합니다"
	b.Run("english", func(b *testing.B) {
		for b.Loop() {
			e.Phrases(post)
		}
	})
	b.Run("korean", func(b *testing.B) {
		for b.Loop() {
			e.Phrases(ko)
		}
	})
	b.Run("extract-english", func(b *testing.B) {
		for b.Loop() {
			e.Extract(post)
		}
	})
}
