package store

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analysis components are registered with bleve's
// registry; the index mapping refers to them by name, so they are part of the
// on-disk format (changing them needs a new indexVersion).
const (
	scriptTokenizerName = "earshot_script"
	hangulFilterName    = "earshot_hangul_particles"
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
	if err := registry.RegisterTokenFilter(hangulFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return hangulParticleFilter{}, nil
	}); err != nil {
		panic(err)
	}
}

// scriptTokenizer is bleve's Unicode (UAX #29) tokenizer followed by a split
// wherever a word switches between Hangul and another script: UAX #29 keeps
// "Acme의" or "갤럭시S24" as one word. A Hangul part that follows a non-Hangul
// part and is made only of particles ("Acme의" → acme) is dropped. Positions
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
		prevNonHangul := false
		for start < len(term) {
			r, size := utf8.DecodeRune(term[start:])
			h := isHangul(r)
			end := start + size
			for end < len(term) {
				r2, s2 := utf8.DecodeRune(term[end:])
				if isHangul(r2) != h {
					break
				}
				end += s2
			}
			part := term[start:end]
			if !(h && prevNonHangul && onlyParticles(string(part))) {
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
			prevNonHangul = !h
			start = end
		}
	}
	return out
}

// mixedScript reports whether term mixes Hangul and non-Hangul runes.
func mixedScript(term []byte) bool {
	var hangul, other bool
	for len(term) > 0 {
		r, size := utf8.DecodeRune(term)
		term = term[size:]
		if isHangul(r) {
			hangul = true
		} else {
			other = true
		}
		if hangul && other {
			return true
		}
	}
	return false
}

// hangulParticleFilter adds, for every all-Hangul token, its particle-stripped
// forms at the same position (삼성에서는 → 삼성에서는, 삼성에서, 삼성), so that
// a query for the bare noun finds the inflected word while a query for the full
// word stays exact. 삼성동 has no particle and yields only itself.
type hangulParticleFilter struct{}

func (hangulParticleFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, tok := range input {
		var stems []string
		if tok.Term != nil && allHangul(string(tok.Term)) {
			stems = hangulStems(string(tok.Term))
		}
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
