package query

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Compiled is a query prepared for repeated evaluation against tokenised
// texts. It is immutable and safe for concurrent use.
type Compiled struct{ root *cnode }

type op int

const (
	opTerm op = iota
	opNear
	opAnd
	opOr
	opNot
)

type cnode struct {
	op    op
	kids  []*cnode
	term  cterm // opTerm; Left for opNear
	right cterm // opNear
	n     int   // opNear
}

// cterm is a term as normalised words; a phrase or a multi-word term is
// several words that must be consecutive.
type cterm struct {
	// words are the term's words, each reduced by KoreanStem (a query
	// for 고객센터가 looks for 고객센터) except a prefix.
	words  []string
	prefix bool // the last word is a prefix
	// compound: one word, matched by CompoundMatch (*배터리)
	compound bool
}

// Compile prepares n for Match. It fails on a nil node, a term without
// letters or digits, or a NEAR distance below 1.
func Compile(n Node) (*Compiled, error) {
	root, err := compile(n, 0)
	if err != nil {
		return nil, err
	}
	return &Compiled{root: root}, nil
}

func compile(n Node, depth int) (*cnode, error) {
	if depth > 4*MaxDepth {
		return nil, errors.New("query: nested too deeply")
	}
	switch n := n.(type) {
	case Term:
		t, err := compileTerm(n)
		return &cnode{op: opTerm, term: t}, err
	case Near:
		if n.N < 1 {
			return nil, fmt.Errorf("query: NEAR distance %d below 1", n.N)
		}
		l, err := compileTerm(n.Left)
		if err != nil {
			return nil, err
		}
		r, err := compileTerm(n.Right)
		return &cnode{op: opNear, term: l, right: r, n: n.N}, err
	case Not:
		k, err := compile(n.Child, depth+1)
		if err != nil {
			return nil, err
		}
		return &cnode{op: opNot, kids: []*cnode{k}}, nil
	case And:
		return compileList(opAnd, n.Children, depth)
	case Or:
		return compileList(opOr, n.Children, depth)
	}
	return nil, fmt.Errorf("query: unknown node %T", n)
}

func compileList(o op, kids []Node, depth int) (*cnode, error) {
	if len(kids) == 0 {
		return nil, errors.New("query: empty AND/OR")
	}
	c := &cnode{op: o}
	for _, k := range kids {
		ck, err := compile(k, depth+1)
		if err != nil {
			return nil, err
		}
		c.kids = append(c.kids, ck)
	}
	return c, nil
}

func compileTerm(t Term) (cterm, error) {
	if t.Compound && !t.Phrase {
		w, ok := CompoundTerm(t.Text)
		if !ok {
			return cterm{}, fmt.Errorf("query: compound term %q is not one Korean word of %d syllables or more", t.Text, MinCompound)
		}
		return cterm{words: []string{w}, compound: true}, nil
	}
	toks := Tokenize(t.Text)
	if len(toks) == 0 {
		return cterm{}, fmt.Errorf("query: term %q has no letters or digits", t.Text)
	}
	ct := cterm{prefix: t.Prefix && !t.Phrase}
	for i, tk := range toks {
		w := tk.Text
		if !ct.prefix || i < len(toks)-1 {
			w = KoreanStem(w)
		}
		ct.words = append(ct.words, w)
	}
	return ct, nil
}

// Eval reports whether text matches n. A node that does not compile (see
// Compile) matches nothing.
func Eval(n Node, text string) bool {
	c, err := Compile(n)
	if err != nil {
		return false
	}
	return c.Match(Tokenize(text))
}

// Highlight returns the byte ranges in text of the occurrences of the
// query's terms that are not negated (for NEAR, only pairs within the
// distance), sorted and merged. It does not check that text matches.
func Highlight(n Node, text string) [][2]int {
	c, err := Compile(n)
	if err != nil {
		return nil
	}
	return c.Highlight(Tokenize(text))
}

// Match reports whether the tokens (from Tokenize; Pos decides what is
// consecutive, so callers joining fields should leave a gap of more than
// MaxNear positions between them) match the query.
func (c *Compiled) Match(toks []Token) bool { return eval(c.root, toks) }

