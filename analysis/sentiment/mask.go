package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot/query"
)

// maskText replaces brand terms (longest first) with brandToken, keeping
// their endings (글로벡스보다 → zbrandz보다, Joy's → zbrandz's), and handles
// and links with userToken and urlToken: one word each, in no lexicon, so
// the brand keeps its place for negation, comparison and booster windows
// but carries no valence of its own ("@united" is not "united").
func maskText(text string, terms []string) string {
	text = mask(text, terms, brandToken)
	if !strings.Contains(text, "@") && !strings.Contains(text, "http") && !strings.Contains(text, "www.") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	start := true // at a word start
	for i := 0; i < len(text); {
		c := text[i]
		if start && (c == '@' || c == 'h' || c == 'w') {
			if n := linkOrHandle(text[i:]); n > 0 {
				switch {
				case c != '@':
					b.WriteString(urlToken)
				case strings.HasPrefix(text[i+1:], brandToken):
					b.WriteString("@" + brandToken)
				default:
					b.WriteString("@" + userToken)
				}
				i += n
				start = false
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		start = !isWordRune(r)
		b.WriteString(text[i : i+size])
		i += size
	}
	return b.String()
}

// findTerm calls fn with the byte span of every occurrence of term in text
// that starts a word and ends one, where a word may end with a Korean
// particle chain (아크미는, Acme의) or an English possessive (Joy's). The
// span covers the term and its ending. Matching is case-insensitive.
func findTerm(text, term string, fn func(start, end int)) {
	if term == "" || len(term) > len(text) {
		return
	}
	for i := 0; i+len(term) <= len(text); {
		j := indexFold(text[i:], term)
		if j < 0 {
			return
		}
		start := i + j
		end := start + len(term)
		i = start + 1
		if start > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:start])
			if isWordRune(r) {
				continue
			}
		}
		// The rest of the word after the term.
		k := end
		for k < len(text) {
			r, size := utf8.DecodeRuneInString(text[k:])
			if !isWordRune(r) && r != '\'' && r != '’' {
				break
			}
			k += size
		}
		rest := text[end:k]
		switch {
		case rest == "":
		case rest == "'s" || rest == "’s" || rest == "'" || rest == "’":
		case query.IsEndingChain(rest):
		default:
			continue
		}
		fn(start, k)
		i = k
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// indexFold is strings.Index ignoring case, for terms whose lower and
// upper forms have the same length in UTF-8 (all Latin, Hangul and Han).
func indexFold(s, sub string) int {
	if !hasUpperOrNonASCII(sub) && !hasUpperOrNonASCII(s) {
		return strings.Index(s, sub)
	}
	if isASCII(sub) && sub != "" {
		// An ASCII term folds equal only to ASCII bytes of the same length
		// (a rune such as the Kelvin sign that folds to 'k' is longer).
		c0 := lowerASCII(sub[0])
		for i := 0; i+len(sub) <= len(s); i++ {
			if lowerASCII(s[i]) == c0 && equalFoldASCII(s[i:i+len(sub)], sub) {
				return i
			}
		}
		return -1
	}
	for i := 0; i+len(sub) <= len(s); {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return -1
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldASCII reports whether s, all ASCII, equals the ASCII t ignoring
// case.
func equalFoldASCII(s, t string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || lowerASCII(s[i]) != lowerASCII(t[i]) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasUpperOrNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// mask replaces every occurrence of the terms (see findTerm) with repl,
// longest terms first so "Sick Games" wins over "Sick". The ending after a
// term (Korean particles, 's) stays.
func mask(text string, terms []string, repl string) string {
	for _, t := range terms {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		var b strings.Builder
		last := 0
		findTerm(text, t, func(s, _ int) {
			b.WriteString(text[last:s])
			b.WriteString(repl)
			last = s + len(t)
		})
		if last > 0 {
			b.WriteString(text[last:])
			text = b.String()
		}
	}
	return text
}
