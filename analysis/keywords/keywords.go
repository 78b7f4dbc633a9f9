package keywords

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot/analysis/lang"
	"github.com/earshot/earshot/query"
	"github.com/jdkato/prose/v2"
)

// Keyword is one extracted term.
type Keyword struct {
	Text string
	Kind string // "entity:PERSON", "entity:GPE", ... or "noun"
}

// maxBytes bounds the text given to the tagger.
const maxBytes = 16 << 10

// Extractor extracts keywords. It is safe for concurrent use: the prose
// model is only read after loading.
type Extractor struct {
	model *prose.Model
}

// New loads prose's English tagger and NER model once.
func New() (ex *Extractor, err error) {
	defer func() {
		if r := recover(); r != nil { // prose panics on a corrupt embedded model
			err = fmt.Errorf("load prose model: %v", r)
		}
	}()
	doc, err := prose.NewDocument("", prose.WithSegmentation(false))
	if err != nil {
		return nil, fmt.Errorf("load prose model: %w", err)
	}
	return &Extractor{model: doc.Model}, nil
}

// Extract returns the text's keywords in order of first appearance.
func (e *Extractor) Extract(text string) []Keyword {
	if len(text) > maxBytes {
		text = text[:maxBytes]
	}
	text = strings.ToValidUTF8(text, " ")
	var out []Keyword
	seen := map[string]bool{}
	add := func(k Keyword) {
		key := strings.ToLower(k.Text)
		if k.Text == "" || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, k)
	}
	if hasLatin(text) {
		doc, err := prose.NewDocument(text, prose.WithSegmentation(false), prose.UsingModel(e.model))
		if err == nil {
			inEntity := map[string]bool{}
			for _, ent := range doc.Entities() {
				add(Keyword{Text: ent.Text, Kind: "entity:" + ent.Label})
				for _, w := range strings.Fields(strings.ToLower(ent.Text)) {
					inEntity[w] = true
				}
			}
			for _, tok := range doc.Tokens() {
				w := strings.ToLower(tok.Text)
				if strings.HasPrefix(tok.Tag, "NN") && !inEntity[w] && !englishStop[w] && isWord(w) {
					add(Keyword{Text: w, Kind: "noun"})
				}
			}
		}
	}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !lang.IsHangul(r) }) {
		stem := query.KoreanStem(f)
		if utf8.RuneCountInString(stem) >= 2 && !koreanStop[stem] && !isMarker(stem) {
			add(Keyword{Text: stem, Kind: "noun"})
		}
	}
	return out
}

func hasLatin(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// isWord reports whether w has at least two letters and no symbols.
func isWord(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r) || r == '-' || r == '\'':
		default:
			return false
		}
	}
	return letters >= 2
}

// isMarker reports a run of jamo (ㅋㅋ, ㅠㅠ): sentiment, not a topic.
func isMarker(w string) bool {
	for _, r := range w {
		if r < 0x3130 || r > 0x318F {
			return false
		}
	}
	return true
}
