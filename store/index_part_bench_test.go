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
// same code; and the large corpus searched with the time filter on every
// partition, also those wholly inside the window (as before the skip).
func BenchmarkSearchWeekPartitioned(b *testing.B) {
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	week := SearchRequest{Query: term("battery"), From: end.AddDate(0, 0, -7), To: end, Page: 1}
	large := weekCorpus(b, 200000, 12, time.Time{}, end)
	small := weekCorpus(b, 50000, 3, time.Time{}, end)
	single := singleIndexCopy(b, large, weekOf(end.Add(-time.Nanosecond)))
	any := week
	any.From, any.To = time.Time{}, time.Time{}
	month := week
	month.From = end.AddDate(0, 0, -30)
	for _, q := range []struct {
		name string
		req  SearchRequest
	}{{"week", week}, {"30days", month}, {"anytime", any}} {
		b.Run(q.name, func(b *testing.B) {
			var tl, ts, t1, tf time.Duration
			var pl, pn, fl int64
			for b.Loop() {
				for i, s := range []*Store{large, small, single, large} {
					s.idx.alwaysFilter = i >= 2 // 3: large, the filter on every partition
					before, fbefore := s.idx.searched.Load(), s.idx.filtered.Load()
					start := time.Now()
					if _, err := s.Search(context.Background(), q.req); err != nil {
						b.Fatal(err)
					}
					d, p := time.Since(start), s.idx.searched.Load()-before
					switch i {
					case 0:
						tl, pl, fl = tl+d, p, s.idx.filtered.Load()-fbefore
					case 1:
						ts, pn = ts+d, p
					case 2:
						t1 += d
					default:
						tf += d
						s.idx.alwaysFilter = false
					}
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(tl.Microseconds())/n, "µs/200k")
			b.ReportMetric(float64(ts.Microseconds())/n, "µs/50k")
			b.ReportMetric(float64(t1.Microseconds())/n, "µs/200k-single")
			b.ReportMetric(float64(tl)/float64(ts), "large/small")
			b.ReportMetric(float64(tl)/float64(t1), "large/single")
			b.ReportMetric(float64(tl)/float64(tf), "large/filter-all")
			b.ReportMetric(float64(fl), "filtered/200k")
			b.ReportMetric(float64(pl), "partitions/200k")
			b.ReportMetric(float64(pn), "partitions/50k")
		})
	}
}

// weekCorpus stores n generated mentions spread evenly over the months
// before end (or, with months 0, from start on).
func weekCorpus(b *testing.B, n, months int, start, end time.Time) *Store {
	b.Helper()
	s, err := Open(b.TempDir(), Options{Logger: zerolog.Nop(), BatchSize: benchBatch})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	r := rand.New(rand.NewSource(42))
	if months > 0 {
		start = end.AddDate(0, -months, 0)
	}
	step := end.Sub(start) / time.Duration(n)
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
func singleIndexCopy(b *testing.B, src *Store, at week) *Store {
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
	// One "partition" in the window's last week holds everything: window()
	// selects it for the week and for "any time", always with the time
	// filter (it holds more than its week).
	dst.idx.by[at] = idx
	dst.idx.alwaysFilter = true
	return dst
}

// BenchmarkOpenPartitions times Open (every partition opened, its
// segments' checksums read, compared with the database) of the same
// 52,000 mentions spread over 104 weeks (two years of weekly partitions)
// and over 12 weeks, alternately in each iteration: the ratio is what the
// number of partitions costs at startup beyond the index's bytes.
func BenchmarkOpenPartitions(b *testing.B) {
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	dirs := map[int]string{}
	for _, weeks := range []int{104, 12} {
		s := weekCorpus(b, 52000, 0, end.AddDate(0, 0, -7*weeks), end)
		if n := len(s.idx.weeks()); n != weeks {
			b.Fatalf("%d partitions, want %d", n, weeks)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		dirs[weeks] = s.dir
	}
	var t104, t12 time.Duration
	for b.Loop() {
		for _, weeks := range []int{104, 12} {
			start := time.Now()
			s, err := Open(dirs[weeks], Options{Logger: zerolog.Nop(), BatchSize: benchBatch})
			if err != nil {
				b.Fatal(err)
			}
			d := time.Since(start)
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			if weeks == 104 {
				t104 += d
			} else {
				t12 += d
			}
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(t104.Microseconds())/n/1000, "ms/open-104")
	b.ReportMetric(float64(t12.Microseconds())/n/1000, "ms/open-12")
	b.ReportMetric(float64(t104)/float64(t12), "104/12")
}
