package match

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
)

// naive is the reference the automaton is checked and measured against:
// for every post it loops over every term with strings.Index and checks
// word boundaries by hand.
type naive struct {
	names []string
	terms [][]string // normalised, per brand
	excl  [][]string
}

func newNaive(brands []config.Brand) *naive {
	n := &naive{}
	norm := func(s string) string { j, _ := query.TokenizeJoined(s); return j }
	for _, b := range brands {
		n.names = append(n.names, b.Name)
		var ts, xs []string
		for _, t := range b.AllTerms() {
			ts = append(ts, norm(t))
		}
		for _, x := range b.Exclude {
			xs = append(xs, norm(x))
		}
		n.terms = append(n.terms, ts)
		n.excl = append(n.excl, xs)
	}
	return n
}

func (n *naive) match(in Input) []string {
	title, _ := query.TokenizeJoined(in.Title)
	text, _ := query.TokenizeJoined(in.Text)
	if title != "" {
		text = title + "\n" + text
	}
	var out []string
	for b := range n.names {
		var xs [][2]int
		for _, x := range n.excl[b] {
			xs = append(xs, naiveFind(text, x)...)
		}
		found := false
		for _, t := range n.terms[b] {
			for _, h := range naiveFind(text, t) {
				covered := false
				for _, x := range xs {
					covered = covered || x[0] <= h[0] && h[1] <= x[1]
				}
				if !covered {
					found = true
				}
			}
		}
		if found {
			out = append(out, n.names[b])
		}
	}
	return out
}

// naiveFind returns the accepted occurrences of term in text (both
// space-joined normalised words), the end extended over particles.
func naiveFind(text, term string) [][2]int {
	var out [][2]int
	last, _ := utf8.DecodeLastRuneInString(term)
	for from := 0; ; {
		i := strings.Index(text[from:], term)
		if i < 0 {
			return out
		}
		start := from + i
		end := start + len(term)
		from = start + 1
		if start > 0 && text[start-1] != ' ' && text[start-1] != '\n' {
			continue
		}
		wordEnd := end
		for wordEnd < len(text) && text[wordEnd] != ' ' && text[wordEnd] != '\n' {
			wordEnd++
		}
		ws := start + strings.LastIndexAny(text[start:end], " \n") + 1
		if wordEnd != end && !(query.IsHangulSyllable(last) && query.IsEndingSplit(text[ws:wordEnd], end-ws)) {
			continue
		}
		out = append(out, [2]int{start, wordEnd})
	}
}

// Generated configurations and posts, seeded, mixing English and Korean.
var (
	latinSyl  = []string{"ac", "me", "ro", "ad", "run", "ner", "to", "ss", "ba", "tt", "ery", "sam", "sung", "el", "ec", "tro", "nic", "ka", "ko", "pi"}
	hangulSyl = []string{"삼", "성", "토", "스", "트", "아", "크", "미", "카", "오", "전", "자", "현", "대", "나", "동", "로", "은", "이"}
	particleS = []string{"은", "는", "이", "가", "의", "에서", "에서는", "이랑", "에게도", "로", "동", "트", "ㅋㅋ"}
	fillers   = []string{"the", "new", "phone", "is", "great", "but", "battery", "price", "좋아요", "정말", "배터리", "가격", "오늘", "출시", "and", "review", "of", "with"}
	puncts    = []string{" ", " ", " ", ", ", ". ", " - ", " (", ") ", "! ", "\n", " #", " @"}
)

func genWord(r *rand.Rand, korean bool) string {
	syl := latinSyl
	if korean {
		syl = hangulSyl
	}
	var b strings.Builder
	for range 2 + r.IntN(2) {
		b.WriteString(syl[r.IntN(len(syl))])
	}
	return b.String()
}

func genBrands(r *rand.Rand, n, terms int) []config.Brand {
	brands := make([]config.Brand, n)
	for i := range brands {
		b := config.Brand{Name: fmt.Sprintf("%s%d", genWord(r, false), i)}
		for range terms - 1 {
			t := genWord(r, r.IntN(2) == 0)
			if r.IntN(5) == 0 {
				t += " " + genWord(r, r.IntN(2) == 0)
			}
			if r.IntN(8) == 0 {
				t = strings.ToUpper(t)
			}
			b.Terms = append(b.Terms, t)
		}
		if r.IntN(4) == 0 {
			b.Exclude = append(b.Exclude, b.Terms[0]+" "+genWord(r, false))
		}
		brands[i] = b
	}
	return brands
}

// genPost returns a post of about size bytes that mentions some terms.
func genPost(r *rand.Rand, brands []config.Brand, size int) string {
	var b strings.Builder
	for b.Len() < size {
		switch k := r.IntN(10); {
		case k < 2 && len(brands) > 0:
			br := brands[r.IntN(len(brands))]
			terms := br.AllTerms()
			b.WriteString(terms[r.IntN(len(terms))])
			if r.IntN(2) == 0 {
				b.WriteString(particleS[r.IntN(len(particleS))])
			}
		case k < 4:
			b.WriteString(genWord(r, r.IntN(2) == 0))
		default:
			b.WriteString(fillers[r.IntN(len(fillers))])
		}
		b.WriteString(puncts[r.IntN(len(puncts))])
	}
	return b.String()
}
