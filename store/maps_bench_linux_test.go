package store

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// BenchmarkSearchAfterRelease is the cost of releaseMaps to the next search:
// in each iteration the same page (20 hits, default facets, snippets from
// bbolt) of the 100k corpus is searched twice, once with the maps as the
// previous search left them and once right after releaseMaps, so the
// machine's load hits both alike. It reports each one's mean time and minor
// page faults (the pages mapped again from the page cache) per search, and
// the time releaseMaps itself took.
func BenchmarkSearchAfterRelease(b *testing.B) {
	s := corpusStore(b)
	req := SearchRequest{Query: term("kubernetes"), Page: 1}
	search := func() (time.Duration, int64) {
		f0 := minorFaults(b)
		t0 := time.Now()
		if _, err := s.Search(context.Background(), req); err != nil {
			b.Fatal(err)
		}
		return time.Since(t0), minorFaults(b) - f0
	}
	search()
	var warm, cold, rel time.Duration
	var warmF, coldF int64
	for b.Loop() {
		d, f := search()
		warm, warmF = warm+d, warmF+f
		t0 := time.Now()
		if _, err := s.releaseMaps(); err != nil {
			b.Fatal(err)
		}
		rel += time.Since(t0)
		d, f = search()
		cold, coldF = cold+d, coldF+f
	}
	n := float64(b.N)
	b.ReportMetric(float64(warm.Microseconds())/n, "µs/search-resident")
	b.ReportMetric(float64(cold.Microseconds())/n, "µs/search-released")
	b.ReportMetric(float64(warmF)/n, "minflt/search-resident")
	b.ReportMetric(float64(coldF)/n, "minflt/search-released")
	b.ReportMetric(float64(rel.Microseconds())/n, "µs/release")
}

// minorFaults is the process's minor page faults so far.
func minorFaults(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Minflt
}
