package match

import "sort"

// automaton is a byte-level Aho–Corasick automaton. It reports every
// occurrence of every pattern, overlapping ones included. Built once,
// then read-only (safe for concurrent scans).
type automaton struct {
	root   [256]int32 // transitions out of the root (0 = back to root)
	states []acState
}

type acState struct {
	edges []acEdge // sorted by byte; unused for the root
	fail  int32    // longest proper suffix that is a state
	out   int32    // nearest state on the fail chain (self included) that ends patterns, -1 none
	pats  []int32  // patterns ending exactly here
}

type acEdge struct {
	b    byte
	next int32
}

func (s *acState) step(b byte) (int32, bool) {
	e := s.edges
	if len(e) <= 8 {
		for _, x := range e {
			if x.b == b {
				return x.next, true
			}
		}
		return 0, false
	}
	i := sort.Search(len(e), func(i int) bool { return e[i].b >= b })
	if i < len(e) && e[i].b == b {
		return e[i].next, true
	}
	return 0, false
}

// newAutomaton builds the automaton for pats; pattern i is reported as i.
// Empty patterns are ignored.
func newAutomaton(pats []string) *automaton {
	a := &automaton{states: []acState{{fail: 0, out: -1}}}
	for id, p := range pats {
		if p == "" {
			continue
		}
		s := int32(0)
		for i := 0; i < len(p); i++ {
			s = a.child(s, p[i])
		}
		a.states[s].pats = append(a.states[s].pats, int32(id))
	}
	for i := range a.states {
		st := &a.states[i]
		sort.Slice(st.edges, func(x, y int) bool { return st.edges[x].b < st.edges[y].b })
	}
	a.link()
	return a
}

// child returns the state reached from s on b, creating it.
func (a *automaton) child(s int32, b byte) int32 {
	if s == 0 {
		if n := a.root[b]; n != 0 {
			return n
		}
	} else {
		for _, e := range a.states[s].edges {
			if e.b == b {
				return e.next
			}
		}
	}
	n := int32(len(a.states))
	a.states = append(a.states, acState{out: -1})
	if s == 0 {
		a.root[b] = n
	} else {
		a.states[s].edges = append(a.states[s].edges, acEdge{b, n})
	}
	return n
}

// next is the goto-with-failure transition.
func (a *automaton) next(s int32, b byte) int32 {
	for s != 0 {
		if n, ok := a.states[s].step(b); ok {
			return n
		}
		s = a.states[s].fail
	}
	return a.root[b]
}

// link computes failure and output links breadth first.
func (a *automaton) link() {
	queue := make([]int32, 0, len(a.states))
	for _, n := range a.root {
		if n != 0 {
			a.states[n].fail = 0
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		st := &a.states[s]
		if len(st.pats) > 0 {
			st.out = s
		} else if st.fail != 0 {
			st.out = a.states[st.fail].out
		}
		for _, e := range st.edges {
			a.states[e.next].fail = a.next(st.fail, e.b)
			queue = append(queue, e.next)
		}
	}
}

// scan calls fn(end, pattern) for every occurrence in text, end being the
// byte offset just past it, in order of end.
func (a *automaton) scan(text string, fn func(end int, pat int32)) {
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = a.next(s, text[i])
		for o := a.states[s].out; o >= 0; o = a.states[a.states[o].fail].out {
			for _, p := range a.states[o].pats {
				fn(i+1, p)
			}
		}
	}
}
