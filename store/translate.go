package store

import (
	"fmt"

	bq "github.com/blevesearch/bleve/v2/search/query"
	"github.com/earshot/earshot/query"
)

// compiled is a query translated for bleve, plus an exact matcher.
//
// q finds a superset of the matching documents; when exact is false (the
// tree has a phrase or NEAR that the index cannot check, since it keeps no
// term vectors) the candidates must be verified with m. highlight lists the
// terms that count as matches for snippets (those not under a NOT).
type compiled struct {
	q         bq.Query
	m         matcher
	exact     bool
	highlight []cterm
}

// compileQuery translates n; a nil n matches everything.
func compileQuery(n query.Node) (compiled, error) {
	if n == nil {
		return compiled{q: bq.NewMatchAllQuery(), exact: true}, nil
	}
	var c compiled
	q, m, exact, err := c.node(n, 0, false)
	if err != nil {
		return compiled{}, err
	}
	c.q, c.m, c.exact = q, m, exact
	return c, nil
}

func (c *compiled) node(n query.Node, depth int, negated bool) (bq.Query, matcher, bool, error) {
	if depth > maxQueryDepth {
		return nil, nil, false, fmt.Errorf("%w: query nested deeper than %d", ErrBadRequest, maxQueryDepth)
	}
	switch v := n.(type) {
	case query.Term:
		return c.term(v, negated)
	case *query.Term:
		if v == nil {
			break
		}
		return c.term(*v, negated)
	case query.Near:
		return c.near(v, negated)
	case *query.Near:
		if v == nil {
			break
		}
		return c.near(*v, negated)
	case query.Not:
		return c.not(v.Child, depth, negated)
	case *query.Not:
		if v == nil {
			break
		}
		return c.not(v.Child, depth, negated)
	case query.And:
		return c.and(v.Children, depth, negated)
	case *query.And:
		if v == nil {
			break
		}
		return c.and(v.Children, depth, negated)
	case query.Or:
		return c.or(v.Children, depth, negated)
	case *query.Or:
		if v == nil {
			break
		}
		return c.or(v.Children, depth, negated)
	}
	return nil, nil, false, fmt.Errorf("%w: unsupported query node %T", ErrBadRequest, n)
}

// textQuery finds documents where all of ct's tokens occur in the body
// (title and text). A term of several tokens that is not a phrase ("wi-fi")
// therefore also matches when its tokens are split between the title and
// the text.
func textQuery(ct cterm) bq.Query {
	if ct.compound != "" {
		// The word itself or a stem is a body term; a compound ending in
		// it has it among its suffixes (compound.go).
		word := bq.NewTermQuery(ct.compound)
		word.SetField(fieldBody)
		suffix := bq.NewTermQuery(ct.compound)
		suffix.SetField(fieldCompound)
		return bq.NewDisjunctionQuery([]bq.Query{word, suffix})
	}
	if ct.prefix != "" {
		p := bq.NewPrefixQuery(ct.prefix)
		p.SetField(fieldBody)
		return p
	}
	if len(ct.toks) == 0 {
		return bq.NewMatchNoneQuery()
	}
	terms := make([]bq.Query, 0, len(ct.toks))
	seen := map[string]bool{}
	for _, t := range ct.toks {
		if seen[t.term] {
			continue
		}
		seen[t.term] = true
		tq := bq.NewTermQuery(t.term)
		tq.SetField(fieldBody)
		terms = append(terms, tq)
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return bq.NewConjunctionQuery(terms)
}

func (c *compiled) term(t query.Term, negated bool) (bq.Query, matcher, bool, error) {
	ct, err := compileTerm(t)
	if err != nil {
		return nil, nil, false, err
	}
	if !negated {
		c.highlight = append(c.highlight, ct)
	}
	exact := !ct.phrase || len(ct.toks) <= 1
	return textQuery(ct), termM{ct}, exact, nil
}

func (c *compiled) near(n query.Near, negated bool) (bq.Query, matcher, bool, error) {
	if n.N < 1 {
		return nil, nil, false, fmt.Errorf("%w: NEAR distance must be at least 1, got %d", ErrBadRequest, n.N)
	}
	l, err := compileTerm(n.Left)
	if err != nil {
		return nil, nil, false, err
	}
	r, err := compileTerm(n.Right)
	if err != nil {
		return nil, nil, false, err
	}
	if !negated {
		c.highlight = append(c.highlight, l, r)
	}
	return bq.NewConjunctionQuery([]bq.Query{textQuery(l), textQuery(r)}), nearM{l: l, r: r, n: n.N}, false, nil
}

func (c *compiled) not(child query.Node, depth int, negated bool) (bq.Query, matcher, bool, error) {
	if child == nil {
		return nil, nil, false, fmt.Errorf("%w: NOT without operand", ErrBadRequest)
	}
	q, m, exact, err := c.node(child, depth+1, !negated)
	if err != nil {
		return nil, nil, false, err
	}
	if !exact {
		// The child's query is only a superset; excluding it would drop
		// real matches, so keep every candidate and verify.
		return bq.NewMatchAllQuery(), notM{m}, false, nil
	}
	return bq.NewBooleanQuery(nil, nil, []bq.Query{q}), notM{m}, true, nil
}

func (c *compiled) and(children []query.Node, depth int, negated bool) (bq.Query, matcher, bool, error) {
	if len(children) == 0 {
		return nil, nil, false, fmt.Errorf("%w: empty AND", ErrBadRequest)
	}
	var must, mustNot []bq.Query
	ms := make(andM, 0, len(children))
	exact := true
	for _, ch := range children {
		// A NOT under AND becomes a must_not clause of this AND.
		if inner, ok := notChild(ch); ok {
			q, m, ex, err := c.node(inner, depth+2, !negated)
			if err != nil {
				return nil, nil, false, err
			}
			ms = append(ms, notM{m})
			if ex {
				mustNot = append(mustNot, q)
			} else {
				exact = false
			}
			continue
		}
		q, m, ex, err := c.node(ch, depth+1, negated)
		if err != nil {
			return nil, nil, false, err
		}
		must = append(must, q)
		ms = append(ms, m)
		exact = exact && ex
	}
	if len(must) == 0 {
		must = []bq.Query{bq.NewMatchAllQuery()}
	}
	if len(mustNot) == 0 && len(must) == 1 {
		return must[0], ms, exact, nil
	}
	return bq.NewBooleanQuery(must, nil, mustNot), ms, exact, nil
}

func (c *compiled) or(children []query.Node, depth int, negated bool) (bq.Query, matcher, bool, error) {
	if len(children) == 0 {
		return nil, nil, false, fmt.Errorf("%w: empty OR", ErrBadRequest)
	}
	qs := make([]bq.Query, 0, len(children))
	ms := make(orM, 0, len(children))
	exact := true
	for _, ch := range children {
		q, m, ex, err := c.node(ch, depth+1, negated)
		if err != nil {
			return nil, nil, false, err
		}
		qs = append(qs, q)
		ms = append(ms, m)
		exact = exact && ex
	}
	if len(qs) == 1 {
		return qs[0], ms, exact, nil
	}
	return bq.NewDisjunctionQuery(qs), ms, exact, nil
}

// notChild returns the operand of a Not node.
func notChild(n query.Node) (query.Node, bool) {
	switch v := n.(type) {
	case query.Not:
		return v.Child, v.Child != nil
	case *query.Not:
		if v != nil && v.Child != nil {
			return v.Child, true
		}
	}
	return nil, false
}
