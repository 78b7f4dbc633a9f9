package sentiment

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot/analysis/lang"
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
	// EnglishNeutral is VADER's published band: |compound| < 0.05 is neutral.
	EnglishNeutral = 0.05
	// KoreanNeutral is the band on 2P-1 of the Korean model: texts the model
	// cannot call with P outside 0.4..0.6 are neutral.
	KoreanNeutral = 0.2
	// koOverrideScale turns an override's VADER valence (-4..+4) into
	// log-odds for the Korean model: +4 adds 3 (P from 0.5 to 0.95).
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
	Score float64 `json:"score"` // -1..1
	Label string  `json:"label"` // positive, neutral, negative
	// Compound, Pos, Neu and Neg are VADER's outputs for the English
	// part of the text (zero when there is none).
	Compound float64 `json:"compound"`
	Pos      float64 `json:"pos"`
	Neu      float64 `json:"neu"`
	Neg      float64 `json:"neg"`
	// ProbPositive is the Korean model's P(positive) for the Korean part
	// of the text (zero when there is none).
	ProbPositive float64 `json:"prob_positive,omitempty"`
}

// Analyzer scores English and Korean texts. It is safe for concurrent use.
type Analyzer struct {
	en     *vader
	ko     *korean
	global map[string]float64            // Korean-script overrides for all brands
	scoped map[string]map[string]float64 // lower brand name → term → valence
	log    zerolog.Logger
}

// New loads the embedded lexicons and Korean model and applies the
// overrides. It fails on an invalid override (empty term, score outside
// -4..+4 or not a number).
func New(opts Options) (*Analyzer, error) {
	lex, err := parseLexicon(vaderLexicon)
	if err != nil {
		return nil, err
	}
	emoji, longest, err := parseEmoji(emojiLexicon)
	if err != nil {
		return nil, err
	}
	ko, err := newKorean(koModelBytes)
	if err != nil {
		return nil, fmt.Errorf("korean model: %w", err)
	}
	a := &Analyzer{
		en:     &vader{lex: lex, phrases: map[string]bool{}, firsts: map[string]bool{}, emoji: emoji, maxEmojiRS: longest},
		ko:     ko,
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
	a.log.Debug().Int("lexicon", len(lex)).Int("overrides", len(opts.Overrides)).Msg("sentiment analyzer ready")
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
// is scored by VADER's emoji and emoticon entries alone. Text with no
// Hangul is scored by VADER; text with Hangul by the Korean model; text
// with both (Korean tech talk with English words) by both, combined as a
// weighted mean: the Korean model weighs the number of Hangul words, VADER
// twice the number of words that carried valence, so "아크미 배터리 진짜
// good" counts "good" as strong evidence but a stray English noun adds
// nothing.
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
		return r
	default:
		return r
	}
	var sc scope
	for _, b := range c.Brands {
		if m := a.scoped[strings.ToLower(strings.TrimSpace(b))]; m != nil {
			sc = append(sc, m)
		}
	}
	terms := slices.Clone(c.Terms)
	slices.SortFunc(terms, func(x, y string) int { return len(y) - len(x) })

	nHangul, nLatin := countWords(text)
	var en vaderScore
	if nLatin > 0 {
		en = a.en.score(mask(text, terms, maskPlaceholder), sc)
		r.Compound, r.Pos, r.Neu, r.Neg = en.Compound, en.Pos, en.Neu, en.Neg
	}
	if nHangul == 0 {
		r.Score = en.Compound
		r.Label = label(r.Score, EnglishNeutral)
		return r
	}
	masked := mask(text, terms, " ")
	z := a.ko.logit(masked) + koOverrideScale*a.koOverrides(masked, sc)
	p := sigmoid(z)
	r.ProbPositive = p
	ko := 2*p - 1
	wk, we := float64(nHangul), 2*float64(en.Hits)
	r.Score = (wk*ko + we*en.Compound) / (wk + we)
	band := (wk*KoreanNeutral + we*EnglishNeutral) / (wk + we)
	r.Label = label(r.Score, band)
	return r
}

// koOverrides sums the valence of the override terms that occur in a
// Korean text (English terms reach the Korean part through VADER).
func (a *Analyzer) koOverrides(text string, sc scope) float64 {
	var sum float64
	add := func(m map[string]float64) {
		for term, v := range m {
			if !hasHangul(term) {
				continue
			}
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

func hasHangul(s string) bool {
	for _, r := range s {
		if lang.IsHangul(r) {
			return true
		}
	}
	return false
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