func eval(n *cnode, toks []Token) bool {
	switch n.op {
	case opTerm:
		return len(occurrences(n.term, toks, 1)) > 0
	case opNear:
		return len(nearPairs(n, toks, true)) > 0
	case opNot:
		return !eval(n.kids[0], toks)
	case opAnd:
		for _, k := range n.kids {
			if !eval(k, toks) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range n.kids {
			if eval(k, toks) {
				return true
			}
		}
	}
	return false
}

// Highlight is the package-level Highlight over already tokenised text.
func (c *Compiled) Highlight(toks []Token) [][2]int {
	var occs []occ
	var walk func(n *cnode)
	walk = func(n *cnode) {
		switch n.op {
		case opTerm:
			occs = append(occs, occurrences(n.term, toks, 0)...)
		case opNear:
			occs = append(occs, nearPairs(n, toks, false)...)
		case opAnd, opOr:
			for _, k := range n.kids {
				walk(k)
			}
		}
	}
	walk(c.root)
	if len(occs) == 0 {
		return nil
	}
	ranges := make([][2]int, 0, len(occs))
	for _, o := range occs {
		ranges = append(ranges, [2]int{toks[o.first].Start, toks[o.last].End})
	}
	sort.Slice(ranges, func(i, j int) bool { return ranges[i][0] < ranges[j][0] })
	out := ranges[:1]
	for _, r := range ranges[1:] {
		if prev := &out[len(out)-1]; r[0] <= prev[1] {
			prev[1] = max(prev[1], r[1])
		} else {
			out = append(out, r)
		}
	}
	return out
}

// occ is one occurrence of a term: token indexes first..last.
type occ struct{ first, last int }

// occurrences lists where t occurs in toks, stopping after limit
// occurrences (0: no limit).
func occurrences(t cterm, toks []Token, limit int) []occ {
	var out []occ
	k := len(t.words)
	for i := 0; i+k <= len(toks); i++ {
		if !wordMatch(t, k-1, toks[i+k-1].Text) {
			continue
		}
		ok := true
		for j := 0; j < k-1; j++ {
			if !wordMatch(t, j, toks[i+j].Text) || toks[i+j+1].Pos != toks[i+j].Pos+1 {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, occ{i, i + k - 1})
			if limit > 0 && len(out) >= limit {
				break
			}
		}
	}
	return out
}

// wordMatch reports whether text word w matches word j of t: equal, a
// prefix for the last word of a prefix term (batter*), for a word ending
// in Hangul the same noun followed by endings (IsEndingSplit), and for a
// compound term the word or a compound ending in it (CompoundMatch).
func wordMatch(t cterm, j int, w string) bool {
	tw := t.words[j]
	if t.compound {
		return CompoundMatch(w, tw)
	}
	if w == tw {
		return true
	}
	if !strings.HasPrefix(w, tw) {
		return false
	}
	if t.prefix && j == len(t.words)-1 {
		return true
	}
	return IsEndingSplit(w, len(tw))
}

// nearPairs returns occurrences of n's two terms that lie within n.n
// positions of each other (either order, not overlapping). With first it
// stops at the first pair.
func nearPairs(n *cnode, toks []Token, first bool) []occ {
	as := occurrences(n.term, toks, 0)
	if len(as) == 0 {
		return nil
	}
	bs := occurrences(n.right, toks, 0)
	var out []occ
	for _, a := range as {
		// Occurrences of one term all have the same length, so bs is
		// sorted by both first and last position.
		aFirst, aLast := toks[a.first].Pos, toks[a.last].Pos
		// Closest b starting after a ends.
		i := sort.Search(len(bs), func(i int) bool { return toks[bs[i].first].Pos > aLast })
		if i < len(bs) && toks[bs[i].first].Pos-aLast <= n.n {
			out = append(out, a, bs[i])
		}
		// Closest b ending before a starts.
		j := sort.Search(len(bs), func(i int) bool { return toks[bs[i].last].Pos >= aFirst }) - 1
		if j >= 0 && aFirst-toks[bs[j].last].Pos <= n.n {
			out = append(out, a, bs[j])
		}
		if first && len(out) > 0 {
			return out
		}
	}
	return out
}
