package keywords

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"

	"github.com/earshot/earshot/analysis/lang"
	"github.com/earshot/earshot/query"
)

// Phrase lengths: two or three words.
const (
	minPhraseWords = 2
	maxPhraseWords = 3
)

// PhrasesVersion names what Phrases returns for a text: it changes with
// any change to Phrases' output (its rules, prose's model, the stopword
// lists), so that phrases kept by an earlier version are tagged again
// (store.Store.KeepPhrases). analysis/report's TestPhrasesVersion fails
// when the output changes and this does not.
const PhrasesVersion = "prose-v2.1"

// shared is the process's one Extractor: prose's model is ~10 MB of gob
// to decode, so it is loaded once, on first use, and only read after.
var shared = sync.OnceValues(New)

// Shared returns the process's Extractor, loading prose's model on the
// first call.
func Shared() (*Extractor, error) { return shared() }

// Phrases returns the text's distinct noun phrases of two or three words,
// lower case, in order of first appearance:
//
//   - English (Latin letters): prose's part-of-speech tags; a phrase is a
//     run of nouns, adjectives and participles (NN*, JJ*, VBG, VBN) that
//     holds no stopword, cut into its 2- and 3-word sub-runs that end with
//     a noun ("new charging cable" → "new charging cable", "charging
//     cable"); a word repeated in a row makes no phrase.
//   - Korean: consecutive Hangul words of a clause, each particle-stripped
//     (query.KoreanStem), at least two syllables, not a stopword and not a
//     predicate (a word ending in 다, 요, 죠, 네, 까, 음, 함 or 됨); "보조배터리 발열이 심해요" → "보조배터리 발열". Without a
//     Korean tagger this is a heuristic: a noun ending like a predicate
//     breaks a sequence.
func (e *Extractor) Phrases(text string) []string {
	if len(text) > maxBytes {
		text = text[:maxBytes]
		if i := strings.LastIndexFunc(text, unicode.IsSpace); i > 0 {
			text = text[:i] // no word cut in two
		}
	}
	text = strings.ToValidUTF8(text, " ")
	var out []string
	seen := map[string]bool{}
	add := func(words []string) {
		for i := 1; i < len(words); i++ {
			if words[i] == words[i-1] { // "battery battery" is no phrase
				return
			}
		}
		p := strings.Join(words, " ")
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if hasLatin(text) {
		doc, err := prose.NewDocument(text, prose.WithSegmentation(false), prose.WithExtraction(false), prose.UsingModel(e.model))
		if err == nil {
			var run []string
			var tags []string
			flush := func() {
				for end := len(run); end >= minPhraseWords; end-- {
					if !strings.HasPrefix(tags[end-1], "NN") {
						continue
					}
					for n := minPhraseWords; n <= maxPhraseWords && n <= end; n++ {
						add(run[end-n : end])
					}
				}
				run, tags = run[:0], tags[:0]
			}
			for _, tok := range doc.Tokens() {
				w := strings.ToLower(tok.Text)
				if modifierOrNoun(tok.Tag) && !englishStop[w] && isWord(w) {
					run, tags = append(run, w), append(tags, tok.Tag)
					continue
				}
				flush()
			}
			flush()
		}
	}
	for _, clause := range strings.FieldsFunc(text, func(r rune) bool { return !lang.IsHangul(r) && !unicode.IsSpace(r) }) {
		var run []string
		flush := func() {
			for end := minPhraseWords; end <= len(run); end++ {
				for n := minPhraseWords; n <= maxPhraseWords && n <= end; n++ {
					add(run[end-n : end])
				}
			}
			run = run[:0]
		}
		for _, w := range strings.Fields(clause) {
			if stem, ok := koreanNoun(w); ok {
				run = append(run, stem)
				continue
			}
			flush()
		}
		flush()
	}
	return out
}

// modifierOrNoun is a tag that may stand in a noun phrase: nouns,
// adjectives and the participles used as adjectives ("charging cable").
func modifierOrNoun(tag string) bool {
	return strings.HasPrefix(tag, "NN") || strings.HasPrefix(tag, "JJ") || tag == "VBG" || tag == "VBN"
}

// koreanNoun returns w's stem when w reads as a noun (with particles).
func koreanNoun(w string) (string, bool) {
	for _, r := range w {
		if !lang.IsHangul(r) {
			return "", false
		}
	}
	stem := query.KoreanStem(w)
	if utf8.RuneCountInString(stem) < 2 || koreanStop[stem] || isMarker(stem) {
		return "", false
	}
	// A predicate, or a noun with the copula (배터리다): its ending stripped
	// or not, the word's last syllable gives it away.
	last, _ := utf8.DecodeLastRuneInString(w)
	if strings.ContainsRune("다요죠네까음함됨", last) {
		return "", false
	}
	return stem, true
}
