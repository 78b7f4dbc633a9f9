package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// facetOverfetch is how many times more terms each partition is asked for
// when several are searched: a term's merged count is exact when it is in
// the top facetLimit × facetOverfetch of every partition that has it.
const facetOverfetch = 4

// searchWindow runs sr on the partitions that can hold mentions published
// in [from, to): none outside the window is opened or searched. One
// partition is searched directly; several through a bleve IndexAlias,
// which asks each for the first From+Size hits in sr's order and merges
// them (hits sorted by sr's sort, totals added, facet counts merged).
func (s *Store) searchWindow(ctx context.Context, sr *bleve.SearchRequest, from, to time.Time) (*bleve.SearchResult, error) {
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	ps := s.idx
	if ps == nil {
		return nil, errClosed
	}
	parts := ps.window(from, to)
	var res *bleve.SearchResult
	var err error
	switch len(parts) {
	case 0:
		return &bleve.SearchResult{Status: &bleve.SearchStatus{}, Facets: search.FacetResults{}}, nil
	case 1:
		res, err = parts[0].SearchInContext(ctx, sr)
	default:
		for _, fr := range sr.Facets {
			fr.Size *= facetOverfetch
		}
		res, err = bleve.NewIndexAlias(parts...).SearchInContext(ctx, sr)
		if err == nil && res.Status != nil && len(res.Status.Errors) > 0 {
			err = partitionErrors(res.Status.Errors)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return res, nil
}

// partitionErrors joins the errors an IndexAlias reports per index, in a
// stable order.
func partitionErrors(byIndex map[string]error) error {
	names := make([]string, 0, len(byIndex))
	for n := range byIndex {
		names = append(names, n)
	}
	slices.Sort(names)
	errs := make([]error, 0, len(names))
	for _, n := range names {
		errs = append(errs, byIndex[n])
	}
	return errors.Join(errs...)
}
