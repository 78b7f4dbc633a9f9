package query

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits that keep hostile queries cheap to parse and to evaluate.
const (
	MaxQueryLen   = 4096 // bytes
	MaxDepth      = 32   // nested parentheses and NOTs
	MaxTerms      = 256  // words and phrases
	MaxNear       = 50   // largest n in NEAR/n
	DefaultNear   = 5    // n of a plain NEAR
	maxNearDigits = 4
)

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tPhrase
	tLParen
	tRParen
	tAnd
	tOr
	tNot  // NOT or the - shorthand
	tNear // NEAR or NEAR/n
)

type token struct {
	kind   tokKind
	pos    int // byte offset in the query
	text   string
	prefix bool // word ended in *
	// compound: word started with * (a compound term)
	compound bool
	n        int // NEAR distance
}

func (k tokKind) String() string {
	switch k {
	case tAnd:
		return "AND"
	case tOr:
		return "OR"
	case tNot:
		return "NOT"
	case tNear:
		return "NEAR"
	case tLParen:
		return "("
	case tRParen:
		return ")"
	case tEOF:
		return "end of query"
	}
	return "term"
}

func errAt(pos int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// isDelim reports whether r ends a bare word.
func isDelim(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || r == '"'
}

// lex splits a query into tokens. It checks words and phrases on their own
// (wildcards, empty terms); the parser checks how they combine.
func lex(s string) ([]token, error) {
	var toks []token
	terms := 0
	addTerm := func(t token) error {
		terms++
		if terms > MaxTerms {
			return errAt(t.pos, "too many terms (max %d)", MaxTerms)
		}
		if !hasWord(t.text) {
			if t.kind == tPhrase {
				return errAt(t.pos, "phrase %q has no letters or digits", t.text)
			}
			return errAt(t.pos, "term %q has no letters or digits", t.text)
		}
		toks = append(toks, t)
		return nil
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '(':
			toks = append(toks, token{kind: tLParen, pos: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tRParen, pos: i})
			i++
		case r == '"':
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return nil, errAt(i, "unterminated quote")
			}
			text := s[i+1 : i+1+end]
			if strings.TrimSpace(text) == "" {
				return nil, errAt(i, "empty phrase")
			}
			if err := addTerm(token{kind: tPhrase, pos: i, text: text}); err != nil {
				return nil, err
			}
			i += end + 2
		case r == '-':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if i+1 >= len(s) || unicode.IsSpace(next) || next == ')' {
				return nil, errAt(i, "dangling - (the NOT shorthand must be attached to a term: -word)")
			}
			toks = append(toks, token{kind: tNot, pos: i, text: "-"})
			i++
		default:
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if isDelim(r) {
					break
				}
				j += size
			}
			t, isTerm, err := lexWord(s[i:j], i)
			if err != nil {
				return nil, err
			}
			if isTerm {
				if err := addTerm(t); err != nil {
					return nil, err
				}
			} else {
				toks = append(toks, t)
			}
			i = j
		}
	}
	return toks, nil
}

// lexWord classifies a bare word: an operator or a term.
func lexWord(w string, pos int) (token, bool, error) {
	switch w {
	case "AND":
		return token{kind: tAnd, pos: pos}, false, nil
	case "OR":
		return token{kind: tOr, pos: pos}, false, nil
	case "NOT":
		return token{kind: tNot, pos: pos}, false, nil
	case "NEAR":
		return token{kind: tNear, pos: pos, n: DefaultNear}, false, nil
	}
	if rest, ok := strings.CutPrefix(w, "NEAR/"); ok {
		if rest == "" || len(rest) > maxNearDigits || strings.Trim(rest, "0123456789") != "" {
			return token{}, false, errAt(pos, "bad NEAR: write NEAR/n with n from 1 to %d", MaxNear)
		}
		n, _ := strconv.Atoi(rest)
		if n < 1 || n > MaxNear {
			return token{}, false, errAt(pos, "bad NEAR: distance %d is outside 1..%d", n, MaxNear)
		}
		return token{kind: tNear, pos: pos, n: n}, false, nil
	}
	t := token{kind: tWord, pos: pos, text: w}
	if rest, ok := strings.CutPrefix(w, "*"); ok && rest != "" && !strings.Contains(rest, "*") {
		if _, ok := CompoundTerm(rest); !ok {
			return token{}, false, errAt(pos, "compound search *word takes one Korean word of %d syllables or more (*배터리 finds 보조배터리)", MinCompound)
		}
		t.text, t.compound = rest, true
		return t, true, nil
	}
	if star := strings.IndexByte(w, '*'); star >= 0 {
		if star != len(w)-1 {
			return token{}, false, errAt(pos+star, "wildcard * is only allowed at the end of a word")
		}
		if star == 0 {
			return token{}, false, errAt(pos, "wildcard * needs a prefix (write batter*), or a Korean word after it for compound search (*배터리)")
		}
		t.text = w[:star]
		t.prefix = true
	}
	return t, true, nil
}
