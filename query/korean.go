package query

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The Korean ending rule. A Hangul noun may be followed in the same word by
// a chain of endings: particles (josa: 삼성은, 삼성에서는, 토스랑) and copula
// forms (삼성입니다, 삼성이지만, 토스지만, 토스라니). This file is the only
// place that decides whether a word is a noun plus endings; the matcher
// (listener/match), topic queries (Compile), the search index and query
// analysis (store) and the keyword and rollup code all call it.
//
// The inventory of endings is korean_endings.tsv, derived from the shared
// Korean corpora by query/internal/endings and reviewed (docs/korean.md).
// Each ending carries the sound it must follow (은 after a final
// consonant, 는 after a vowel), which rules out most false cuts. Two more
// rules keep short and look-alike nouns whole:
//
//   - a stem of one syllable is cut only before a chain of two syllables or
//     more (집에서 → 집, but 정도, 바다, 사고 and 책은 stay whole);
//   - a word is never cut inside a noun of korean_nouns.txt, nouns that end
//     like an ending but take particles themselves in the corpora (고양이 is
//     not 고양 + 이, 카메라도 is 카메라 + 도).

//go:embed korean_endings.tsv
var endingsTSV string

//go:embed korean_nouns.txt
var nounsTXT string

// Ending is one entry of the inventory.
type Ending struct {
	Text string
	// Kind is "particle" (more endings may follow: 에서 + 는), "final" (a
	// particle that ends the word: 은, 를, 의) or "copula" (이지만, 라니;
	// ends the word).
	Kind string
	// After is what the preceding syllable must end in: "C" a final
	// consonant, "V" a vowel, "VL" a vowel or ㄹ (로), "CL" a final
	// consonant other than ㄹ (으로), "*" anything.
	After string
	// AfterC and AfterV are the corpus evidence recorded at review: the
	// number of distinct nouns ending in a consonant or a vowel that the
	// ending was seen after.
	AfterC, AfterV int
}

const maxChain = 3 // endings in a row: 에서 + 만 + 은

var (
	inventory []Ending
	endings   = map[string]*Ending{}
	nouns     = map[string]bool{}
	maxEnding int // longest ending, in bytes
)

func init() {
	for n, line := range strings.Split(endingsTSV, "\n") {
		if line == "" || line[0] == '#' || strings.HasPrefix(line, "ending\t") {
			continue
		}
		e, err := parseEnding(line)
		if err != nil {
			panic(fmt.Sprintf("query: korean_endings.tsv line %d: %v", n+1, err))
		}
		inventory = append(inventory, e)
	}
	for i := range inventory {
		e := &inventory[i]
		endings[e.Text] = e
		maxEnding = max(maxEnding, len(e.Text))
	}
	for _, line := range strings.Split(nounsTXT, "\n") {
		if w, _, _ := strings.Cut(line, "\t"); w != "" && w[0] != '#' {
			nouns[w] = true
		}
	}
}

func parseEnding(line string) (Ending, error) {
	f := strings.Split(line, "\t")
	if len(f) < 5 {
		return Ending{}, fmt.Errorf("want 5 columns, got %d", len(f))
	}
	e := Ending{Text: f[0], Kind: f[1], After: f[2]}
	switch e.Kind {
	case "particle", "final", "copula":
	default:
		return Ending{}, fmt.Errorf("kind %q is not one of particle final copula", e.Kind)
	}
	switch e.After {
	case "C", "V", "VL", "CL", "*":
	default:
		return Ending{}, fmt.Errorf("after %q is not one of C V VL CL *", e.After)
	}
	var err1, err2 error
	e.AfterC, err1 = strconv.Atoi(f[3])
	e.AfterV, err2 = strconv.Atoi(f[4])
	if err1 != nil || err2 != nil || !allSyllables(e.Text) {
		return Ending{}, fmt.Errorf("bad ending %q or evidence %q %q", f[0], f[3], f[4])
	}
	return e, nil
}

// Inventory returns a copy of the ending inventory, in file order.
func Inventory() []Ending { return append([]Ending(nil), inventory...) }

// IsEnding reports whether s is one ending of the inventory.
func IsEnding(s string) bool { return endings[s] != nil }

// HasFinalConsonant reports whether the Hangul syllable r ends in a
// consonant (받침): 삼성 → 성 does, 토스 → 스 does not.
func HasFinalConsonant(r rune) bool { return IsHangulSyllable(r) && (r-0xAC00)%28 != 0 }

