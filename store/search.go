package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	"github.com/earshot/earshot/query"
	bolt "go.etcd.io/bbolt"
)

// Search limits.
const (
	defaultSize = 20
	maxSize     = 100
	maxWindow   = 10000 // deepest result reachable by paging
	facetSize   = 50
	// dayFacetSize is how many days a "day" facet reports (a year and some).
	dayFacetSize = 400
	// verifyLimit is how many candidates are checked one by one when the
	// query has a phrase or NEAR the index cannot check by itself.
	verifyLimit = 2000
)

// Sort orders.
const (
	SortRelevance  = "relevance"
	SortNewest     = "newest"
	SortEngagement = "engagement" // highest engagement total first, then newest
)

// Facet names a SearchRequest may ask for.
const (
	FacetBrand     = fieldBrand
	FacetNetwork   = fieldNetwork
	FacetLang      = fieldLang
	FacetKind      = fieldKind
	FacetSentiment = fieldSentiment
	FacetDay       = fieldDay // UTC day of publication, YYYY-MM-DD
)

// DefaultFacets are counted when a request names none (and NoFacets is false).
var DefaultFacets = []string{FacetBrand, FacetNetwork, FacetLang, FacetKind}

// AllFacets lists every facet a request may ask for.
var AllFacets = []string{FacetBrand, FacetNetwork, FacetLang, FacetKind, FacetSentiment, FacetDay}

// SearchRequest selects mentions. Filters are OR within one filter and AND
// across filters; From/To bound Published (From inclusive, To exclusive).
//
// Facets are counted exactly from postings bitmaps (facets_bitmap.go): one
// more pass over the hits, then a cost per value and index segment, not
// per hit and field; ask only for those shown. Facets nil means
// DefaultFacets; NoFacets turns them off.
type SearchRequest struct {
	Query                          query.Node // nil = everything
	Brands, Networks, Langs, Kinds []string
	Sentiments                     []string // sentiment labels: positive, neutral, negative; with Brands, each brand's own label
	Topics                         []string // topic names matched (Mention.Topics); empty = any
	RepliesOnly                    bool     // only posts that reply to another (Mention.ReplyTo set)
	From, To                       time.Time
	Sort                           string // "relevance" (default with a Query) | "newest" (default without) | "engagement"
	Page                           int    // 1-based
	Size                           int    // default 20, capped at 100
	Facets                         []string
	NoFacets                       bool
}

// SearchResult is one page of hits.
type SearchResult struct {
	Total  uint64
	Hits   []Hit
	Facets map[string][]FacetCount // the requested facets, by name
	Took   time.Duration
	// TotalIsUpperBound is true when the query has a phrase or NEAR and more
	// candidates matched than were verified: Total is then an upper bound.
	TotalIsUpperBound bool
}

// Hit is one mention found.
type Hit struct {
	Mention Mention
	Score   float64
	// Snippet is HTML-escaped text with <mark>…</mark> around matched terms,
	// about 240 characters around the first match.
	Snippet string
}

// FacetCount is how many hits have one value of a facet field.
type FacetCount struct {
	Term  string
	Count int
}

// Search runs req against the index and returns hits read from bbolt. The
// index is eventually consistent with Commit; call Sync first to see every
// committed mention.
func (s *Store) Search(ctx context.Context, req SearchRequest) (res *SearchResult, err error) {
	defer s.gate.enter()()                               // YieldToSearches waits while it runs (index_gate.go)
	s.prio.run(func() { res, err = s.search(ctx, req) }) // at a raised priority (priority.go)
	return res, err
}

