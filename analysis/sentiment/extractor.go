package sentiment

import (
	"slices"

	"github.com/earshot/earshot/analysis/sentiment/internal/mlr"
)

// Extractor gives the trainer (package train) the features Analyze feeds
// the models, from the same code. It is not safe for concurrent use.
type Extractor struct {
	a *Analyzer
	x *featurizer
}

// NewExtractor returns an Extractor hashing into 1<<bits buckets.
func NewExtractor(bits uint8) (*Extractor, error) {
	a, err := newBase(Options{})
	if err != nil {
		return nil, err
	}
	return &Extractor{a: a, x: newFeaturizer(bits)}, nil
}

// Features returns the features of text for the model of language lang
// ("en" or "ko"), with terms masked as brand names, and VADER's compound
// of the text (the models' prior). The slice is the caller's.
func (e *Extractor) Features(text, lang string, terms []string) ([]mlr.Feat, float64) {
	terms = slices.Clone(terms)
	slices.SortFunc(terms, func(x, y string) int { return len(y) - len(x) })
	masked := maskText(text, terms)
	var en vaderScore
	if _, nLatin := countWords(masked); nLatin > 0 {
		en = e.a.en.score(masked, nil)
	}
	if lang == "ko" {
		return slices.Clone(e.x.korean(masked, en)), en.Compound
	}
	return slices.Clone(e.x.english(masked, en)), en.Compound
}
