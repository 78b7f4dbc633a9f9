package store

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/earshot/earshot/query"
)

// Names under which the analysis components are registered with bleve's
// registry; the index mapping refers to them by name, so they are part of the
// on-disk format (changing them needs a new indexVersion).
const (
	scriptTokenizerName = "earshot_script"
	koreanFilterName    = "earshot_korean_stems"
	koreanQueryName     = "earshot_korean_query"
	nfkcFilterName      = "earshot_nfkc"
	indexAnalyzerName   = "earshot"
	queryAnalyzerName   = "earshot_query"
)

func init() {
	if err := registry.RegisterTokenizer(scriptTokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return &scriptTokenizer{inner: unicode.NewUnicodeTokenizer()}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(koreanFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return koreanStemFilter{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(koreanQueryName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return koreanQueryFilter{}, nil
	}); err != nil {
		panic(err)
	}
}

// scriptTokenizer is bleve's Unicode (UAX #29) tokenizer followed by a split
// wherever a word switches between Hangul syllables, Hangul letters and
// other scripts, as query.Tokenize splits: UAX #29 keeps "Acme의",
// "갤럭시S24" or "삼성ㅋㅋ" as one word. A Hangul part that follows a
// non-Hangul part and is only endings ("Acme의" → acme) is dropped. Positions
// are renumbered so phrase and NEAR distances count the split parts.
type scriptTokenizer struct {
	inner analysis.Tokenizer
}

func (t *scriptTokenizer) Tokenize(input []byte) analysis.TokenStream {
	in := t.inner.Tokenize(input)
	out := make(analysis.TokenStream, 0, len(in))
	pos := 0
	for _, tok := range in {
		if !mixedScript(tok.Term) {
			pos++
			tok.Position = pos
			out = append(out, tok)
			continue
		}
		term := tok.Term
		start := 0
		prevOther := false
		for start < len(term) {
			r, size := utf8.DecodeRune(term[start:])
			sc := script(r)
			end := start + size
			for end < len(term) {
				r2, s2 := utf8.DecodeRune(term[end:])
				if script(r2) != sc {
					break
				}
				end += s2
			}
			part := term[start:end]
			h := sc != scriptOther
			if !(sc == scriptSyllable && prevOther && query.IsEndingChain(string(part))) {
				pos++
				typ := tok.Type
				if h {
					typ = analysis.AlphaNumeric
				}
				out = append(out, &analysis.Token{
					Term:     part,
					Start:    tok.Start + start,
					End:      tok.Start + end,
					Position: pos,
					Type:     typ,
				})
			}
			prevOther = !h
			start = end
		}
	}
	return out
}

// mixedScript reports whether term mixes script classes (see script).
func mixedScript(term []byte) bool {
	first := -1
	for len(term) > 0 {
		r, size := utf8.DecodeRune(term)
		term = term[size:]
		if sc := script(r); first < 0 {
			first = sc
		} else if sc != first {
			return true
		}
	}
	return false
}
