package store

import (
	"fmt"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/earshot/earshot/query"
	"golang.org/x/text/unicode/norm"
)

// maxQueryDepth bounds recursion on hostile query trees.
const maxQueryDepth = 64

var (
	analyzersOnce            sync.Once
	indexAnalyzer, qAnalyzer analysis.Analyzer
	analyzersErr             error
)

// analyzers returns the index and query analyzers, built from the same
// mapping the index uses so that evaluation and highlighting agree with it.
func analyzers() (analysis.Analyzer, analysis.Analyzer, error) {
	analyzersOnce.Do(func() {
		im, err := newIndexMapping()
		if err != nil {
			analyzersErr = err
			return
		}
		indexAnalyzer = im.AnalyzerNamed(indexAnalyzerName)
		qAnalyzer = im.AnalyzerNamed(queryAnalyzerName)
		if indexAnalyzer == nil || qAnalyzer == nil {
			analyzersErr = fmt.Errorf("store: analyzers not registered")
		}
	})
	return indexAnalyzer, qAnalyzer, analyzersErr
}

// normalizeTerm is NFKC + lower case: how prefixes are compared with terms.
func normalizeTerm(s string) string {
	return strings.ToLower(norm.NFKC.String(strings.TrimSpace(s)))
}

// qtok is one analysed query token and its position relative to the first.
type qtok struct {
	term string
	rel  int
}

// cterm is a compiled Term.
type cterm struct {
	toks   []qtok
	phrase bool
	prefix string // non-empty for prefix terms
	// compound is the word of a compound term (*배터리), matched by
	// query.CompoundMatch.
	compound string
}

// compileTerm analyses t with the query analyzer.
func compileTerm(t query.Term) (cterm, error) {
	text := strings.TrimSpace(t.Text)
	if t.Prefix {
		text = strings.TrimRight(text, "*")
	}
	if text == "" {
		return cterm{}, fmt.Errorf("%w: empty term", ErrBadRequest)
	}
	if t.Compound && !t.Phrase {
		w, ok := query.CompoundTerm(text)
		if !ok {
			return cterm{}, fmt.Errorf("%w: compound search *%s takes one Korean word of %d syllables or more", ErrBadRequest, t.Text, query.MinCompound)
		}
		return cterm{compound: w}, nil
	}
	if t.Prefix {
		p := normalizeTerm(text)
		if n := len([]rune(p)); n < 2 {
			return cterm{}, fmt.Errorf("%w: prefix %q is too short (2 characters at least)", ErrBadRequest, t.Text)
		}
		return cterm{prefix: p}, nil
	}
	_, qa, err := analyzers()
	if err != nil {
		return cterm{}, err
	}
	ts := qa.Analyze([]byte(text))
	ct := cterm{phrase: t.Phrase}
	for _, tok := range ts {
		ct.toks = append(ct.toks, qtok{term: string(tok.Term), rel: tok.Position - ts[0].Position})
	}
	return ct, nil
}

// fieldTerms maps each indexed term of one field to its positions.
type fieldTerms map[string][]int

// analyzeField runs the index analyzer over text.
func analyzeField(text string) (fieldTerms, analysis.TokenStream) {
	ia, _, err := analyzers()
	if err != nil || text == "" {
		return fieldTerms{}, nil
	}
	ts := ia.Analyze([]byte(text))
	ft := make(fieldTerms, len(ts))
	for _, tok := range ts {
		ft[string(tok.Term)] = append(ft[string(tok.Term)], tok.Position)
	}
	return ft, ts
}

// positions returns where ct matches in f (the position of its first token),
// nil when it does not.
func (ct cterm) positions(f fieldTerms) []int {
	if ct.compound != "" {
		// f holds each word and its stems: one of them ends in the word.
		var out []int
		for term, ps := range f {
			if strings.HasSuffix(term, ct.compound) {
				out = append(out, ps...)
			}
		}
		return out
	}
	if ct.prefix != "" {
		var out []int
		for term, ps := range f {
			if strings.HasPrefix(term, ct.prefix) {
				out = append(out, ps...)
			}
		}
		return out
	}
	if len(ct.toks) == 0 {
		return nil
	}
	first := f[ct.toks[0].term]
	if len(first) == 0 {
		return nil
	}
	if !ct.phrase {
		for _, t := range ct.toks[1:] {
			if len(f[t.term]) == 0 {
				return nil
			}
		}
		return first
	}
	var out []int
	for _, p := range first {
		ok := true
		for _, t := range ct.toks[1:] {
			if !containsInt(f[t.term], p+t.rel) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// evalDoc is a mention's title and text, analysed.
type evalDoc struct{ fields [2]fieldTerms }

func newEvalDoc(title, text string) evalDoc {
	t, _ := analyzeField(title)
	x, _ := analyzeField(text)
	return evalDoc{fields: [2]fieldTerms{t, x}}
}

// matcher is a compiled query tree evaluated against analysed documents with
// the same analysis as the index.
type matcher interface{ match(d evalDoc) bool }

type andM []matcher
type orM []matcher
type notM struct{ m matcher }
type termM struct{ t cterm }
type nearM struct {
	l, r cterm
	n    int
}

func (a andM) match(d evalDoc) bool {
	for _, m := range a {
		if !m.match(d) {
			return false
		}
	}
	return true
}

func (o orM) match(d evalDoc) bool {
	for _, m := range o {
		if m.match(d) {
			return true
		}
	}
	return false
}

func (n notM) match(d evalDoc) bool { return !n.m.match(d) }

func (t termM) match(d evalDoc) bool {
	for _, f := range d.fields {
		if len(t.t.positions(f)) > 0 {
			return true
		}
	}
	return false
}

// match is true when both terms occur in the same field with start positions
// at most n apart (either order).
func (nm nearM) match(d evalDoc) bool {
	for _, f := range d.fields {
		ls := nm.l.positions(f)
		if len(ls) == 0 {
			continue
		}
		for _, r := range nm.r.positions(f) {
			for _, l := range ls {
				if l-r <= nm.n && r-l <= nm.n {
					return true
				}
			}
		}
	}
	return false
}
