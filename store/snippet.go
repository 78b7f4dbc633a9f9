package store

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippet geometry, in runes.
const (
	snippetRunes  = 240
	snippetBefore = 60
)

// highlighter marks the tokens of a text that match a query's terms.
type highlighter struct {
	terms     map[string]bool
	prefixes  []string
	compounds []string // words of compound terms: a term ending in one matches
}

func newHighlighter(cts []cterm) highlighter {
	h := highlighter{terms: map[string]bool{}}
	for _, ct := range cts {
		if ct.prefix != "" {
			h.prefixes = append(h.prefixes, ct.prefix)
			continue
		}
		if ct.compound != "" {
			h.compounds = append(h.compounds, ct.compound)
			continue
		}
		for _, t := range ct.toks {
			h.terms[t.term] = true
		}
	}
	return h
}

// ranges returns the merged byte ranges of matching tokens in text. The index
// analyzer is used, so stems (batteries ~ battery) and Hangul particles
// (삼성은 ~ 삼성) match as they do in search; the whole word is marked.
func (h highlighter) ranges(text string) [][2]int {
	if len(h.terms) == 0 && len(h.prefixes) == 0 && len(h.compounds) == 0 {
		return nil
	}
	_, ts := analyzeField(text)
	var out [][2]int
	for _, tok := range ts {
		term := string(tok.Term)
		ok := h.terms[term]
		for _, p := range h.prefixes {
			ok = ok || strings.HasPrefix(term, p)
		}
		for _, c := range h.compounds {
			ok = ok || strings.HasSuffix(term, c)
		}
		if ok && tok.Start >= 0 && tok.End <= len(text) && tok.Start < tok.End {
			out = append(out, [2]int{tok.Start, tok.End})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	merged := out[:0]
	for _, r := range out {
		if n := len(merged); n > 0 && r[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], r[1])
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// snippet returns HTML-escaped text around the first match in text (else in
// title, else the start of text) with <mark> around matches.
func (h highlighter) snippet(title, text string) string {
	title, text = strings.ToValidUTF8(title, "\uFFFD"), strings.ToValidUTF8(text, "\uFFFD")
	if rs := h.ranges(text); len(rs) > 0 {
		return cut(text, rs)
	}
	if rs := h.ranges(title); len(rs) > 0 {
		return cut(title, rs)
	}
	if text == "" {
		return cut(title, nil)
	}
	return cut(text, nil)
}

// cut takes ~snippetRunes runes of s starting a little before the first
// range, on rune boundaries (and word boundaries when close), escapes it and
// wraps the ranges inside it in <mark>.
func cut(s string, rs [][2]int) string {
	start := 0
	if len(rs) > 0 {
		start = backRunes(s, rs[0][0], snippetBefore)
		// prefer starting at a word boundary when one is close
		if start > 0 {
			if i := strings.IndexFunc(s[start:rs[0][0]], unicode.IsSpace); i >= 0 && i < 20 {
				start += i + 1
			}
		}
	}
	end := fwdRunes(s, start, snippetRunes)
	if len(rs) > 0 && end < rs[0][1] {
		end = rs[0][1]
	}
	if end < len(s) {
		if i := strings.LastIndexFunc(s[start:end], unicode.IsSpace); i > 0 && end-(start+i) < 40 {
			end = start + i
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, r := range rs {
		a, z := max(r[0], start), min(r[1], end)
		if a >= z {
			continue
		}
		b.WriteString(html.EscapeString(s[pos:a]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[a:z]))
		b.WriteString("</mark>")
		pos = z
	}
	b.WriteString(html.EscapeString(s[pos:end]))
	if end < len(s) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

// backRunes moves n runes back from byte offset i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// fwdRunes moves n runes forward from byte offset i.
func fwdRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
