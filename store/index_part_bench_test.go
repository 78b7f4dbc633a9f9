package store

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"
	bolt "go.etcd.io/bbolt"
)

// BenchmarkSearchWeekPartitioned runs a keyword search (default facets)
// over the last 7 days on two corpora of the same density (≈16,700
// mentions a month, as a steady ingest gives): 50,000 mentions over 3
// months and 200,000 over 12. Each iteration runs the query on both, in
// turns, so that the machine's load hits both alike; it reports each one's
// time per query and large/small, the ratio that partitioning keeps at ~1
// (not a wall-clock figure). "anytime" does the same without a window, to
// show what the window skip saves. The baseline, in the same run, is the
// large corpus in ONE bleve index (as before partitioning), searched by the
// same code.
func BenchmarkSearchWeekPartitioned(b *testing.B) {
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	week := SearchRequest{Query: term("battery"), From: end.AddDate(0, 0, -7), To: end, Page: 1}
	large := weekCorpus(b, 200000, 12, end)
	small := weekCorpus(b, 50000, 3, end)
	single := singleIndexCopy(b, large, monthOf(end.Add(-time.Nanosecond)))
	any := week
	any.From, any.To = time.Time{}, time.Time{}
	for _, q := range []struct {
		name string
		req  SearchRequest
	}{{"week", week}, {"anytime", any}} {
		b.Run(q.name, func(b *testing.B) {
			var tl, ts, t1 time.Duration
			var pl, pn int64
			for b.Loop() {
				for i, s := range []*Store{large, small, single} {
					before := s.idx.searched.Load()
					start := time.Now()
					if _, err := s.Search(context.Background(), q.req); err != nil {
						b.Fatal(err)
					}
					d, p := time.Since(start), s.idx.searched.Load()-before
					switch i {
					case 0:
						tl, pl = tl+d, p
					case 1:
						ts, pn = ts+d, p
					default:
						t1 += d
					}
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(tl.Microseconds())/n, "µs/200k")
			b.ReportMetric(float64(ts.Microseconds())/n, "µs/50k")
			b.ReportMetric(float64(t1.Microseconds())/n, "µs/200k-single")
			b.ReportMetric(float64(tl)/float64(ts), "large/small")
			b.ReportMetric(float64(tl)/float64(t1), "large/single")
			b.ReportMetric(float64(pl), "partitions/200k")
			b.ReportMetric(float64(pn), "partitions/50k")
		})
	}
}

// weekCorpus stores n generated mentions spread evenly over the months
// before end.
func weekCorpus(b *testing.B, n, months int, end time.Time) *Store {
	b.Helper()
	s, err := Open(b.TempDir(), Options{Logger: zerolog.Nop(), BatchSize: benchBatch})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	r := rand.New(rand.NewSource(42))
	step := end.Sub(end.AddDate(0, -months, 0)) / time.Duration(n)
	ms := make([]Mention, 0, commitChunk*10)
	for i := 0; i < n; i++ {
		m := genMention(r, i)
		m.Published = end.Add(-time.Duration(n-i) * step)
		m.Fetched = m.Published.Add(time.Minute)
		if ms = append(ms, m); len(ms) == cap(ms) || i == n-1 {
			if _, err := s.Commit("gen", ms, nil); err != nil {
				b.Fatal(err)
			}
			ms = ms[:0]
		}
	}
	syncT(b, s)
	return s
}

// singleIndexCopy is a store holding src's mentions with all of them in
// one bleve index (the layout before partitioning), for the baseline.
func singleIndexCopy(b *testing.B, src *Store, at month) *Store {
	b.Helper()
	dst, err := Open(b.TempDir(), Options{Logger: zerolog.Nop(), BatchSize: benchBatch, NoIndexer: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = dst.Close() })
	idx, err := createIndex(filepath.Join(b.TempDir(), "single.bleve"))
	if err != nil {
		b.Fatal(err)
	}
	var after uint64
	for {
		docs, last, err := src.readLog(after, 10*benchBatch)
		if err != nil {
			b.Fatal(err)
		}
		if last == 0 {
			break
		}
		ms := make([]Mention, 0, len(docs))
		if err := src.db.View(func(tx *bolt.Tx) error {
			for _, d := range docs {
				m, ok, err := getTx(tx, d.ID)
				if err != nil || !ok {
					return fmt.Errorf("mention %s: %v", d.ID, err)
				}
				ms = append(ms, m)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if _, err := dst.Commit("gen", ms, nil); err != nil {
			b.Fatal(err)
		}
		if err := indexConcurrently(idx, docs, benchBatch); err != nil {
			b.Fatal(err)
		}
		after = last
	}
	// One "partition" in the week's month holds everything: window()
	// selects it for the week and for "any time".
	dst.idx.by[at] = idx
	return dst
}
