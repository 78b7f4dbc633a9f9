package lang

import (
	"unicode"
	"unicode/utf8"
)

// Languages returned by Detect.
const (
	English = "en"
	Korean  = "ko"
	Other   = "other"
)

// maxWords bounds the words Detect looks at.
const maxWords = 400

// maxWordBytes bounds the bytes of one word kept for stopword lookup.
const maxWordBytes = 24

// IsHangul reports whether r is a Hangul syllable or jamo (including the
// compatibility jamo of ㅋㅋ, ㅎㅎ, ㅠㅠ).
func IsHangul(r rune) bool {
	return r >= 0xAC00 && r <= 0xD7A3 || r >= 0x1100 && r <= 0x11FF ||
		r >= 0x3130 && r <= 0x318F || r >= 0xA960 && r <= 0xA97F || r >= 0xD7B0 && r <= 0xD7FF
}

// Detect returns "en", "ko", "other", or "" for a text without letters.
func Detect(text string) string {
	var nHangul, nLatin, nOther int
	var enHits, foreignHits, diacritics int
	var buf [maxWordBytes]byte
	words := 0
	i := 0
	for i < len(text) && words < maxWords {
		// Skip to the start of a word.
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '@' || r == '#' || hasURLPrefix(text[i:]) {
			// Handles, hashtags and links say nothing about the language.
			for i < len(text) && text[i] != ' ' && text[i] != '\n' && text[i] != '\t' {
				i++
			}
			continue
		}
		if !isWordRune(r) {
			i += size
			continue
		}
		var h, l, o int
		n := 0
		diac := false
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			switch {
			case IsHangul(r):
				h++
			case r < utf8.RuneSelf:
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
					l++
				}
			case unicode.Is(unicode.Latin, r):
				l++
				diac = true
			case unicode.IsLetter(r):
				o++
			}
			if n+size <= maxWordBytes {
				if r >= 'A' && r <= 'Z' {
					r += 'a' - 'A'
				}
				n += utf8.EncodeRune(buf[n:], r)
			} else {
				n = maxWordBytes + 1 // too long to be a function word
			}
			i += size
		}
		switch {
		case h == 0 && l == 0 && o == 0:
			continue // digits and apostrophes only
		case h > 0: // Acme의: a particle makes the word Korean
			nHangul++
		case l >= o:
			nLatin++
			if diac {
				diacritics++
			}
			if n <= maxWordBytes {
				// m[string(b)] does not allocate.
				if englishWords[string(buf[:n])] {
					enHits++
				} else if foreignWords[string(buf[:n])] {
					foreignHits++
				}
			}
		default:
			nOther++
		}
		words++
	}
	switch {
	case nHangul+nLatin+nOther == 0:
		return ""
	case nHangul > 0 && nHangul >= nLatin && nHangul > nOther:
		return Korean
	case nLatin > nOther && nLatin > nHangul:
		if foreignHits+diacritics > enHits || foreignHits > 0 && enHits == 0 {
			return Other
		}
		return English
	default:
		return Other
	}
}

func isWordRune(r rune) bool {
	return r == '\'' || r == '’' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func hasURLPrefix(s string) bool {
	for _, p := range []string{"http://", "https://", "www."} {
		if len(s) >= len(p) && s[:len(p)] == p {
			return true
		}
	}
	return false
}
