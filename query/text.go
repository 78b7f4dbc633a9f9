package query

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Token is one word of a text. Text is normalised (see Normalize); Start and
// End are byte offsets of the word in the original string; Pos is the
// word's position (0, 1, 2, ...).
type Token struct {
	Text       string
	Start, End int
	Pos        int
}

// Normalize returns s in Unicode NFKC with case folded, so that "ＡＣＭＥ",
// "Acme" and "ACME" all become "acme". It keeps every character (spaces and
// punctuation included); use Tokenize to split words.
func Normalize(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	out := make([]byte, 0, len(s))
	forEachRune(s, func(r rune, _, _ int) {
		out = utf8.AppendRune(out, fold(r))
	})
	return string(out)
}

// fold maps r to its case-folded form (simple folding: ToLower(ToUpper)).
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if r >= 0x3000 && r < 0xA640 || r >= 0xAC00 && r < 0xD800 {
		return r // CJK, kana and Hangul have no case
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

// forEachRune calls fn with each rune of the NFKC form of s and the byte
// range in s of the normalisation segment it comes from (a run that
// normalises independently of its neighbours; usually one character).
// Text already in NFKC, the common case, is not copied.
func forEachRune(s string, fn func(r rune, start, end int)) {
	if norm.NFKC.IsNormalString(s) {
		for i := 0; i < len(s); {
			if c := s[i]; c < utf8.RuneSelf {
				fn(rune(c), i, i+1)
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			fn(r, i, i+size)
			i += size
		}
		return
	}
	var scratch []byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			fn(rune(c), i, i+1)
			i++
			continue
		}
		n := norm.NFKC.NextBoundaryInString(s[i:], true)
		if n <= 0 {
			_, n = utf8.DecodeRuneInString(s[i:])
		}
		scratch = norm.NFKC.AppendString(scratch[:0], s[i:i+n])
		for j := 0; j < len(scratch); {
			r, size := utf8.DecodeRune(scratch[j:])
			fn(r, i, i+n)
			j += size
		}
		i += n
	}
}

// Character classes that decide where words split.
const (
	cSep    = iota // not part of a word
	cWord          // letters and digits of alphabetic scripts
	cHangul        // Hangul syllables
	cJamo          // Hangul letters (ㅋㅋ, ㅠㅠ)
	cSingle        // Han and kana: every character is a word of its own
	cMark          // combining marks: extend the current word
)

func class(r rune) int {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return cWord
		}
		return cSep
	}
	switch {
	case IsHangulSyllable(r):
		return cHangul
	case r >= 0x1100 && r <= 0x11FF, r >= 0x3130 && r <= 0x318F, r >= 0xA960 && r <= 0xA97F,
		r >= 0xD7B0 && r <= 0xD7FF, r >= 0xFFA0 && r <= 0xFFDC:
		return cJamo
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		return cSingle
	case unicode.IsLetter(r), unicode.IsNumber(r):
		return cWord
	case unicode.IsMark(r):
		return cMark
	}
	return cSep
}

