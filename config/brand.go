package config

import (
	"slices"
	"strings"
	"unicode"
)

// termOwner remembers where a folded term was first seen.
type termOwner struct {
	brand  int
	name   string // brand name
	line   int
	isName bool
}

// brands validates [[brand]] tables: names, exactly one own brand, terms
// unique across brands, handles per known network and bare domains.
func (v *validator) brands(bs []Brand) {
	c := v.c
	var owns []int
	names := map[string]int{} // folded name -> brand index
	terms := map[string]termOwner{}
	for i := range bs {
		b := &bs[i]
		bp := indexKey("brand", i)
		np := bp + ".name"
		b.Name = strings.TrimSpace(b.Name)
		if b.Own {
			owns = append(owns, i)
		}
		switch {
		case c.failed(np):
		case !c.ix.has(np):
			c.at(bp, "missing required key \"name\"")
		default:
			if err := checkText(b.Name); err != nil {
				c.at(np, "brand name %v", err)
			} else if first, dup := names[fold(b.Name)]; dup {
				c.at(np, "duplicate brand name %q (first defined at line %d)", b.Name, c.ix.lookup(indexKey("brand", first)+".name").line)
			} else {
				names[fold(b.Name)] = i
				v.claimTerm(terms, bs, i, b.Name, np, true)
			}
		}
		for j := range b.Terms {
			tp := indexKey(bp+".terms", j)
			b.Terms[j] = strings.TrimSpace(b.Terms[j])
			if err := checkText(b.Terms[j]); err != nil {
				c.at(tp, "term %v", err)
				continue
			}
			v.claimTerm(terms, bs, i, b.Terms[j], tp, false)
		}
		v.excludes(b, bp)
		v.handles(b, bp)
		for j, d := range b.Domains {
			dp := indexKey(bp+".domains", j)
			if err := checkDomain(d); err != nil {
				c.at(dp, "%v", err)
				continue
			}
			b.Domains[j] = strings.ToLower(strings.TrimSuffix(d, "."))
		}
	}

	switch {
	case c.failed("brand") || anyFailed(c, len(bs), ".own"):
		// a decoding error already explains the problem
	case len(bs) == 0:
		c.at("brand", "no brand configured: add a [[brand]] table with own = true for your own brand")
	case len(owns) == 0:
		c.at("brand[0]", "no brand has own = true: mark exactly one brand as your own")
	case len(owns) > 1:
		first := bs[owns[0]].Name
		line := c.ix.lookup(indexKey("brand", owns[0]) + ".own").line
		for _, i := range owns[1:] {
			c.at(indexKey("brand", i)+".own", "a second brand with own = true (%q at line %d is already your own brand); exactly one brand is your own", first, line)
		}
	}
}

// claimTerm records that brand i matches term, or reports that another
// brand already does. Two equal names are reported once, as duplicate brands.
func (v *validator) claimTerm(terms map[string]termOwner, bs []Brand, i int, term, path string, isName bool) {
	k := fold(term)
	prev, ok := terms[k]
	switch {
	case !ok:
		terms[k] = termOwner{brand: i, name: bs[i].Name, line: v.c.ix.lookup(path).line, isName: isName}
	case prev.brand != i:
		v.c.at(path, "term %q is also a term of brand %q (line %d); a term must identify one brand", term, prev.name, prev.line)
	}
}

// excludes checks exclude phrases; one equal to a term of the same brand
// would veto every match.
func (v *validator) excludes(b *Brand, bp string) {
	own := map[string]bool{}
	for _, t := range b.AllTerms() {
		own[fold(t)] = true
	}
	for j := range b.Exclude {
		ep := indexKey(bp+".exclude", j)
		b.Exclude[j] = strings.TrimSpace(b.Exclude[j])
		if err := checkText(b.Exclude[j]); err != nil {
			v.c.at(ep, "exclude phrase %v", err)
		} else if own[fold(b.Exclude[j])] {
			v.c.at(ep, "exclude phrase %q equals a term of this brand and would veto every match", b.Exclude[j])
		}
	}
}

// handles checks the network names and the handles listed for each.
func (v *validator) handles(b *Brand, bp string) {
	for network, hs := range b.Handles {
		hp := joinKey(bp+".handles", network)
		if !slices.Contains(NetworkNames(), network) {
			v.c.at(hp, "unknown network %q: want one of %s", truncate(network, 40), strings.Join(NetworkNames(), ", "))
			continue
		}
		for j, h := range hs {
			p := indexKey(hp, j)
			if err := checkText(h); err != nil {
				v.c.at(p, "handle %v", err)
			} else if strings.ContainsFunc(strings.TrimSpace(h), unicode.IsSpace) {
				v.c.at(p, "handle %q contains a space", truncate(h, 40))
			} else {
				hs[j] = strings.TrimSpace(h)
			}
		}
	}
}

// anyFailed reports whether brand[i]+suffix failed to decode for some i.
func anyFailed(c *collector, n int, suffix string) bool {
	for i := 0; i < n; i++ {
		if c.failed(indexKey("brand", i) + suffix) {
			return true
		}
	}
	return false
}
