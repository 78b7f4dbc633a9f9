package store

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/earshot/earshot/query"
)

// Script classes for scriptTokenizer, the same split as query.Tokenize:
// Hangul syllables, Hangul letters (ㅋㅋ, ㅠㅠ) and everything else.
const (
	scriptOther = iota
	scriptSyllable
	scriptJamo
)

func script(r rune) int {
	switch {
	case query.IsHangulSyllable(r):
		return scriptSyllable
	case r >= 0x1100 && r <= 0x11FF, r >= 0x3130 && r <= 0x318F, r >= 0xA960 && r <= 0xA97F,
		r >= 0xD7B0 && r <= 0xD7FF, r >= 0xFFA0 && r <= 0xFFDC:
		return scriptJamo
	}
	return scriptOther
}

// koreanStemFilter adds, for every all-Hangul token, the stems of
// query.KoreanStems at the same position (삼성에서는 → 삼성에서는, 삼성,
// 삼성에서), so that a query for the noun finds the inflected word while a
// query for the full word stays exact. 삼성동 has no ending and yields only
// itself. The matcher applies the same rule (query.IsEndingSplit), so what
// was matched is found.
type koreanStemFilter struct{}

func (koreanStemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, tok := range input {
		stems := query.KoreanStems(string(tok.Term))
		if len(stems) == 0 {
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, i, len(input)+4)
			copy(out, input[:i])
		}
		out = append(out, tok)
		for _, s := range stems {
			out = append(out, &analysis.Token{
				Term: []byte(s), Start: tok.Start, End: tok.End,
				Position: tok.Position, Type: tok.Type, KeyWord: tok.KeyWord,
			})
		}
	}
	if out == nil {
		return input
	}
	return out
}

// koreanQueryFilter reduces every query token by query.KoreanStem
// (고객센터가 → 고객센터): the index holds that stem wherever it holds the
// word, so the reduced query finds every text the full word finds and the
// noun's other forms.
type koreanQueryFilter struct{}

func (koreanQueryFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if s := query.KoreanStem(string(tok.Term)); len(s) != len(tok.Term) {
			tok.Term = []byte(s)
		}
	}
	return input
}