func (s *Store) search(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	start := s.clock()
	if err := normalizeRequest(&req); err != nil {
		return nil, err
	}
	c, err := compileQuery(req.Query)
	if err != nil {
		return nil, err
	}
	bqr := requestQuery(c.q, req)
	from := (req.Page - 1) * req.Size
	var sr *bleve.SearchRequest
	if c.exact {
		sr = bleve.NewSearchRequestOptions(bqr, req.Size, from, false) // facets: startFacets
	} else {
		sr = bleve.NewSearchRequestOptions(bqr, verifyLimit, 0, false)
	}
	setSort(sr, req.Sort, false)
	facets := s.startFacets(ctx, bqr, req, c.exact) // counted while the page is searched

	res, err := s.searchWindow(ctx, sr, req.From, req.To, true)
	if err != nil {
		return nil, err
	}

	h := newHighlighter(c.highlight)
	out := &SearchResult{Facets: map[string][]FacetCount{}}
	if c.exact {
		out.Total = res.Total
		out.Hits, err = s.loadHits(res.Hits, nil, h)
		if err != nil {
			return nil, err
		}
		if req.Sort == SortRelevance {
			newestAmongTies(out.Hits)
		}
		if out.Facets, err = facets(); err != nil {
			return nil, err
		}
	} else {
		all, err := s.loadHits(res.Hits, c.m, highlighter{})
		if err != nil {
			return nil, err
		}
		out.Total = uint64(len(all))
		if res.Total > uint64(len(res.Hits)) {
			out.Total += res.Total - uint64(len(res.Hits))
			out.TotalIsUpperBound = true
		}
		out.Facets = countFacets(all, req.Facets)
		if req.Sort == SortRelevance { // as above: not the index's internal order, which merges change
			newestAmongTies(all)
		}
		page := all[min(from, len(all)):min(from+req.Size, len(all))]
		for i := range page {
			page[i].Snippet = h.snippet(page[i].Mention.Title, page[i].Mention.Text)
		}
		out.Hits = page
	}
	out.Took = s.clock().Sub(start)
	return out, nil
}

// normalizeRequest validates req and applies defaults.
func normalizeRequest(req *SearchRequest) error {
	if req.Page < 1 {
		return fmt.Errorf("%w: page must be 1 or more, got %d", ErrBadRequest, req.Page)
	}
	switch {
	case req.Size < 0:
		return fmt.Errorf("%w: negative size %d", ErrBadRequest, req.Size)
	case req.Size == 0:
		req.Size = defaultSize
	case req.Size > maxSize:
		req.Size = maxSize
	}
	if req.Page > maxWindow/req.Size+1 || (req.Page-1)*req.Size+req.Size > maxWindow {
		return fmt.Errorf("%w: page %d is beyond the first %d results", ErrBadRequest, req.Page, maxWindow)
	}
	switch req.Sort {
	case "":
		req.Sort = SortRelevance
		if req.Query == nil {
			req.Sort = SortNewest
		}
	case SortRelevance, SortNewest, SortEngagement:
	default:
		return fmt.Errorf("%w: unknown sort %q (relevance, newest or engagement)", ErrBadRequest, req.Sort)
	}
	switch {
	case req.NoFacets:
		req.Facets = nil
	case req.Facets == nil:
		req.Facets = DefaultFacets
	default:
		seen := make(map[string]bool, len(req.Facets))
		fs := make([]string, 0, len(req.Facets))
		for _, f := range req.Facets {
			if !slices.Contains(AllFacets, f) {
				return fmt.Errorf("%w: unknown facet %q (one of %s)", ErrBadRequest, f, strings.Join(AllFacets, ", "))
			}
			if !seen[f] {
				seen[f] = true
				fs = append(fs, f)
			}
		}
		req.Facets = fs
	}
	if !req.From.IsZero() && !req.To.IsZero() && !req.From.Before(req.To) {
		return fmt.Errorf("%w: from %s is not before to %s", ErrBadRequest, req.From, req.To)
	}
	return nil
}

// requestQuery is q filtered by req's filters and window.
func requestQuery(q bq.Query, req SearchRequest) *bq.BooleanQuery {
	bqr := bq.NewBooleanQuery([]bq.Query{q}, nil, nil)
	if f := filterQuery(req); f != nil {
		bqr.AddFilter(f)
	}
	return bqr
}

