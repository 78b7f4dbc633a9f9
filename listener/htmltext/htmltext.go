package htmltext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxInput is the number of input bytes ToText reads; the rest is dropped.
const MaxInput = 1 << 20

// maxDepth bounds the skip-element nesting counter.
const maxDepth = 1 << 16

// ToText returns the plain text of the HTML fragment s.
func ToText(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if !strings.ContainsAny(s, "<&") {
		w := newWriter(len(s))
		w.text(s)
		return w.String()
	}
	z := html.NewTokenizer(strings.NewReader(s))
	z.SetMaxBuf(MaxInput + 4096)
	w := newWriter(len(s))
	skip := 0 // depth inside dropped elements
	var skipTag atom.Atom
	pre := 0 // depth inside <pre>
	invisible := 0
	var spanStack []bool // for spans: whether each open span is invisible
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return w.String()
		case html.TextToken:
			if skip > 0 || invisible > 0 {
				continue
			}
			t := string(z.Text())
			if pre > 0 {
				w.verbatim(t)
			} else {
				w.text(t)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if skip > 0 {
				if a == skipTag && tt == html.StartTagToken && skip < maxDepth {
					skip++
				}
				continue
			}
			switch a {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head, atom.Iframe:
				if tt == html.StartTagToken {
					skip, skipTag = 1, a
				}
				continue
			case atom.Span:
				if tt == html.SelfClosingTagToken {
					continue
				}
				inv := hasAttr && classInvisible(z)
				if len(spanStack) < maxDepth {
					spanStack = append(spanStack, inv)
					if inv {
						invisible++
					}
				}
				continue
			case atom.Pre:
				w.block()
				if tt == html.StartTagToken && pre < maxDepth {
					pre++
				}
				continue
			case atom.Img:
				continue
			}
			if isBlock(a) || a == atom.Br {
				if a == atom.Br {
					w.newline()
				} else {
					w.block()
				}
			} else if a == atom.Td || a == atom.Th {
				w.space()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skip > 0 {
				if a == skipTag {
					skip--
				}
				continue
			}
			switch a {
			case atom.Span:
				if n := len(spanStack); n > 0 {
					if spanStack[n-1] {
						invisible--
					}
					spanStack = spanStack[:n-1]
				}
				continue
			case atom.Pre:
				if pre > 0 {
					pre--
				}
				w.block()
				continue
			}
			if isBlock(a) {
				w.block()
			} else if a == atom.Br {
				w.newline()
			}
		}
	}
}

func classInvisible(z *html.Tokenizer) bool {
	for {
		k, v, more := z.TagAttr()
		if string(k) == "class" {
			for _, c := range strings.Fields(string(v)) {
				if c == "invisible" {
					return true
				}
			}
		}
		if !more {
			return false
		}
	}
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Tr, atom.Table,
		atom.Section, atom.Article, atom.Header, atom.Footer, atom.Hr,
		atom.Dl, atom.Dt, atom.Dd, atom.Figure, atom.Figcaption, atom.Aside,
		atom.Nav, atom.Main, atom.Address, atom.Details, atom.Summary:
		return true
	}
	return false
}

// writer accumulates text, collapsing whitespace outside <pre>.
type writer struct {
	b strings.Builder
	// pendingSpace: a space is owed before the next word on this line.
	pendingSpace bool
	// pendingBreaks: line breaks owed before the next text (max 2).
	pendingBreaks int
}

func newWriter(n int) *writer {
	w := &writer{}
	if n > 4096 {
		n = 4096
	}
	w.b.Grow(n)
	return w
}

func (w *writer) flush() {
	if w.b.Len() == 0 {
		w.pendingSpace, w.pendingBreaks = false, 0
		return
	}
	if n := w.pendingBreaks - trailingNewlines(w.b.String()); n > 0 {
		w.b.WriteString(strings.Repeat("\n", n))
	} else if w.pendingBreaks == 0 && w.pendingSpace {
		w.b.WriteByte(' ')
	}
	w.pendingSpace, w.pendingBreaks = false, 0
}

// trailingNewlines counts the line breaks (at most 2) ending s.
func trailingNewlines(s string) int {
	n := 0
	for n < 2 && n < len(s) && s[len(s)-1-n] == '\n' {
		n++
	}
	return n
}

// text writes s, collapsing whitespace runs to one space.
func (w *writer) text(s string) {
	start := -1
	for i, r := range s {
		if isSpace(r) {
			if start >= 0 {
				w.flush()
				w.b.WriteString(s[start:i])
				start = -1
			}
			if w.pendingBreaks == 0 {
				w.pendingSpace = true
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		w.flush()
		w.b.WriteString(s[start:])
	}
}

// verbatim writes s keeping its spaces and line breaks (inside <pre>).
func (w *writer) verbatim(s string) {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if w.pendingBreaks > 0 || w.b.Len() == 0 {
		s = strings.TrimLeft(s, "\n")
	}
	if s == "" {
		return
	}
	w.flush()
	w.b.WriteString(s)
}

// newline owes one line break.
func (w *writer) newline() {
	if w.pendingBreaks < 1 {
		w.pendingBreaks = 1
	} else if w.pendingBreaks < 2 {
		w.pendingBreaks++
	}
	w.pendingSpace = false
}

// block owes a paragraph break (one blank line).
func (w *writer) block() {
	w.pendingBreaks = 2
	w.pendingSpace = false
}

func (w *writer) space() {
	if w.pendingBreaks == 0 {
		w.pendingSpace = true
	}
}

func (w *writer) String() string {
	out := w.b.String()
	// trim trailing spaces on each line and surrounding blank lines
	if strings.ContainsAny(out, "\n") {
		lines := strings.Split(out, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
		}
		out = strings.Join(lines, "\n")
	}
	return strings.TrimSpace(out)
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0x00A0, 0x3000:
		return true
	}
	return r < 0x20 || r == 0x7f || unicode.IsSpace(r)
}