// IsHangulSyllable reports whether r is a precomposed Hangul syllable (가-힣).
func IsHangulSyllable(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// Tokenize splits s into normalised words. A word is a run of letters and
// digits of one kind: Latin and other alphabets with digits, Hangul
// syllables, or Hangul letters (ㅋㅋ); every Han or kana character is a
// word of its own. So "Acme의" is "acme" + "의", "#acme's" is "acme" + "s",
// and "삼성ㅋㅋ" is "삼성" + "ㅋㅋ" (NFKC turns compatibility jamo into
// conjoining ones). Start and End point into s; when normalisation expands
// one character into several words, they share its range.
func Tokenize(s string) []Token {
	_, toks := TokenizeJoined(s)
	return toks
}

// TokenizeJoined is Tokenize that also returns the token texts joined by
// single spaces (the form the matcher scans); every toks[i].Text is a
// substring of joined.
func TokenizeJoined(s string) (joined string, toks []Token) {
	return TokenizeFields(s, "", 0) // one field: positions 0, 1, 2, ...
}

// TokenizeFields tokenizes a post's title and text together: joined is
// the title's words joined as by TokenizeJoined, a line break, then the
// text's (just one of them when the other has no words); toks are the
// words of both, the text's with positions starting at the title's word
// count plus gap, so that a phrase or NEAR never spans the two fields.
// Start and End point into the field each token comes from.
func TokenizeFields(title, text string, gap int) (joined string, toks []Token) {
	buf := make([]byte, 0, len(title)+len(text)+8)
	spans := make([]span, 0, (len(title)+len(text))/6+2)
	buf, spans = tokenize(title, buf, spans)
	nTitle, mark := len(spans), len(buf)
	buf, spans = tokenize(text, buf, spans)
	if nTitle > 0 && len(spans) > nTitle {
		buf[mark] = '\n' // tokenize put a space there
	}
	if len(spans) == 0 {
		return "", nil
	}
	joined = string(buf)
	toks = make([]Token, len(spans))
	for i, sp := range spans {
		pos := i
		if i >= nTitle {
			pos += gap
		}
		toks[i] = Token{Text: joined[sp.a:sp.b], Start: sp.start, End: sp.end, Pos: pos}
	}
	return joined, toks
}

// Words returns the normalised words of each text in turn, as Tokenize
// splits them, without positions: substrings of one string, so a caller that
// needs only the words pays for one copy of the text.
func Words(texts ...string) []string {
	n := 0
	for _, t := range texts {
		n += len(t) + 1
	}
	buf := make([]byte, 0, n)
	spans := make([]span, 0, n/6+1)
	for _, t := range texts {
		buf, spans = tokenize(t, buf, spans)
	}
	joined := string(buf)
	words := make([]string, len(spans))
	for i, sp := range spans {
		words[i] = joined[sp.a:sp.b]
	}
	return words
}

// span is a token under construction: [a,b) in the normalised buffer,
// [start,end) in the original.
type span struct{ a, b, start, end int }

// tokenize appends the normalised words of s to buf, separated by single
// spaces, and their spans to spans.
func tokenize(s string, buf []byte, spans []span) ([]byte, []span) {
	if spans == nil {
		spans = make([]span, 0, len(s)/6+1) // about one word per 6 bytes
	}
	t := tokenizer{buf: buf, spans: spans, cur: -1}
	if !asciiOrHangul(s) && !norm.NFKC.IsNormalString(s) {
		forEachRune(s, t.add)
		t.closeTok()
		return t.buf, t.spans
	}
	// Text already in NFKC, the common case: ASCII inline, one byte at a
	// time, the rest rune by rune (what forEachRune would do, without a call
	// per byte).
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			t.add(r, i, i+size)
			i += size
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			if t.cur != cWord {
				t.openTok(cWord, i)
			}
			t.open.end = i + 1
			t.buf = append(t.buf, c)
		} else {
			t.closeTok()
		}
		i++
	}
	t.closeTok()
	return t.buf, t.spans
}

// asciiOrHangul reports whether s holds only ASCII and precomposed Hangul
// syllables: characters NFKC leaves alone whatever surrounds them, so s is
// in NFKC without asking the normaliser (which looks each syllable up).
func asciiOrHangul(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !IsHangulSyllable(r) {
			return false
		}
		i += size
	}
	return true
}

// tokenizer is the state of tokenize.
type tokenizer struct {
	buf   []byte
	spans []span
	cur   int // class of the open token, -1 when none
	open  span
}

// add takes the next rune of the normalised text, from [start,end) of the
// original.
func (t *tokenizer) add(r rune, start, end int) {
	r = fold(r)
	c := class(r)
	if c == cMark {
		if t.cur < 0 {
			c = cWord
		} else {
			c = t.cur
		}
	}
	if c == cSep {
		t.closeTok()
		return
	}
	if c != t.cur || c == cSingle {
		t.openTok(c, start)
	}
	t.open.end = end
	t.buf = utf8.AppendRune(t.buf, r)
}

// openTok closes the open token and starts one of class c at start.
func (t *tokenizer) openTok(c, start int) {
	t.closeTok()
	if len(t.buf) > 0 {
		t.buf = append(t.buf, ' ')
	}
	t.open = span{a: len(t.buf), start: start}
	t.cur = c
}

func (t *tokenizer) closeTok() {
	if t.cur >= 0 {
		t.open.b = len(t.buf)
		t.spans = append(t.spans, t.open)
		t.cur = -1
	}
}

// hasWord reports whether s has at least one word.
func hasWord(s string) bool {
	_, spans := tokenize(s, nil, nil)
	return len(spans) > 0
}
