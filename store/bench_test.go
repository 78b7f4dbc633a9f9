package store

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

const (
	ingestN      = 5000 // mentions per BenchmarkIngest iteration
	commitChunk  = 100  // mentions per Commit, like a listener poll
	benchBatch   = 1000 // bleve batch size on both sides
	searchCorpus = 100000
)

func genCorpus(n int) []Mention {
	r := rand.New(rand.NewSource(42))
	ms := make([]Mention, n)
	for i := range ms {
		ms[i] = genMention(r, i)
	}
	return ms
}

// BenchmarkIngest commits ingestN mentions through Commit + Sync and, in the
// same run, indexes the same documents with bare bleve batches (same mapping,
// same batch size) as the baseline.
func BenchmarkIngest(b *testing.B) {
	ms := genCorpus(ingestN)
	docs := make([]indexFields, len(ms))
	for i, m := range ms {
		docs[i] = indexFields{ID: m.ID, Network: m.Network, Title: m.Title, Text: m.Text, Kind: m.Kind, Published: m.Published, Lang: m.Lang, Brands: m.Brands}
	}
	var storeDur, bareDur time.Duration
	for i := 0; i < b.N; i++ {
		// store
		dir := b.TempDir()
		s, err := Open(dir, Options{Logger: zerolog.Nop(), BatchSize: benchBatch})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for j := 0; j < len(ms); j += commitChunk {
			if _, err := s.Commit("gen", ms[j:min(j+commitChunk, len(ms))], []byte("c")); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Sync(context.Background()); err != nil {
			b.Fatal(err)
		}
		storeDur += time.Since(start)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}

		// bare bleve baseline
		idx, err := createIndex(filepath.Join(b.TempDir(), "bare.bleve"))
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		for j := 0; j < len(docs); j += benchBatch {
			if err := indexInto(idx, docs[j:min(j+benchBatch, len(docs))]); err != nil {
				b.Fatal(err)
			}
		}
		bareDur += time.Since(start)
		if err := idx.Close(); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(ingestN * b.N)
	b.ReportMetric(n/storeDur.Seconds(), "store_mentions/s")
	b.ReportMetric(n/bareDur.Seconds(), "bare_bleve_docs/s")
	b.ReportMetric(bareDur.Seconds()/storeDur.Seconds(), "ratio_store/bare")
}

var (
	benchOnce  sync.Once
	benchStore *Store
	benchDir   string
	benchErr   error
)

// corpusStore builds the 100k corpus once per test binary run.
func corpusStore(b *testing.B) *Store {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "earshot-bench-")
		if benchErr != nil {
			return
		}
		benchStore, benchErr = Open(benchDir, Options{Logger: zerolog.Nop(), BatchSize: benchBatch})
		if benchErr != nil {
			return
		}
		ms := genCorpus(searchCorpus)
		for j := 0; j < len(ms) && benchErr == nil; j += benchBatch {
			_, benchErr = benchStore.Commit("gen", ms[j:min(j+benchBatch, len(ms))], nil)
		}
		if benchErr == nil {
			benchErr = benchStore.Sync(context.Background())
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

func cleanupBench() {
	if benchStore != nil {
		_ = benchStore.Close()
	}
	if benchDir != "" {
		_ = os.RemoveAll(benchDir)
	}
}

// BenchmarkSearch measures one page (20 hits, facets, snippets from bbolt)
// at 100k mentions; ns/op is the latency.
func BenchmarkSearch(b *testing.B) {
	s := corpusStore(b)
	cases := []struct {
		name string
		req  SearchRequest
	}{
		{"term_mid_frequency", SearchRequest{Query: term("kubernetes")}},
		{"term_korean", SearchRequest{Query: term("아크미")}},
		{"term_filtered", SearchRequest{Query: term("kubernetes"), Brands: []string{"Acme"}, Langs: []string{"en"}, From: t0.Add(24 * time.Hour)}},
		{"term_newest", SearchRequest{Query: term("kubernetes"), Sort: SortNewest}},
		{"all_newest", SearchRequest{}},
		{"near", SearchRequest{Query: and(term("acme"), nearQ("kubernetes", "battery", 3))}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			c.req.Page = 1
			var total uint64
			for i := 0; i < b.N; i++ {
				res, err := s.Search(context.Background(), c.req)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}
