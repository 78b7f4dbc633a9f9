package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestSearchEngagementSortSentimentAndFacets(t *testing.T) {
	s := openT(t, t.TempDir())
	ms := []Mention{
		mk("1", "", "Acme battery great", 1, "Acme"),
		mk("2", "", "Acme battery awful", 2, "Acme"),
		mk("3", "", "Globex battery meh", 30, "Globex"),
	}
	ms[0].EngagementTotal, ms[0].SentimentLabel = 500, "positive"
	ms[1].EngagementTotal, ms[1].SentimentLabel = 7, "negative"
	ms[2].EngagementTotal, ms[2].SentimentLabel = 90, "neutral"
	commitT(t, s, ms...)
	syncT(t, s)

	res := find(t, s, SearchRequest{Query: term("battery"), Sort: SortEngagement, Facets: []string{FacetSentiment, FacetDay}})
	if got := ids(res); !slices.Equal(got, []string{"1", "3", "2"}) {
		t.Errorf("engagement order = %v, want [1 3 2]", got)
	}
	if len(res.Facets) != 2 || len(res.Facets[FacetSentiment]) != 3 {
		t.Errorf("facets = %+v, want sentiment and day only", res.Facets)
	}
	days := res.Facets[FacetDay]
	if len(days) != 2 || days[0].Term != "2025-03-01" || days[0].Count != 2 || days[1].Term != "2025-03-02" {
		t.Errorf("day facet = %+v", days)
	}
	neg := find(t, s, SearchRequest{Query: term("battery"), Sentiments: []string{"negative", "neutral"}})
	if got := sortedIDs(neg); got != "2,3" {
		t.Errorf("sentiment filter → %s, want 2,3", got)
	}
	none := find(t, s, SearchRequest{NoFacets: true})
	if len(none.Facets) != 0 || none.Total != 3 {
		t.Errorf("NoFacets: facets %+v total %d", none.Facets, none.Total)
	}
	def := find(t, s, SearchRequest{})
	for _, f := range DefaultFacets {
		if _, ok := def.Facets[f]; !ok {
			t.Errorf("default facets miss %s: %+v", f, def.Facets)
		}
	}
	// The phrase path counts facets itself; it must honour the selection too.
	ph := find(t, s, SearchRequest{Query: phrase("acme battery"), Facets: []string{FacetSentiment}})
	if fs := ph.Facets[FacetSentiment]; len(ph.Facets) != 1 || len(fs) != 2 {
		t.Errorf("phrase facets = %+v", ph.Facets)
	}
	if _, err := s.Search(context.Background(), SearchRequest{Page: 1, Facets: []string{"colour"}}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("unknown facet: err %v, want ErrBadRequest", err)
	}
}

func TestSearchEachWalksEveryPage(t *testing.T) {
	s := openT(t, t.TempDir())
	const n = eachPage*2 + 37
	ms := make([]Mention, 0, n)
	for i := range n {
		text := "Acme battery report"
		if i%3 == 0 {
			text = "battery Acme report" // not the phrase
		}
		ms = append(ms, mk(fmt.Sprint(i), "", text, i, "Acme"))
	}
	commitT(t, s, ms...)
	syncT(t, s)

	var got []string
	cnt, err := s.SearchEach(context.Background(), SearchRequest{Query: term("battery"), Sort: SortNewest}, 0, func(m Mention) error {
		got = append(got, m.NativeID)
		return nil
	})
	if err != nil || cnt != n || len(got) != n {
		t.Fatalf("SearchEach: %d/%d mentions, err %v", cnt, len(got), err)
	}
	for i, id := range got {
		if want := fmt.Sprint(n - 1 - i); id != want {
			t.Fatalf("position %d: id %s, want %s (newest first, no gaps or repeats)", i, id, want)
		}
	}
	// Phrases are verified over every candidate, not only the first 2,000.
	cnt, err = s.SearchEach(context.Background(), SearchRequest{Query: phrase("acme battery")}, 0, func(m Mention) error {
		if m.Text != "Acme battery report" {
			return fmt.Errorf("unverified hit %s: %q", m.ID, m.Text)
		}
		return nil
	})
	if want := n - (n+2)/3; err != nil || cnt != want {
		t.Errorf("phrase walk: %d, err %v; want %d", cnt, err, want)
	}
	// The limit bounds the walk; ErrStop ends it quietly.
	if cnt, err := s.SearchEach(context.Background(), SearchRequest{}, 10, func(Mention) error { return nil }); cnt != 10 || err != nil {
		t.Errorf("limit 10: %d, %v", cnt, err)
	}
	stopAt := 3
	cnt, err = s.SearchEach(context.Background(), SearchRequest{}, 0, func(Mention) error {
		if stopAt == 0 {
			return ErrStop
		}
		stopAt--
		return nil
	})
	if cnt != 3 || err != nil {
		t.Errorf("ErrStop: %d, %v", cnt, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.SearchEach(ctx, SearchRequest{}, 0, func(Mention) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v", err)
	}
	if _, err := s.SearchEach(context.Background(), SearchRequest{Sort: "random"}, 0, func(Mention) error { return nil }); !errors.Is(err, ErrBadRequest) {
		t.Errorf("bad sort: err %v", err)
	}
}

// BenchmarkSearchFacetCost measures one page at 100k mentions with no
// facets, the API default (brand, network) and the old default (four), in
// the same run; the ratios are against no facets.
func BenchmarkSearchFacetCost(b *testing.B) {
	s := corpusStore(b)
	variants := []struct {
		name string
		mod  func(*SearchRequest)
	}{
		{"none", func(r *SearchRequest) { r.NoFacets = true }},
		{"brand_network", func(r *SearchRequest) { r.Facets = []string{FacetBrand, FacetNetwork} }},
		{"four", func(r *SearchRequest) { r.Facets = DefaultFacets }},
		{"newest_none", func(r *SearchRequest) { r.NoFacets = true; r.Sort = SortNewest }},
	}
	for _, q := range []string{"kubernetes", "acme"} {
		b.Run(q, func(b *testing.B) {
			took := make([]time.Duration, len(variants))
			var hits uint64
			for i := 0; i < b.N; i++ {
				for v, variant := range variants {
					req := SearchRequest{Query: term(q), Page: 1}
					variant.mod(&req)
					start := time.Now()
					res, err := s.Search(context.Background(), req)
					if err != nil {
						b.Fatal(err)
					}
					took[v] += time.Since(start)
					hits = res.Total
				}
			}
			b.ReportMetric(float64(hits), "hits")
			for v, variant := range variants {
				b.ReportMetric(float64(took[v].Microseconds())/float64(b.N)/1000, variant.name+"_ms")
				if v > 0 {
					b.ReportMetric(took[v].Seconds()/took[0].Seconds(), variant.name+"/none")
				}
			}
		})
	}
}