// filterQuery builds the non-scoring filter, nil when there is none.
func filterQuery(req SearchRequest) bq.Query {
	var conj []bq.Query
	add := func(field string, values []string) {
		if len(values) == 0 {
			return
		}
		qs := make([]bq.Query, 0, len(values))
		for _, v := range values {
			t := bq.NewTermQuery(v)
			t.SetField(field)
			qs = append(qs, t)
		}
		conj = append(conj, bq.NewDisjunctionQuery(qs))
	}
	add(fieldBrand, req.Brands)
	add(fieldNetwork, req.Networks)
	add(fieldLang, req.Langs)
	add(fieldKind, req.Kinds)
	add(fieldTopic, req.Topics)
	if req.RepliesOnly {
		add(fieldReply, []string{replyYes})
	}
	if len(req.Brands) > 0 && len(req.Sentiments) > 0 {
		// A brand and a label: the brand's own label ("switched from
		// Acme to Globex" is negative for Acme, positive for Globex).
		var pairs []string
		for _, b := range req.Brands {
			for _, l := range req.Sentiments {
				pairs = append(pairs, brandSentimentTerm(b, l))
			}
		}
		add(fieldBrandSentiment, pairs)
	} else {
		add(fieldSentiment, req.Sentiments)
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		conj = append(conj, timeFilter(req.From, req.To))
	}
	if len(conj) == 0 {
		return nil
	}
	return bq.NewConjunctionQuery(conj)
}

// loadHits reads the hit mentions from bbolt in one transaction. With a
// matcher, only verified mentions are kept (no snippets); otherwise
// snippets are made with h.
func (s *Store) loadHits(dms search.DocumentMatchCollection, m matcher, h highlighter) ([]Hit, error) {
	hits := make([]Hit, 0, len(dms))
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, dm := range dms {
			men, ok, err := getTx(tx, dm.ID)
			if err != nil {
				return err
			}
			if !ok {
				s.log.Warn().Str("id", dm.ID).Msg("indexed mention missing from the database")
				continue
			}
			if m != nil {
				if !m.match(newEvalDoc(men.Title, men.Text)) {
					continue
				}
				hits = append(hits, Hit{Mention: men, Score: dm.Score})
				continue
			}
			hits = append(hits, Hit{Mention: men, Score: dm.Score, Snippet: h.snippet(men.Title, men.Text)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: load hits: %w", err)
	}
	return hits, nil
}

// setSort orders sr by sort (a valid Sort* value). Newest and engagement
// ties fall back to the newest first, then the document ID. Relevance sorts
// by score alone unless total is set (SearchEach pages with SearchAfter and
// needs a total order): a tie-breaker reads a doc value for every hit,
// which made a 50,000-hit term query ten times slower at 1M mentions
// (measured with earshot-bench loadtest); equal scores keep index order, and
// Search orders them newest first within the page.
func setSort(sr *bleve.SearchRequest, sort string, total bool) {
	switch sort {
	case SortNewest:
		sr.SortBy([]string{"-" + fieldSortTime, "-_id"})
		sr.Score = "none"
	case SortEngagement:
		sr.SortBy([]string{"-" + fieldSortEngagement, "-" + fieldSortTime, "-_id"})
		sr.Score = "none"
	default:
		if total {
			sr.SortBy([]string{"-_score", "-" + fieldSortTime, "-_id"})
			return
		}
		sr.SortBy([]string{"-_score"})
	}
}

// newestAmongTies orders hits of equal score newest first (then by ID),
// keeping the score order.
func newestAmongTies(hits []Hit) {
	slices.SortStableFunc(hits, func(a, b Hit) int {
		switch {
		case a.Score != b.Score:
			return cmp.Compare(b.Score, a.Score)
		case !a.Mention.Published.Equal(b.Mention.Published):
			return b.Mention.Published.Compare(a.Mention.Published)
		}
		return strings.Compare(b.Mention.ID, a.Mention.ID)
	})
}

func facetLimit(f string) int {
	if f == FacetDay {
		return dayFacetSize
	}
	return facetSize
}

// facetCounts lists a facet's terms, at most limit (partitions are asked
// for more, searchWindow).
func facetCounts(fr *search.FacetResult, limit int) []FacetCount {
	if fr == nil || fr.Terms == nil {
		return []FacetCount{}
	}
	terms := fr.Terms.Terms()
	terms = terms[:min(len(terms), limit)]
	out := make([]FacetCount, 0, len(terms))
	for _, t := range terms {
		out = append(out, FacetCount{Term: t.Term, Count: t.Count})
	}
	return out
}
