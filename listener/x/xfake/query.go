package xfake

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// matcher is a parsed search query: implicit AND binds tighter than OR,
// "-" negates, parentheses group, "..." is an exact phrase, and key:value
// is an operator (from:, to:, lang:, is:retweet|reply|quote, has:links).
type matcher func(t *poolTweet) bool

const maxDepth = 32

type qparser struct {
	toks []string
	pos  int
}

func parseQuery(q string) (matcher, error) {
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errors.New("empty query")
	}
	p := &qparser{toks: toks}
	m, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q (at token %d)", p.toks[p.pos], p.pos)
	}
	return m, nil
}

func lex(q string) ([]string, error) {
	var toks []string
	for i := 0; i < len(q); {
		r, w := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case r == '(' || r == ')':
			toks = append(toks, string(r))
			i += w
		case r == '"' || (r == '-' && i+1 < len(q) && q[i+1] == '"'):
			start := i
			if r == '-' {
				i++
			}
			end := strings.IndexByte(q[i+1:], '"')
			if end < 0 {
				return nil, errors.New("missing closing quote")
			}
			toks = append(toks, q[start:i+1+end+1])
			i += 1 + end + 1
		default:
			j := i
			for j < len(q) {
				r2, w2 := utf8.DecodeRuneInString(q[j:])
				if unicode.IsSpace(r2) || r2 == '(' || r2 == ')' || r2 == '"' {
					break
				}
				j += w2
			}
			toks = append(toks, q[i:j])
			i = j
		}
	}
	return toks, nil
}

func (p *qparser) or(depth int) (matcher, error) {
	if depth > maxDepth {
		return nil, errors.New("query nests too deeply")
	}
	left, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.pos < len(p.toks) && p.toks[p.pos] == "OR" {
		p.pos++
		right, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		l := left
		left = func(t *poolTweet) bool { return l(t) || right(t) }
	}
	return left, nil
}

func (p *qparser) and(depth int) (matcher, error) {
	var parts []matcher
	for p.pos < len(p.toks) && p.toks[p.pos] != "OR" && p.toks[p.pos] != ")" {
		m, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		parts = append(parts, m)
	}
	if len(parts) == 0 {
		return nil, errors.New("missing term")
	}
	return func(t *poolTweet) bool {
		for _, m := range parts {
			if !m(t) {
				return false
			}
		}
		return true
	}, nil
}

func (p *qparser) unary(depth int) (matcher, error) {
	tok := p.toks[p.pos]
	if tok == "-" {
		if p.pos+1 >= len(p.toks) || p.toks[p.pos+1] != "(" {
			return nil, errors.New("dangling negation")
		}
		p.pos++
		m, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return func(t *poolTweet) bool { return !m(t) }, nil
	}
	if tok == "(" {
		p.pos++
		m, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.toks) || p.toks[p.pos] != ")" {
			return nil, errors.New("missing closing parenthesis")
		}
		p.pos++
		return m, nil
	}
	p.pos++
	neg := strings.HasPrefix(tok, "-") && len(tok) > 1
	if neg {
		tok = tok[1:]
	}
	m, err := term(tok)
	if err != nil {
		return nil, err
	}
	if neg {
		return func(t *poolTweet) bool { return !m(t) }, nil
	}
	return m, nil
}

func term(tok string) (matcher, error) {
	if strings.HasPrefix(tok, `"`) {
		phrase := strings.ToLower(strings.Trim(tok, `"`))
		return func(t *poolTweet) bool { return containsWord(t.search, phrase) }, nil
	}
	if k, v, ok := strings.Cut(tok, ":"); ok && k != "" && v != "" && !strings.Contains(k, "/") {
		v = strings.ToLower(v)
		switch strings.ToLower(k) {
		case "from":
			return func(t *poolTweet) bool { return t.username == strings.TrimPrefix(v, "@") }, nil
		case "to":
			return func(t *poolTweet) bool { return t.replyToUser == strings.TrimPrefix(v, "@") }, nil
		case "lang":
			return func(t *poolTweet) bool { return t.lang == v }, nil
		case "is":
			switch v {
			case "retweet", "reply", "quote":
				ref := map[string]string{"retweet": "retweeted", "reply": "replied_to", "quote": "quoted"}[v]
				return func(t *poolTweet) bool { return t.refs[ref] }, nil
			}
		case "has":
			if v == "links" {
				return func(t *poolTweet) bool { return t.hasLinks }, nil
			}
		}
		return nil, fmt.Errorf("unknown operator %s:%s", k, v)
	}
	w := strings.ToLower(tok)
	return func(t *poolTweet) bool { return containsWord(t.search, w) }, nil
}

// containsWord finds w in s at a word start; an ASCII-final w must also end
// a word, while Hangul and other scripts may be followed by particles.
func containsWord(s, w string) bool {
	for off := 0; off <= len(s); {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		i += off
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(w):])
		last, _ := utf8.DecodeLastRuneInString(w)
		startOK := i == 0 || !isWordRune(before)
		endOK := i+len(w) == len(s) || last > unicode.MaxASCII || !isWordRune(last) || !isWordRune(after)
		if startOK && endOK {
			return true
		}
		off = i + 1
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
