package store

import "sort"

// countFacets counts facet values over verified hits (the phrase/NEAR path,
// where bleve's facets would count unverified candidates).
func countFacets(hits []Hit) map[string][]FacetCount {
	counts := map[string]map[string]int{}
	for _, f := range facetFields {
		counts[f] = map[string]int{}
	}
	for _, h := range hits {
		m := h.Mention
		seen := map[string]bool{}
		for _, b := range m.Brands {
			if b != "" && !seen[b] {
				seen[b] = true
				counts[fieldBrand][b]++
			}
		}
		if m.Network != "" {
			counts[fieldNetwork][m.Network]++
		}
		if m.Lang != "" {
			counts[fieldLang][m.Lang]++
		}
		if m.Kind != "" {
			counts[fieldKind][m.Kind]++
		}
	}
	out := make(map[string][]FacetCount, len(counts))
	for f, c := range counts {
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
		if len(fc) > facetSize {
			fc = fc[:facetSize]
		}
		out[f] = fc
	}
	return out
}
