package store

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/earshot/earshot/query"
)

// Compound search (*배터리, query.CompoundMatch) is one term lookup: the
// word itself and its stems are body terms, and fieldCompound holds, for
// every Hangul word of the body, query.CompoundSuffixes (the proper
// suffixes of two syllables or more of the word and of its stems). A
// compound term is the disjunction of its word in the two fields, as cheap
// as a keyword search; the field costs a few terms per Korean word and
// nothing for other text, which is never analysed into it.

// Names of the compound field's analysis, part of the on-disk format.
const (
	compoundFilterName   = "earshot_compound_suffixes"
	compoundAnalyzerName = "earshot_compound"
)

func init() {
	if err := registry.RegisterTokenFilter(compoundFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return compoundFilter{}, nil
	}); err != nil {
		panic(err)
	}
}

// compoundFilter replaces every token by query.CompoundSuffixes of it, at
// its position; tokens that are not all Hangul syllables yield nothing.
type compoundFilter struct{}

func (compoundFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for _, tok := range input {
		for _, s := range query.CompoundSuffixes(string(tok.Term)) {
			out = append(out, &analysis.Token{
				Term: []byte(s), Start: tok.Start, End: tok.End,
				Position: tok.Position, Type: tok.Type, KeyWord: tok.KeyWord,
			})
		}
	}
	return out
}

// hasSyllable reports whether s holds a Hangul syllable, the only text the
// compound field is analysed for.
func hasSyllable(s string) bool {
	for _, r := range s {
		if query.IsHangulSyllable(r) {
			return true
		}
	}
	return false
}
