package store

import (
	"sort"
	"time"
)

// countFacets counts the named facets over verified hits (the phrase/NEAR
// path, where bleve's facets would count unverified candidates).
func countFacets(hits []Hit, facets []string) map[string][]FacetCount {
	counts := make(map[string]map[string]int, len(facets))
	for _, f := range facets {
		counts[f] = map[string]int{}
	}
	inc := func(f, v string) {
		if c := counts[f]; c != nil && v != "" {
			c[v]++
		}
	}
	for _, h := range hits {
		m := h.Mention
		seen := map[string]bool{}
		for _, b := range m.Brands {
			if !seen[b] {
				seen[b] = true
				inc(fieldBrand, b)
			}
		}
		inc(fieldNetwork, m.Network)
		inc(fieldLang, m.Lang)
		inc(fieldKind, m.Kind)
		inc(fieldSentiment, m.SentimentLabel)
		inc(fieldDay, m.Published.UTC().Format(time.DateOnly))
	}
	out := make(map[string][]FacetCount, len(counts))
	for f, c := range counts {
		out[f] = rankFacet(f, c)
	}
	return out
}

// rankFacet lists facet f's counts most frequent first, ties by term
// (bleve's order), at most facetLimit(f) of them.
func rankFacet(f string, c map[string]int) []FacetCount {
	fc := make([]FacetCount, 0, len(c))
	for t, n := range c {
		fc = append(fc, FacetCount{Term: t, Count: n})
	}
	sort.Slice(fc, func(i, j int) bool {
		if fc[i].Count != fc[j].Count {
			return fc[i].Count > fc[j].Count
		}
		return fc[i].Term < fc[j].Term
	})
	if n := facetLimit(f); len(fc) > n {
		fc = fc[:n]
	}
	return fc
}
