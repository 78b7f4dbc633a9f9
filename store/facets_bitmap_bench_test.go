package store

import (
	"context"
	"math/rand"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/rs/zerolog"
)

// facetBenchN mentions over facetBenchDays days make the facet benchmark's
// corpus: its 30-day window holds 3/4 of them.
const (
	facetBenchN    = 500000
	facetBenchDays = 40
)

// BenchmarkFacetsBitmap times the soak's faceted query (a keyword over the
// last 30 days, facets brand × network × day) on 500,000 generated
// mentions in several partitions, three ways in turns in each iteration:
// "bitmaps" is Search as it is (the page without facets, then the counts
// from postings bitmaps), "bleve" is the same page with the facets counted
// by bleve's facet builders in the same search (as before), "keyword" the
// page alone. It reports each one's µs per query, bleve/bitmaps and the
// facets' own cost both ways (time minus the keyword's), so the figures
// are ratios within one run, not wall-clock claims.
func BenchmarkFacetsBitmap(b *testing.B) {
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	s := facetBenchCorpus(b, end)
	for _, word := range []string{"warranty", "battery"} {
		req := SearchRequest{Query: term(word), From: end.AddDate(0, 0, -30), To: end, Page: 1,
			Facets: []string{FacetBrand, FacetNetwork, FacetDay}}
		if err := normalizeRequest(&req); err != nil {
			b.Fatal(err)
		}
		kw := req
		kw.Facets, kw.NoFacets = nil, true
		b.Run(word, func(b *testing.B) {
			ctx := context.Background()
			var tBits, tBleve, tKw time.Duration
			var hits uint64
			for b.Loop() {
				t0 := time.Now()
				res, err := s.Search(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := bleveFacetedSearch(ctx, s, req); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				if _, err := s.Search(ctx, kw); err != nil {
					b.Fatal(err)
				}
				tBits, tBleve, tKw = tBits+t1.Sub(t0), tBleve+t2.Sub(t1), tKw+time.Since(t2)
				hits = res.Total
			}
			n := float64(b.N)
			b.ReportMetric(float64(hits), "hits")
			b.ReportMetric(float64(tBits.Microseconds())/n, "µs/bitmaps")
			b.ReportMetric(float64(tBleve.Microseconds())/n, "µs/bleve")
			b.ReportMetric(float64(tKw.Microseconds())/n, "µs/keyword")
			b.ReportMetric(float64(tBleve)/float64(tBits), "bleve/bitmaps")
			b.ReportMetric(float64(tBleve-tKw)/float64(max(tBits-tKw, 1)), "facets-bleve/bitmaps")
		})
	}
}

// bleveFacetedSearch is Search's exact path as it was before the bitmaps:
// the page and bleve's facets in one search.
func bleveFacetedSearch(ctx context.Context, s *Store, req SearchRequest) (*SearchResult, error) {
	c, err := compileQuery(req.Query)
	if err != nil {
		return nil, err
	}
	sr := bleve.NewSearchRequestOptions(requestQuery(c.q, req), req.Size, 0, false)
	for _, f := range req.Facets {
		sr.AddFacet(f, bleve.NewFacetRequest(f, facetLimit(f)))
	}
	setSort(sr, req.Sort, false)
	res, err := s.searchWindow(ctx, sr, req.From, req.To, false)
	if err != nil {
		return nil, err
	}
	out := &SearchResult{Total: res.Total, Facets: map[string][]FacetCount{}}
	for _, f := range req.Facets {
		out.Facets[f] = facetCounts(res.Facets[f], facetLimit(f))
	}
	out.Hits, err = s.loadHits(res.Hits, nil, newHighlighter(c.highlight))
	return out, err
}

// facetBenchCorpus stores facetBenchN generated mentions spread evenly
// over the facetBenchDays days before end, with the soak's spread of
// brands (one or two of ten) and networks (eight).
func facetBenchCorpus(b *testing.B, end time.Time) *Store {
	b.Helper()
	s, err := Open(b.TempDir(), Options{Logger: zerolog.Nop(), BatchSize: benchBatch})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	r := rand.New(rand.NewSource(42))
	brandsN := []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Cyberdyne", "Tyrell"}
	nets := []string{"hackernews", "rss", "reddit", "mastodon", "bluesky", "youtube", "naver", "x"}
	step := time.Duration(facetBenchDays) * 24 * time.Hour / facetBenchN
	ms := make([]Mention, 0, commitChunk*10)
	for i := range facetBenchN {
		m := genMention(r, i)
		m.Brands = []string{brandsN[r.Intn(len(brandsN))]}
		if r.Intn(4) == 0 {
			if o := brandsN[r.Intn(len(brandsN))]; o != m.Brands[0] {
				m.Brands = append(m.Brands, o)
			}
		}
		m.Network = nets[r.Intn(len(nets))]
		m.Published = end.Add(-time.Duration(facetBenchN-i) * step)
		m.Fetched = m.Published.Add(time.Minute)
		if ms = append(ms, m); len(ms) == cap(ms) || i == facetBenchN-1 {
			if _, err := s.Commit("gen", ms, nil); err != nil {
				b.Fatal(err)
			}
			ms = ms[:0]
		}
	}
	syncT(b, s)
	return s
}
