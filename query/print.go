package query

import (
	"strconv"
	"strings"
	"unicode"
)

// String prints n in a canonical form that Parse reads back into the same
// tree: explicit AND, NOT instead of -, NEAR/n with its distance, and
// parentheses only where the tree needs them. Words that could not be read
// back as bare words (spaces, operators, quotes) are printed as phrases.
func String(n Node) string {
	var b strings.Builder
	write(&b, n)
	return b.String()
}

func write(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case Term:
		writeTerm(b, n)
	case Near:
		writeTerm(b, n.Left)
		b.WriteString(" NEAR/")
		b.WriteString(strconv.Itoa(n.N))
		b.WriteByte(' ')
		writeTerm(b, n.Right)
	case Not:
		b.WriteString("NOT ")
		switch n.Child.(type) {
		case Term, Not:
			write(b, n.Child)
		default:
			writeParen(b, n.Child)
		}
	case And:
		for i, c := range n.Children {
			if i > 0 {
				b.WriteString(" AND ")
			}
			switch c.(type) {
			case And, Or:
				writeParen(b, c)
			default:
				write(b, c)
			}
		}
	case Or:
		for i, c := range n.Children {
			if i > 0 {
				b.WriteString(" OR ")
			}
			if _, ok := c.(Or); ok {
				writeParen(b, c)
			} else {
				write(b, c)
			}
		}
	}
}

func writeParen(b *strings.Builder, n Node) {
	b.WriteByte('(')
	write(b, n)
	b.WriteByte(')')
}

func writeTerm(b *strings.Builder, t Term) {
	// NOT* is a prefix term, not the operator: the * makes it a word.
	operator := t.Prefix && (t.Text == "AND" || t.Text == "OR" || t.Text == "NOT" || t.Text == "NEAR")
	if t.Compound && !t.Phrase {
		b.WriteByte('*')
		b.WriteString(t.Text)
		return
	}
	if !t.Phrase && (bareWord(t.Text) || operator) {
		b.WriteString(t.Text)
		if t.Prefix {
			b.WriteByte('*')
		}
		return
	}
	b.WriteByte('"')
	b.WriteString(strings.ReplaceAll(t.Text, `"`, " "))
	b.WriteByte('"')
}

// bareWord reports whether w reads back as one word term.
func bareWord(w string) bool {
	if w == "" || w[0] == '-' || strings.ContainsAny(w, `()"*`) {
		return false
	}
	switch w {
	case "AND", "OR", "NOT", "NEAR":
		return false
	}
	if strings.HasPrefix(w, "NEAR/") {
		return false
	}
	return strings.IndexFunc(w, unicode.IsSpace) < 0
}
