package store

import (
	"context"
	"fmt"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facets from postings bitmaps.
//
// bleve's facet builders read every hit's doc values, field by field: a
// few µs per hit, which made facets ~80 % of a faceted search's time at
// 10M mentions (~36,000 hits over 30 days). Here each partition's hits are
// collected once, per segment, as a roaring bitmap (the query run as a
// searcher that does not score; where it can, bleve ANDs and ORs postings
// bitmaps itself), and a facet value's count is the cardinality of the
// hits AND the value's postings bitmap: past that one pass over the hits,
// the cost follows the number of values and segments, not of hits. Counts
// of several partitions add up exactly (a mention is in one partition), so
// no partition is asked for more terms than shown.
// docs/performance.md#facets.

// exactFacets counts facets over every mention q matches in the partitions
// of [from, to). ok is false when the index cannot be read this way (then
// the caller counts with bleve's facet builders).
func (s *Store) exactFacets(ctx context.Context, q bq.Query, facets []string, from, to time.Time) (_ map[string][]FacetCount, ok bool, _ error) {
	s.idxMu.RLock()
	defer s.idxMu.RUnlock()
	ps := s.idx
	if ps == nil {
		return nil, false, errClosed
	}
	wps := ps.windowParts(from, to)
	// The hits' search (searchWindow) counted these partitions already;
	// this pass reads the same ones, each with the query it searches
	// (forPart: no time filter where the partition is wholly inside).
	ps.searched.Add(-int64(len(wps)))
	parts := make([]partQuery, len(wps))
	for i, p := range wps {
		pq, _ := forPart(q, p)
		parts[i] = partQuery{idx: p.idx, q: pq}
	}
	counts, ok, err := bitmapFacets(ctx, parts, facets, from, to)
	if err != nil || !ok {
		return nil, ok, err
	}
	out := make(map[string][]FacetCount, len(counts))
	for f, c := range counts {
		out[f] = rankFacet(f, c)
	}
	return out, true, nil
}

// partQuery is one of a set of bleve indexes searched together, with the
// query it is searched with (the same for all, or adapted to the index).
type partQuery struct {
	idx bleve.Index
	q   bq.Query
}

// bitmapFacets counts, for each facet field, the mentions of parts that
// their queries match, by value: exact counts, every value (no limit).
// Days are counted only inside [from, to) (zero bounds are open). ok is
// false, with no counts, when a partition is not a scorch index or a
// segment's postings are not roaring bitmaps.
func bitmapFacets(ctx context.Context, parts []partQuery, facets []string, from, to time.Time) (map[string]map[string]int, bool, error) {
	counts := make(map[string]map[string]int, len(facets))
	for _, f := range facets {
		counts[f] = map[string]int{}
	}
	for _, p := range parts {
		ok, err := partFacets(ctx, p.idx, p.q, counts, dayRange(from, to))
		if err != nil || !ok {
			return nil, ok, err
		}
	}
	return counts, true, nil
}

// termRange bounds a dictionary walk: [lo, hi), nil = open.
type termRange struct{ lo, hi []byte }

// dayRange is the day terms of [from, to).
func dayRange(from, to time.Time) termRange {
	var r termRange
	if !from.IsZero() {
		r.lo = []byte(from.UTC().Format(time.DateOnly))
	}
	if !to.IsZero() {
		last := to.Add(-time.Nanosecond).UTC() // to is exclusive
		r.hi = []byte(midnight(last).AddDate(0, 0, 1).Format(time.DateOnly))
	}
	return r
}

// partFacets adds the counts of one partition to counts.
func partFacets(ctx context.Context, p bleve.Index, q bq.Query, counts map[string]map[string]int, days termRange) (_ bool, err error) {
	adv, err := p.Advanced()
	if err != nil {
		return false, fmt.Errorf("store: facets: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return false, nil // not scorch: bleve's facets count instead
	}
	r, err := sc.Reader()
	if err != nil {
		return false, fmt.Errorf("store: facets: %w", err)
	}
	defer func() {
		if cerr := r.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("store: facets: %w", cerr)
		}
	}()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return false, nil
	}
	hits, err := segmentHits(ctx, snap, p, q)
	if err != nil {
		return false, err
	}
	// The hits are live documents only: scorch's searchers skip each
	// segment's deleted ones. The values' postings still list them (an
	// updated mention's old version, a pruned one) until a merge drops
	// them, and the AND leaves them out.
	segs := snap.Segments()
	for i, h := range hits {
		if h == nil || h.IsEmpty() {
			continue
		}
		for f, c := range counts {
			var tr termRange
			if f == FacetDay {
				tr = days
			}
			ok, err := countSegment(segs[i].Segment(), f, tr, h, c)
			if err != nil || !ok {
				return ok, err
			}
		}
	}
	return true, nil
}

