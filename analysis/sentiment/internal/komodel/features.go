package komodel

import (
	"unicode"
	"unicode/utf8"

	"github.com/earshot/earshot/query"
)

// Namespaces keep different feature kinds apart in the hash space.
const (
	nsChar   byte = 'c' // character n-gram (n follows)
	nsWord   byte = 'w' // word, particle-stripped word, intensifier-stripped word
	nsBigram byte = 'b' // pair of adjacent particle-stripped words
)

// maxRunes bounds the work per text: review-length texts are far shorter,
// and the tail of a 100 KB post adds nothing a model of short texts can use.
const maxRunes = 2000

// intensifiers are Korean slang prefixes that strengthen the word they are
// glued to (개꿀잼, 핵노잼, 존잼, 개존잼). The word without the prefix is
// emitted as an extra word feature so that 노잼 learned elsewhere counts.
var intensifiers = []string{"개존", "개", "핵", "존", "킹", "졸"}

// Extractor turns texts into distinct feature buckets. It reuses its
// buffers, so one Extractor must not be used by two goroutines at once.
type Extractor struct {
	runes []rune
	words []string
	out   []uint32
	seen  []uint64 // one bit per bucket, all clear between calls
	mask  uint32
}

// NewExtractor returns an Extractor hashing into 1<<bits buckets.
func NewExtractor(bits uint8) *Extractor {
	return &Extractor{mask: 1<<bits - 1, seen: make([]uint64, (1<<bits+63)/64)}
}

// Normalize lower-cases text, turns whitespace and control characters into
// single spaces, drops invalid UTF-8, and caps runs of one character at
// two (ㅋㅋㅋㅋ → ㅋㅋ, !!!! → !!, ........ → ..), so that the length of a
// laugh or a sigh does not create new features. The result has no leading
// or trailing space and at most maxRunes runes.
func (x *Extractor) normalize(text string) []rune {
	rs := x.runes[:0]
	space := true // suppresses leading spaces
	for i := 0; i < len(text) && len(rs) < maxRunes; {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			continue
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == 0x200B || r == 0xFEFF {
			if !space {
				rs = append(rs, ' ')
				space = true
			}
			continue
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else if r < 0x3000 || r >= 0xA640 && r < 0xAC00 || r >= 0xD800 {
			r = unicode.ToLower(r)
		}
		if n := len(rs); n >= 2 && rs[n-1] == r && rs[n-2] == r {
			continue
		}
		rs = append(rs, r)
		space = false
	}
	if n := len(rs); n > 0 && rs[n-1] == ' ' {
		rs = rs[:n-1]
	}
	x.runes = rs
	return rs
}

// Features returns the distinct feature buckets of text, in the order
// they first occur (a set: the model only sums their weights; sorting it
// was a third of the cost). The slice is reused by the next call. An empty or letterless text may still have
// features (punctuation n-grams); a text of only spaces has none.
func (x *Extractor) Features(text string) []uint32 {
	rs := x.normalize(text)
	out := x.out[:0]
	if len(rs) == 0 {
		x.out = out
		return out
	}
	// Character 1..3-grams over the text padded with one space on each
	// side, so word starts and ends are features (" 최", "고 ").
	n := len(rs)
	at := func(i int) rune {
		if i < 0 || i >= n {
			return ' '
		}
		return rs[i]
	}
	for i := -1; i <= n; i++ {
		h := newHash(nsChar)
		for k := 0; k < 3 && i+k <= n; k++ {
			r := at(i + k)
			h = h.rune(r)
			if k == 0 && r == ' ' {
				continue // no unigram of a space
			}
			out = append(out, h.byte(byte('1'+k)).sum()&x.mask)
		}
	}
	// Words, split at spaces, with punctuation trimmed off their ends.
	words := x.words[:0]
	start := 0
	for i := 0; i <= n; i++ {
		if i < n && rs[i] != ' ' {
			continue
		}
		if w := trimPunct(rs[start:i]); len(w) > 0 {
			words = append(words, string(w))
		}
		start = i + 1
	}
	prev := ""
	for _, w := range words {
		out = append(out, newHash(nsWord).str(w).sum()&x.mask)
		stem := query.KoreanStem(w)
		if stem != w {
			out = append(out, newHash(nsWord).str(stem).sum()&x.mask)
		}
		for _, p := range intensifiers {
			if len(stem) > len(p) && stem[:len(p)] == p && query.IsHangulSyllable(firstRune(stem[len(p):])) {
				out = append(out, newHash(nsWord).str(stem[len(p):]).sum()&x.mask)
				break
			}
		}
		if prev != "" {
			out = append(out, newHash(nsBigram).str(prev).byte(' ').str(stem).sum()&x.mask)
		}
		prev = stem
	}
	x.words = words[:0]
	// Keep the first occurrence of each bucket, then clear the bits set.
	k := 0
	for _, f := range out {
		if w, bit := f>>6, uint64(1)<<(f&63); x.seen[w]&bit == 0 {
			x.seen[w] |= bit
			out[k] = f
			k++
		}
	}
	out = out[:k]
	for _, f := range out {
		x.seen[f>>6] = 0
	}
	x.out = out
	return out
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func trimPunct(w []rune) []rune {
	for len(w) > 0 && isPunct(w[0]) {
		w = w[1:]
	}
	for len(w) > 0 && isPunct(w[len(w)-1]) {
		w = w[:len(w)-1]
	}
	return w
}

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// hash is 64-bit FNV-1a, folded to 32 bits by sum.
type hash uint64

const (
	fnvOffset hash = 14695981039346656037
	fnvPrime  hash = 1099511628211
)

func newHash(ns byte) hash { return fnvOffset.byte(ns) }

func (h hash) byte(b byte) hash { return (h ^ hash(b)) * fnvPrime }

func (h hash) rune(r rune) hash {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	for _, b := range buf[:n] {
		h = h.byte(b)
	}
	return h
}

func (h hash) str(s string) hash {
	for i := 0; i < len(s); i++ {
		h = h.byte(s[i])
	}
	return h
}

func (h hash) sum() uint32 { return uint32(h) ^ uint32(h>>32) }
