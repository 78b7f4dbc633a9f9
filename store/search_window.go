package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
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
// partition's search at the raised priority of searches (priority.go):
// while that priority is in effect, up to s.seqParts partitions one after
// the other on the calling goroutine, whose thread is raised already
// (searchParts: a goroutine the alias starts waits for a thread at the
// process's priority before it can raise its own), more through the
// alias, each on its goroutine raised. A walk (SearchEach) runs at the
// process's priority, through the alias.
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
		if interactive && s.prio.raised() && len(idxs) <= s.seqParts {
			res, err = searchParts(ctx, sr, idxs)
		} else {
			res, err = bleve.NewIndexAlias(idxs...).SearchInContext(ctx, sr)
		}
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

// seqPartsDefault is how many partitions an interactive search runs one
// after the other at most (searchWindow): a 30-day window spans 5 weeks,
// "any time" a year's 52, which run side by side.
const seqPartsDefault = 8

// searchParts runs sr on each of idxs in turn and merges the results as a
// bleve alias does (bleve.MultiSearch): each is asked for the first
// From+Size hits, the hits are sorted by sr's sort and paged, totals and
// statuses added, facet counts merged and cut to each request's size; a
// partition's error is kept in the result's Status.Errors under its name.
func searchParts(ctx context.Context, sr *bleve.SearchRequest, idxs []bleve.Index) (*bleve.SearchResult, error) {
	var res *bleve.SearchResult
	failed := map[string]error{}
	for _, ix := range idxs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		child := *sr
		child.From, child.Size, child.Sort = 0, sr.From+sr.Size, sr.Sort.Copy()
		r, err := ix.SearchInContext(ctx, &child)
		switch {
		case err != nil:
			failed[ix.Name()] = err
		case res == nil:
			res = r
		default:
			res.Merge(r)
		}
	}
	if res == nil {
		res = &bleve.SearchResult{Status: &bleve.SearchStatus{}, Facets: search.FacetResults{}}
	}
	if len(sr.Sort) > 0 {
		sort.Sort(hitSorter{sr.Sort, sr.Sort.CacheIsScore(), sr.Sort.CacheDescending(), res.Hits})
	}
	hits := res.Hits
	if sr.From > 0 {
		hits = hits[min(sr.From, len(hits)):]
	}
	if sr.Size > 0 && len(hits) > sr.Size {
		hits = hits[:sr.Size]
	}
	res.Hits = hits
	for name, fr := range sr.Facets {
		res.Facets.Fixup(name, fr.Size)
	}
	if len(failed) > 0 {
		if res.Status.Errors == nil {
			res.Status.Errors = map[string]error{}
		}
		for name, err := range failed {
			res.Status.Errors[name] = err
			res.Status.Total++
			res.Status.Failed++
		}
	}
	return res, nil
}

// hitSorter orders hits as bleve's alias does.
type hitSorter struct {
	order         search.SortOrder
	scoring, desc []bool
	hits          search.DocumentMatchCollection
}

func (h hitSorter) Len() int      { return len(h.hits) }
func (h hitSorter) Swap(i, j int) { h.hits[i], h.hits[j] = h.hits[j], h.hits[i] }
func (h hitSorter) Less(i, j int) bool {
	return h.order.Compare(h.scoring, h.desc, h.hits[i], h.hits[j]) < 0
}
