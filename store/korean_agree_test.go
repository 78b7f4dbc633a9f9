package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/query"
)

// koreanForms are noun + ending forms (consonant- and vowel-final nouns,
// particles, chains and copula endings) and look-alike words, each with the
// brand noun it is tested against and whether it inflects that noun.
var koreanForms = []struct {
	form, noun string
	want       bool
}{
	// particles after a consonant-final noun
	{"삼성은", "삼성", true}, {"삼성이", "삼성", true}, {"삼성을", "삼성", true}, {"삼성의", "삼성", true},
	{"삼성에", "삼성", true}, {"삼성에서", "삼성", true}, {"삼성과", "삼성", true}, {"삼성이랑", "삼성", true},
	{"삼성으로", "삼성", true}, {"삼성도", "삼성", true}, {"삼성만", "삼성", true}, {"삼성까지", "삼성", true},
	{"삼성보다", "삼성", true}, {"삼성처럼", "삼성", true}, {"삼성에서는", "삼성", true}, {"삼성이랑은", "삼성", true},
	{"삼성에게도", "삼성", true}, {"삼성이나", "삼성", true}, {"삼성한테", "삼성", true}, {"삼성부터", "삼성", true},
	// copula endings after a consonant-final noun
	{"삼성입니다", "삼성", true}, {"삼성이니까", "삼성", true}, {"삼성이지만", "삼성", true}, {"삼성인가", "삼성", true},
	{"삼성이었는데", "삼성", true}, {"삼성이다", "삼성", true}, {"삼성이라니", "삼성", true}, {"삼성이라서", "삼성", true},
	{"삼성인데", "삼성", true}, {"삼성이라고", "삼성", true}, {"삼성이에요", "삼성", true}, {"삼성이었다", "삼성", true},
	// particles after a vowel-final noun
	{"토스는", "토스", true}, {"토스가", "토스", true}, {"토스를", "토스", true}, {"토스와", "토스", true},
	{"토스랑", "토스", true}, {"토스로", "토스", true}, {"토스에서는", "토스", true}, {"고객센터가", "고객센터", true},
	{"배터리도", "배터리", true}, {"배터리는", "배터리", true}, {"카카오의", "카카오", true}, {"카카오에게", "카카오", true},
	// copula endings after a vowel-final noun (이 drops)
	{"토스지만", "토스", true}, {"토스라니", "토스", true}, {"토스다", "토스", true}, {"토스야", "토스", true},
	{"토스였는데", "토스", true}, {"토스라서", "토스", true}, {"토스라고", "토스", true}, {"토스예요", "토스", true},
	{"토스입니다", "토스", true}, {"토스인가", "토스", true}, {"카카오라는", "카카오", true}, {"카카오였다", "카카오", true},
	// ㄹ-final: 로, not 으로
	{"서울로", "서울", true}, {"서울은", "서울", true}, {"서울으로", "서울", false},
	// look-alikes and wrong sounds: no match, no hit
	{"삼성동", "삼성", false}, {"삼성역", "삼성", false}, {"토스트", "토스", false}, {"라인업", "라인", false},
	{"애플리케이션", "애플", false}, {"고양이", "고양", false}, {"고양이가", "고양", false}, {"카메라도", "카메", false},
	{"삼성는", "삼성", false}, {"토스은", "토스", false}, {"삼성지만", "삼성", false}, {"토스이랑", "토스", false},
	{"라인", "라인", true}, {"애플", "애플", true},
}

// TestKoreanMatcherAgreesWithIndex holds the brand matcher, a topic query
// and the search index (bleve on disk) to the same answer for every form:
// a post the matcher keeps for the noun is found by searching the noun and
// the noun with a particle; a post it does not keep is found by neither.
func TestKoreanMatcherAgreesWithIndex(t *testing.T) {
	if len(koreanForms) < 60 {
		t.Fatalf("%d forms, want at least 60", len(koreanForms))
	}
	s := openT(t, t.TempDir())
	var ms []Mention
	for i, f := range koreanForms {
		ms = append(ms, mk(fmt.Sprint(i), "", fmt.Sprintf("어제 %s 소식 zqk%d", f.form, i), i))
	}
	commitT(t, s, ms...)
	syncT(t, s)
	for i, f := range koreanForms {
		m, err := match.New([]config.Brand{{Name: f.noun}}, []config.Topic{{Name: "t", Query: f.noun}})
		if err != nil {
			t.Fatal(err)
		}
		r := m.Match(match.Input{Network: "hackernews", Text: ms[i].Text})
		brand := slices.Contains(r.Brands, f.noun)
		topic := slices.Contains(r.Topics, "t")
		if brand != f.want || topic != f.want {
			t.Errorf("%s: brand %s matched %v, topic %v; want %v", f.form, f.noun, brand, topic, f.want)
		}
		queries := []string{f.noun}
		// The noun with a particle, unless that spells another noun (고양 +
		// 이 is 고양이, which the index rightly finds in 고양이가).
		if q := f.noun + particleFor(f.noun); q != f.form && query.KoreanStem(q) == f.noun {
			queries = append(queries, q)
		}
		for _, q := range queries {
			res := find(t, s, SearchRequest{Query: query.And{Children: []query.Node{term(q), term(fmt.Sprintf("zqk%d", i))}}})
			if found := res.Total == 1; found != f.want {
				t.Errorf("%s: search %s found it %v, matcher %v", f.form, q, found, f.want)
			}
		}
	}
}

// particleFor returns the subject particle for noun: 이 after a final
// consonant, 가 after a vowel.
func particleFor(noun string) string {
	r := []rune(noun)
	if query.HasFinalConsonant(r[len(r)-1]) {
		return "이"
	}
	return "가"
}
