package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// facetOverfetch is how many times more terms each partition is asked for
// when several are searched: a term's merged count is exact when it is in
// the top facetLimit × facetOverfetch of every partition that has it.
const facetOverfetch = 4

// searchWindow runs sr on the partitions that can hold mentions published
// in [from, to): none outside the window is opened or searched, and one
// wholly inside it is searched without the time filter (forPart): all of
// its mentions are in the window. One partition is searched directly;
// several through a bleve IndexAlias, which asks each for the first
// From+Size hits in sr's order and merges them (hits sorted by sr's sort,
// totals added, facet counts merged). An interactive search runs each
// partition's search at the raised priority of searches (priority.go), on
// the goroutine the alias starts for it; a walk (SearchEach) at the
// process's priority. (Searching a window's partitions one after the
// other on the search's own raised thread was measured: neutral at 1M,
// slower idle at 10M — docs/performance.md, "Searches ahead of
// indexing".)
func (s *Store) searchWindow(ctx context.Context, sr *bleve.SearchRequest, from, to time.Time, interactive bool) (*bleve.SearchResult, error) {
	run := direct
	if interactive {
		run = s.prio.run
	}
	defer s.gate.enter()() // a page of SearchEach too
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	ps := s.idx
	if ps == nil {
		return nil, errClosed
	}
	parts := ps.windowParts(from, to)
	idxs := make([]bleve.Index, len(parts))
	for i, p := range parts {
		q, filtered := forPart(sr.Query, p)
		if filtered {
			ps.filtered.Add(1)
		}
		idxs[i] = partIndex{bleveIndex: p.idx, query: q, run: run}
	}
	var res *bleve.SearchResult
	var err error
	switch len(idxs) {
	case 0:
		return &bleve.SearchResult{Status: &bleve.SearchStatus{}, Facets: search.FacetResults{}}, nil
	case 1:
		res, err = idxs[0].SearchInContext(ctx, sr)
	default:
		for _, fr := range sr.Facets {
			fr.Size *= facetOverfetch
		}
		res, err = bleve.NewIndexAlias(idxs...).SearchInContext(ctx, sr)
		if err == nil && res.Status != nil && len(res.Status.Errors) > 0 {
			err = partitionErrors(res.Status.Errors)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return res, nil
}

// partIndex is a partition that runs every request with its own query
// (the request's, as forPart adapts it to the partition) through run.
type partIndex struct {
	bleveIndex
	query bq.Query
	run   func(func())
}

// bleveIndex names the embedded index (a field named Index would hide the
// method Index).
type bleveIndex = bleve.Index

// SearchInContext runs a copy of req with p's query.
func (p partIndex) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	r := *req
	r.Query = p.query
	var res *bleve.SearchResult
	var err error
	p.run(func() { res, err = p.bleveIndex.SearchInContext(ctx, &r) })
	return res, err
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
