package sentiment

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot/analysis/lang"
	"github.com/earshot/earshot/analysis/sentiment/internal/mlr"
	"github.com/rs/zerolog"
)

// Labels.
const (
	Positive = "positive"
	Neutral  = "neutral"
	Negative = "negative"
)

// Thresholds of the 3-class label on Score.
const (
	// EnglishNeutral is VADER's published band: |compound| < 0.05 is
	// neutral. It labels texts with no letters (emoji alone) and the human
	// ratings of VADER's ground truth; the models' bands are fitted.
	EnglishNeutral = 0.05
	// koOverrideScale turns an override's VADER valence (-4..+4) into a
	// shift of the models' log-odds: +4 adds 3 to positive and takes 3
	// from negative.
	koOverrideScale = 0.75
	// maxTextBytes bounds the text scored; the rest of a longer post is
	// ignored (VADER is linear in words, but a 1 MB post is not a mention).
	maxTextBytes = 64 << 10
)

// Override replaces or adds one lexicon entry. Term is a word or a phrase
// ("killer feature"); Score is on VADER's valence scale -4..+4. Brands
// limits the override to mentions of those brands (by name, as in the
// config); empty means every mention.
type Override struct {
	Term   string
	Score  float64
	Brands []string
}

// Options configure New.
type Options struct {
	Overrides []Override
	Models    Models // zero: the embedded models
	Logger    zerolog.Logger
}

// Context is what the matcher knows about the mention being scored.
type Context struct {
	// Brands are the names of the matched brands; they select the
	// brand-scoped overrides.
	Brands []string
	// Terms are the names and aliases of the matched brands: they are
	// masked before scoring, so a brand called "Joy" or "Sick Games" is
	// neutral by name.
	Terms []string
}

// Result is the sentiment of one text.
type Result struct {
	Lang  string  `json:"lang"`  // "en", "ko", "other" or "" (no letters)
	Score float64 `json:"score"` // P(positive) - P(negative), -1..1
	Label string  `json:"label"` // positive, neutral, negative
	// Confidence is the calibrated probability of Label (for a neutral
	// label, 1 - max(P(positive), P(negative))): of texts labelled with
	// confidence 0.8, about 80% carry that label on the held-out sets.
	Confidence float64 `json:"confidence"`
	// Compound, Pos, Neu and Neg are VADER's outputs for the English
	// part of the text (zero when there is none); they are inputs of the
	// learned model.
	Compound float64 `json:"compound"`
	Pos      float64 `json:"pos"`
	Neu      float64 `json:"neu"`
	Neg      float64 `json:"neg"`
	// ProbPositive and ProbNegative are the calibrated class
	// probabilities; neutral is the rest.
	ProbPositive float64 `json:"prob_positive,omitempty"`
	ProbNegative float64 `json:"prob_negative,omitempty"`
}

// Analyzer scores English and Korean texts. It is safe for concurrent use.
type Analyzer struct {
	en      *vader
	enModel *mlr.Model
	koModel *mlr.Model
	version string
	pool    sync.Pool                     // *featurizer
	global  map[string]float64            // overrides for all brands
	scoped  map[string]map[string]float64 // lower brand name → term → valence
	log     zerolog.Logger
}

// New loads the embedded lexicons and models and applies the overrides.
// It fails on an invalid override (empty term, score outside -4..+4 or not
// a number) or model.
func New(opts Options) (*Analyzer, error) {
	a, err := newBase(opts)
	if err != nil {
		return nil, err
	}
	if err := a.loadModels(opts); err != nil {
		return nil, err
	}
	a.log.Debug().Int("lexicon", len(a.en.lex)).Int("overrides", len(opts.Overrides)).Str("model", a.version).Msg("sentiment analyzer ready")
	return a, nil
}

// newBase loads the lexicons and applies the overrides: all but the
// models.
func newBase(opts Options) (*Analyzer, error) {
	lex, err := parseLexicon(vaderLexicon)
	if err != nil {
		return nil, err
	}
	emoji, longest, err := parseEmoji(emojiLexicon)
	if err != nil {
		return nil, err
	}
	a := &Analyzer{
		en:     &vader{lex: lex, phrases: map[string]bool{}, firsts: map[string]bool{}, emoji: emoji, maxEmojiRS: longest},
		global: map[string]float64{},
		scoped: map[string]map[string]float64{},
		log:    opts.Logger,
	}
	for term := range lex {
		a.en.addPhrase(term)
	}
	for i, o := range opts.Overrides {
		term := strings.ToLower(strings.Join(strings.Fields(o.Term), " "))
		switch {
		case term == "":
			return nil, fmt.Errorf("sentiment override %d: empty term", i+1)
		case math.IsNaN(o.Score) || o.Score < -4 || o.Score > 4:
			return nil, fmt.Errorf("sentiment override %q: score %v outside -4..+4", o.Term, o.Score)
		}
		a.en.addPhrase(term)
		if len(o.Brands) == 0 {
			lex[term] = o.Score
			a.global[term] = o.Score
			continue
		}
		for _, b := range o.Brands {
			b = strings.ToLower(strings.TrimSpace(b))
			if b == "" {
				return nil, fmt.Errorf("sentiment override %q: empty brand name", o.Term)
			}
			if a.scoped[b] == nil {
				a.scoped[b] = map[string]float64{}
			}
			a.scoped[b][term] = o.Score
		}
	}
	return a, nil
}

