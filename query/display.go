package query

import (
	"strings"
	"unicode/utf8"
)

// Display makes fetched text safe to show to people: characters that
// reorder or hide text are removed, so what is displayed is what is stored
// (an author written "\u202Enimda" shows as "nimda", not as "admin").
// Removed: the bidirectional embeddings, overrides and isolates (U+202A–
// U+202E, U+2066–U+2069, U+061C), the zero-width and directional marks
// (U+200B–U+200F), the word joiner and invisible operators (U+2060–U+2064)
// and the byte-order mark (U+FEFF). C0 and C1 control characters other
// than newline and tab become a space; invalid UTF-8 becomes U+FFFD. Every
// page of the web UI and every e-mail shows titles and names through it.
func Display(s string) string {
	if !needsDisplayFix(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case invisible(r):
			return -1
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			return ' '
		}
		return r
	}, s)
}

func invisible(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x061C ||
		r >= 0x200B && r <= 0x200F || r >= 0x2060 && r <= 0x2064 || r == 0xFEFF
}

// needsDisplayFix is the fast path: most text has nothing to remove.
func needsDisplayFix(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || invisible(r) || r != '\n' && r != '\t' && (r < 0x20 || r >= 0x7f && r <= 0x9f) {
			return true
		}
	}
	return false
}