// finalL reports whether the syllable r ends in ㄹ.
func finalL(r rune) bool { return IsHangulSyllable(r) && (r-0xAC00)%28 == 8 }

// fits reports whether an ending whose condition is after may follow the
// syllable prev; prev 0 means "unknown" (a non-Hangul word before it).
func fits(after string, prev rune) bool {
	if prev == 0 || after == "*" {
		return true
	}
	c, l := HasFinalConsonant(prev), finalL(prev)
	switch after {
	case "C":
		return c
	case "V":
		return !c
	case "VL":
		return !c || l
	case "CL":
		return c && !l
	}
	return false
}

// chain reports whether s is one to left endings in a row, the first
// allowed after the syllable prev.
func chain(s string, prev rune, left int) bool {
	if s == "" || left == 0 {
		return false
	}
	for n := 3; n <= maxEnding && n <= len(s); n += 3 { // 3 bytes a syllable
		e := endings[s[:n]]
		if e == nil || !fits(e.After, prev) {
			continue
		}
		if n == len(s) {
			return true
		}
		last, _ := utf8.DecodeLastRuneInString(s[:n])
		if e.Kind == "particle" && chain(s[n:], last, left-1) {
			return true
		}
	}
	return false
}

// IsEndingChain reports whether s is a chain of Korean endings whatever
// precedes it (의, 에서는, 이랑은): what may follow a non-Hangul word in the
// same word, as in "Acme의". The empty string is not a chain.
func IsEndingChain(s string) bool { return chain(s, 0, maxChain) }

// SplitByGrammar reports whether word[cut:] is an ending chain that may
// follow word[:cut]: the sound conditions and the one-syllable-stem rule,
// without the noun list. It is IsEndingSplit for query/internal/endings,
// which derives that list.
func SplitByGrammar(word string, cut int) bool {
	if cut <= 0 || cut >= len(word) || !utf8.RuneStart(word[cut]) {
		return false
	}
	prev, size := utf8.DecodeLastRuneInString(word[:cut])
	if !IsHangulSyllable(prev) {
		return false
	}
	if size == cut && len(word)-cut < 6 { // one-syllable stem, one-syllable chain
		return false
	}
	return chain(word[cut:], prev, maxChain)
}

// IsEndingSplit reports whether word, a normalised word whose first cut
// bytes end in a Hangul syllable, reads as the noun word[:cut] followed by
// endings: 삼성에서는 at 삼성, 토스지만 at 토스, not 삼성동, 토스트, 고양이
// at 고양. It is the one test of "this noun, inflected".
func IsEndingSplit(word string, cut int) bool {
	if !SplitByGrammar(word, cut) {
		return false
	}
	for p := cut + 3; p <= len(word); p += 3 { // never cut inside a listed noun
		if nouns[word[:p]] {
			return false
		}
	}
	return true
}

// KoreanStems returns the stems word may be read as, shortest first, without
// word itself: 삼성이랑은 → [삼성 삼성이랑]. It is nil for a word that is not
// all Hangul syllables or has no ending. A search index stores them next to
// the word, so that every stem KoreanStem or the matcher may look for is
// found.
func KoreanStems(word string) []string {
	if !allSyllables(word) {
		return nil
	}
	var out []string
	for cut := 3; cut < len(word); cut += 3 {
		if IsEndingSplit(word, cut) {
			out = append(out, word[:cut])
		}
	}
	return out
}

// KoreanStem returns word without its ending chain, the shortest stem that
// IsEndingSplit allows (삼성이랑은 → 삼성, 토스라니 → 토스, 카메라도 →
// 카메라), or word itself when it has none (삼성동, 고양이, acme). Its
// result is a non-empty prefix of word and one of KoreanStems(word), so the
// index holds it wherever it holds word; it is not idempotent (라라도도 →
// 라라도 → 라), and must not be applied twice.
func KoreanStem(word string) string {
	if !allSyllables(word) {
		return word
	}
	for cut := 3; cut < len(word); cut += 3 {
		if IsEndingSplit(word, cut) {
			return word[:cut]
		}
	}
	return word
}

// allSyllables reports whether s is non-empty and only Hangul syllables.
func allSyllables(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !IsHangulSyllable(r) {
			return false
		}
	}
	return true
}
