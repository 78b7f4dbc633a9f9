package query

// Node is a parsed query. The concrete types are And, Or, Not, Term and Near.
type Node interface{ node() }

// And matches when every child matches.
type And struct{ Children []Node }

// Or matches when any child matches.
type Or struct{ Children []Node }

// Not matches when its child does not. A query made only of NOT matches nothing
// on its own; the parser rejects it.
type Not struct{ Child Node }

// Term is a word, a "quoted phrase" (Phrase), a trailing-wildcard prefix
// ("batter*", Prefix) or a compound term ("*배터리", Compound: a Korean
// word, alone or ending a compound noun, see CompoundMatch). Text is as
// written by the user (not normalised), without the *.
type Term struct {
	Text     string
	Phrase   bool
	Prefix   bool
	Compound bool
}

// Near matches when Left and Right occur within N words of each other
// (either order). Written `a NEAR/3 b`; plain NEAR means NEAR/5.
type Near struct {
	Left, Right Term
	N           int
}

func (And) node()  {}
func (Or) node()   {}
func (Not) node()  {}
func (Term) node() {}
func (Near) node() {}
