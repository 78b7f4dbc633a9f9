package query

import (
	"strings"
	"unicode/utf8"
)

// MinCompound is the fewest syllables a compound search (*배터리) may name:
// one-syllable endings of words (*폰) would match a large share of all
// Korean words and need an index entry for every word's last syllable.
const MinCompound = 2

// The compound rule. Korean writes compound nouns as one word (보조배터리,
// 휴대폰배터리): a search for 배터리 does not find them, since the word does
// not start with it. A compound term, *배터리, matches a word when the word
// or one of its stems (KoreanStems: 보조배터리가 → 보조배터리) ends in 배터리,
// 배터리 itself included. This file is the one place that says so: topic
// matching (Compile) calls CompoundMatch, and the search index stores
// CompoundSuffixes in a field of its own, so that a compound term is one
// term lookup there or in the body.

// CompoundTerm reduces a compound term as written after the * (배터리가 →
// 배터리, by KoreanStem) and reports whether it is one all-Hangul word of at
// least MinCompound syllables, the only words a compound search takes.
func CompoundTerm(text string) (string, bool) {
	toks := Tokenize(text)
	if len(toks) != 1 || toks[0].Start != 0 || toks[0].End != len(Normalize(text)) {
		return "", false
	}
	w := KoreanStem(toks[0].Text)
	if !allSyllables(w) || utf8.RuneCountInString(w) < MinCompound {
		return "", false
	}
	return w, true
}

// CompoundMatch reports whether word (a token of Tokenize) is matched by
// the compound term suffix (from CompoundTerm): word, or one of its stems,
// ends in suffix.
func CompoundMatch(word, suffix string) bool {
	if strings.HasSuffix(word, suffix) {
		return true
	}
	for _, s := range KoreanStems(word) {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}

// CompoundSuffixes returns what an index stores for word so that a lookup
// of suffix there or among word's own index terms (word and KoreanStems)
// finds it exactly when CompoundMatch(word, suffix): the proper suffixes of
// at least MinCompound syllables of word and of each of its stems
// (보조배터리가 → 조배터리가, 배터리가, 터리가, 리가, 조배터리, 배터리, 터리).
// It is nil for a word that is not all Hangul syllables.
func CompoundSuffixes(word string) []string {
	if !allSyllables(word) {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range append([]string{word}, KoreanStems(word)...) {
		for cut := 3; len(t)-cut >= 3*MinCompound; cut += 3 { // syllables are 3 bytes
			if s := t[cut:]; !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
