package query

import "unicode/utf8"

// SyntaxError is a malformed query; Pos is the byte offset in the input.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse parses a query (grammar in the package documentation). Errors are
// *SyntaxError with the byte offset of the offending part.
func Parse(s string) (Node, error) {
	if len(s) > MaxQueryLen {
		return nil, errAt(MaxQueryLen, "query too long (max %d bytes)", MaxQueryLen)
	}
	if !utf8.ValidString(s) {
		for i, r := range s {
			if r == utf8.RuneError {
				return nil, errAt(i, "query is not valid UTF-8")
			}
		}
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errAt(0, "empty query")
	}
	p := &parser{toks: toks, end: len(s)}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		// parseOr stops only at ')' or the end.
		return nil, errAt(t.pos, "unmatched closing parenthesis")
	}
	if !positive(n) {
		return nil, errAt(0, "query needs a term that is not negated (NOT alone matches nothing useful)")
	}
	return n, nil
}

type parser struct {
	toks  []token
	i     int
	end   int // length of the query, the position of EOF
	depth int
}

func (p *parser) peek() token {
	if p.i >= len(p.toks) {
		return token{kind: tEOF, pos: p.end}
	}
	return p.toks[p.i]
}

func (p *parser) next() token {
	t := p.peek()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

// startsOperand reports whether t can begin an operand (and so also
// whether two adjacent operands form an implicit AND).
func startsOperand(t token) bool {
	switch t.kind {
	case tWord, tPhrase, tLParen, tNot:
		return true
	}
	return false
}

func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxDepth {
		return errAt(pos, "query nested too deeply (max %d levels of parentheses and NOT)", MaxDepth)
	}
	return nil
}

// parseOr: and { OR and }
func (p *parser) parseOr() (Node, error) {
	start := p.peek().pos
	first, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	children := []Node{first}
	starts := []int{start}
	for p.peek().kind == tOr {
		op := p.next()
		if !startsOperand(p.peek()) {
			return nil, errAt(op.pos, "OR needs a right-hand operand")
		}
		starts = append(starts, p.peek().pos)
		n, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		children = append(children, n)
	}
	if len(children) == 1 {
		return first, nil
	}
	for i, c := range children {
		if !positive(c) {
			return nil, errAt(starts[i], "every OR branch needs a term that is not negated")
		}
	}
	return Or{Children: children}, nil
}

// parseAnd: near { [AND] near }
func (p *parser) parseAnd() (Node, error) {
	first, err := p.parseNear()
	if err != nil {
		return nil, err
	}
	children := []Node{first}
	for {
		t := p.peek()
		if t.kind == tAnd {
			p.next()
			if !startsOperand(p.peek()) {
				return nil, errAt(t.pos, "AND needs a right-hand operand")
			}
		} else if !startsOperand(t) {
			break
		}
		n, err := p.parseNear()
		if err != nil {
			return nil, err
		}
		children = append(children, n)
	}
	if len(children) == 1 {
		return first, nil
	}
	return And{Children: children}, nil
}

// parseNear: unary [ NEAR unary ], both operands terms.
func (p *parser) parseNear() (Node, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tNear {
		return left, nil
	}
	op := p.next()
	if !startsOperand(p.peek()) {
		return nil, errAt(op.pos, "NEAR needs a term on its right")
	}
	right, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	lt, lok := left.(Term)
	rt, rok := right.(Term)
	if !lok || !rok {
		return nil, errAt(op.pos, "NEAR operands must be single words or phrases")
	}
	if t := p.peek(); t.kind == tNear {
		return nil, errAt(t.pos, "NEAR cannot be chained; join NEAR pairs with AND")
	}
	return Near{Left: lt, Right: rt, N: op.n}, nil
}

// parseUnary: NOT unary | primary
func (p *parser) parseUnary() (Node, error) {
	t := p.peek()
	if t.kind != tNot {
		return p.parsePrimary()
	}
	p.next()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if !startsOperand(p.peek()) {
		return nil, errAt(t.pos, "NOT needs an operand")
	}
	child, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return Not{Child: child}, nil
}

// parsePrimary: word | phrase | ( or )
func (p *parser) parsePrimary() (Node, error) {
	t := p.next()
	switch t.kind {
	case tWord:
		return Term{Text: t.text, Prefix: t.prefix, Compound: t.compound}, nil
	case tPhrase:
		return Term{Text: t.text, Phrase: true}, nil
	case tLParen:
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		if p.peek().kind == tRParen {
			return nil, errAt(t.pos, "empty parentheses")
		}
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.next().kind != tRParen {
			return nil, errAt(t.pos, "unclosed parenthesis")
		}
		return n, nil
	case tRParen:
		return nil, errAt(t.pos, "unmatched closing parenthesis")
	case tEOF:
		return nil, errAt(t.pos, "unexpected end of query")
	default:
		return nil, errAt(t.pos, "%s needs a left-hand operand", t.kind)
	}
}

// positive reports whether n can match on its own, i.e. it does not merely
// exclude. NOT x is not positive; AND needs one positive child; OR needs
// every child positive (a OR NOT b matches nearly everything).
func positive(n Node) bool {
	switch n := n.(type) {
	case Term, Near:
		return true
	case Not:
		return false
	case And:
		for _, c := range n.Children {
			if positive(c) {
				return true
			}
		}
		return false
	case Or:
		for _, c := range n.Children {
			if !positive(c) {
				return false
			}
		}
		return len(n.Children) > 0
	}
	return false
}
