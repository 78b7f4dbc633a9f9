// Package sentiment gives a mention a language, a sentiment score in
// [-1, 1], a label (positive, neutral, negative) and a confidence, for
// English and Korean, and a label per brand when a post names several.
//
// Each language has a learned three-class model (package internal/mlr:
// multinomial logistic regression over hashed features, data/en.model.gz and
// data/ko.model.gz (gzip), trained by package train and scripts/train-sentiment).
// Its features come from rules: brand terms, handles and links are
// replaced by placeholder words (mask.go; never deleted, so a comparison
// around a brand survives); words, word pairs and prefixes (English),
// komodel's character n-grams and particle-stripped words (Korean);
// negation; the domain cues of cues.go (complaints told as facts,
// questions, news); and VADER's view of the text (a port of VADER, vader.go:
// negation, boosters, "but", caps, emoji; its compound is also a prior
// weighed at calibration). Score is P(positive) − P(negative) after the
// calibration temperature; |Score| below the model's neutral band is
// neutral. Overrides shift the models' log-odds by koOverrideScale per
// point and, in English, enter VADER's lexicon, for everyone or for named
// brands only.
//
// AnalyzeBrands labels each brand of a post (brands.go: comparison and
// switch rules, then clauses). Version names the models, so that stored
// mentions scored by older ones can be re-scored.
//
// An Analyzer is built once (New loads everything in ~40 ms) and is safe
// for concurrent use.
package sentiment