// segmentHits runs q on snap without scoring and returns the hits as one
// bitmap of local document numbers per segment of snap (nil: no hit). A
// hit's internal ID is its global number: its segment's offset (the
// document counts of the segments before it, deleted ones included, as
// scorch numbers them) plus its number in the segment.
func segmentHits(ctx context.Context, snap *scorch.IndexSnapshot, p bleve.Index, q bq.Query) (_ []*roaring.Bitmap, err error) {
	segs := snap.Segments()
	ends := make([]uint64, len(segs)) // ends[i]: first global number after segment i
	var running uint64
	for i, s := range segs {
		running += s.Segment().Count()
		ends[i] = running
	}
	sr, err := q.Searcher(ctx, snap, p.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("store: facets: %w", err)
	}
	defer func() {
		if cerr := sr.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("store: facets: %w", cerr)
		}
	}()
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize(), 0),
		IndexReader:       snap,
	}
	out := make([]*roaring.Bitmap, len(segs))
	nums := make([]uint32, 0, 1024)
	seg := 0
	flush := func() {
		if len(nums) > 0 {
			out[seg] = roaring.BitmapOf(nums...)
			nums = nums[:0]
		}
	}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("store: facets: %w", ctx.Err())
		}
		dm, err := sr.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("store: facets: %w", err)
		}
		if dm == nil {
			break
		}
		g := dm.IndexInternalID.Value()
		sctx.DocumentMatchPool.Put(dm)
		for seg < len(segs) && g >= ends[seg] { // hits come in ascending order
			flush()
			seg++
		}
		if seg == len(segs) {
			return nil, fmt.Errorf("store: facets: document number %d beyond the snapshot's %d", g, running)
		}
		start := ends[seg] - segs[seg].Segment().Count()
		nums = append(nums, uint32(g-start))
	}
	flush()
	return out, nil
}

// countSegment adds to c, for each term of field in seg's dictionary
// within tr, the number of hits (live local document numbers) that have
// it; a term no hit has is not added. ok is false when a postings list is not a bitmap.
func countSegment(seg segment.Segment, field string, tr termRange, hits *roaring.Bitmap, c map[string]int) (bool, error) {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return false, fmt.Errorf("store: facets: %s: %w", field, err)
	}
	it := dict.AutomatonIterator(nil, tr.lo, tr.hi)
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for {
		e, err := it.Next()
		if err != nil {
			return false, fmt.Errorf("store: facets: %s: %w", field, err)
		}
		if e == nil {
			return true, nil
		}
		pl, err = dict.PostingsList([]byte(e.Term), nil, pl)
		if err != nil {
			return false, fmt.Errorf("store: facets: %s %q: %w", field, e.Term, err)
		}
		pi = pl.Iterator(false, false, false, pi)
		opt, ok := pi.(segment.OptimizablePostingsIterator)
		if !ok {
			return false, nil
		}
		var n uint64
		if d, one := opt.DocNum1Hit(); one {
			if hits.Contains(uint32(d)) {
				n = 1
			}
		} else if bm := opt.ActualBitmap(); bm != nil {
			n = hits.AndCardinality(bm)
		}
		if n > 0 {
			c[e.Term] += int(n)
		}
	}
}

// startFacets starts counting req's facets over what q matches
// (searchFacets) alongside the search of the page, when exact (otherwise
// the caller counts them over the verified hits), and returns the wait for
// the counts, at the raised priority of searches (priority.go). The
// count stops when ctx ends.
func (s *Store) startFacets(ctx context.Context, q bq.Query, req SearchRequest, exact bool) func() (map[string][]FacetCount, error) {
	if !exact || len(req.Facets) == 0 {
		return func() (map[string][]FacetCount, error) { return map[string][]FacetCount{}, nil }
	}
	type result struct {
		fs  map[string][]FacetCount
		err error
	}
	done := make(chan result, 1)
	go s.prio.run(func() { // at a search's priority (priority.go)
		fs, err := s.searchFacets(ctx, q, req)
		done <- result{fs, err}
	})
	return func() (map[string][]FacetCount, error) {
		r := <-done
		return r.fs, r.err
	}
}

// searchFacets counts req's facets over every mention q matches in req's
// window: from postings bitmaps (exactFacets), or with bleve's facet
// builders when the index cannot be read that way.
func (s *Store) searchFacets(ctx context.Context, q bq.Query, req SearchRequest) (map[string][]FacetCount, error) {
	if len(req.Facets) == 0 {
		return map[string][]FacetCount{}, nil
	}
	out, ok, err := s.exactFacets(ctx, q, req.Facets, req.From, req.To)
	if err != nil || ok {
		return out, err
	}
	return s.bleveFacets(ctx, q, req)
}

// bleveFacets counts req's facets with bleve's facet builders, which read
// every hit's doc values; over several partitions each is asked for
// facetOverfetch times the terms shown (searchWindow), so a merged count
// can miss a partition's share of a rare term. The fallback of
// searchFacets, and the reference its tests compare with.
func (s *Store) bleveFacets(ctx context.Context, q bq.Query, req SearchRequest) (map[string][]FacetCount, error) {
	sr := bleve.NewSearchRequestOptions(q, 0, 0, false)
	sr.Score = "none"
	for _, f := range req.Facets {
		sr.AddFacet(f, bleve.NewFacetRequest(f, facetLimit(f)))
	}
	res, err := s.searchWindow(ctx, sr, req.From, req.To, true)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]FacetCount, len(req.Facets))
	for _, f := range req.Facets {
		out[f] = facetCounts(res.Facets[f], facetLimit(f))
	}
	return out, nil
}