func (v *vader) addPhrase(term string) {
	if ws := strings.Fields(term); len(ws) > 1 {
		n := len(ws)
		v.phrases[term] = true
		v.firsts[ws[0]] = true
		v.maxPhrase = max(v.maxPhrase, n)
	}
}

// Analyze scores text. It never fails: invalid UTF-8 is ignored, and texts
// longer than 64 KiB are scored on their first 64 KiB.
//
// Routing: the language is lang.Detect(text). "other" is neutral with
// score 0 (Earshot does not guess at French or Japanese); "" (no letters)
// is scored by VADER's emoji and emoticon entries alone. Brand terms,
// handles and links are replaced by placeholder words (never deleted: "글로벡스보다
// 훨씬 나음" keeps its comparison). Text with no Hangul is scored by the
// English model, text with Hangul by the Korean one; text with both
// (Korean tech talk with English words) by both, their probabilities
// mixed by weight: the Korean model weighs the number of Hangul words,
// the English model twice the number of English words that carried
// valence in VADER's lexicon, so "아크미 배터리 진짜 good" counts "good" as
// strong evidence but a stray English noun adds nothing.
func (a *Analyzer) Analyze(text string, c Context) Result {
	if len(text) > maxTextBytes {
		text = strings.ToValidUTF8(text[:maxTextBytes], "") // drops a cut rune
	}
	r := Result{Lang: lang.Detect(text), Label: Neutral}
	switch r.Lang {
	case lang.English, lang.Korean:
	case "":
		// No letters: emoji and emoticons still speak ("😍😍", ":-(").
		en := a.en.score(text, nil)
		r.Score, r.Compound, r.Pos, r.Neu, r.Neg = en.Compound, en.Compound, en.Pos, en.Neu, en.Neg
		r.Label = label(r.Score, EnglishNeutral)
		if en.Hits > 0 { // the compound stands in for a probability
			r.Confidence = math.Abs(r.Score)
			if r.Label == Neutral {
				r.Confidence = 1 - r.Confidence
			}
		}
		return r
	default:
		return r
	}
	terms := slices.Clone(c.Terms)
	slices.SortFunc(terms, func(x, y string) int { return len(y) - len(x) })
	a.score(&r, maskText(text, terms), a.scope(c.Brands))
	return r
}

func (a *Analyzer) scope(brands []string) scope {
	var sc scope
	for _, b := range brands {
		if m := a.scoped[strings.ToLower(strings.TrimSpace(b))]; m != nil {
			sc = append(sc, m)
		}
	}
	return sc
}

// score fills r from masked text (see maskText).
func (a *Analyzer) score(r *Result, masked string, sc scope) {
	nHangul, nLatin := countWords(masked)
	var en vaderScore
	if nLatin > 0 {
		en = a.en.score(masked, sc)
		r.Compound, r.Pos, r.Neu, r.Neg = en.Compound, en.Pos, en.Neu, en.Neg
	}
	x := a.pool.Get().(*featurizer)
	defer a.pool.Put(x)
	shift := koOverrideScale * a.overrides(masked, sc)
	probs := func(m *mlr.Model, fs []mlr.Feat) [mlr.K]float64 {
		z := m.AddPrior(m.Logits(fs), en.Compound)
		z[mlr.Pos] += shift
		z[mlr.Neg] -= shift
		return m.Probs(z)
	}
	var p [mlr.K]float64
	var band float64
	switch {
	case nHangul == 0:
		p, band = probs(a.enModel, x.english(masked, en)), float64(a.enModel.Band)
	default:
		p, band = probs(a.koModel, x.korean(masked, en)), float64(a.koModel.Band)
		if en.Hits > 0 {
			pe := probs(a.enModel, x.english(masked, en))
			wk, we := float64(nHangul), 2*float64(en.Hits)
			for c := range p {
				p[c] = (wk*p[c] + we*pe[c]) / (wk + we)
			}
			band = (wk*band + we*float64(a.enModel.Band)) / (wk + we)
		}
	}
	r.ProbPositive, r.ProbNegative = p[mlr.Pos], p[mlr.Neg]
	r.Score = p[mlr.Pos] - p[mlr.Neg]
	r.Label = label(r.Score, band)
	switch r.Label {
	case Positive:
		r.Confidence = p[mlr.Pos]
	case Negative:
		r.Confidence = p[mlr.Neg]
	default:
		r.Confidence = 1 - max(p[mlr.Pos], p[mlr.Neg])
	}
}

// overrides sums the valence of the override terms in masked text, the
// brand-scoped ones of sc included: they shift the model's positive and
// negative log-odds by koOverrideScale per point, so an override takes
// effect whatever the model learned about the word.
func (a *Analyzer) overrides(text string, sc scope) float64 {
	var sum float64
	add := func(m map[string]float64) {
		for term, v := range m {
			findTerm(text, term, func(int, int) { sum += v })
		}
	}
	add(a.global)
	for _, m := range sc {
		add(m)
	}
	return sum
}

func label(score, band float64) string {
	switch {
	case score >= band:
		return Positive
	case score <= -band:
		return Negative
	default:
		return Neutral
	}
}

// countWords counts whitespace-separated words containing Hangul and
// words containing Latin letters.
func countWords(s string) (hangul, latin int) {
	h, l, in := false, false, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if in {
				if h {
					hangul++
				} else if l {
					latin++
				}
			}
			h, l, in = false, false, false
			continue
		}
		in = true
		if lang.IsHangul(r) {
			h = true
		} else if r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') {
			l = true
		}
	}
	if h {
		hangul++
	} else if l {
		latin++
	}
	return hangul, latin
}
