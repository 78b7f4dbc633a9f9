package store

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// BenchmarkPrune ingests pruneBenchN mentions (Commit + Sync, the baseline)
// and then prunes 90% of them (bbolt, rollups and bleve), reporting both
// rates, their ratio, and how much Compact then shrinks the file.
func BenchmarkPrune(b *testing.B) {
	const n = 20000
	ms := genCorpus(n) // one a minute from t0
	var ingestDur, pruneDur time.Duration
	var before, after int64
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		s, err := Open(dir, Options{Logger: zerolog.Nop(), BatchSize: benchBatch})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for j := 0; j < n; j += commitChunk {
			if _, err := s.Commit("gen", ms[j:j+commitChunk], []byte("c")); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Sync(context.Background()); err != nil {
			b.Fatal(err)
		}
		ingestDur += time.Since(start)
		start = time.Now()
		res, err := s.Prune(context.Background(), ms[n*9/10].Published)
		if err != nil || res.Mentions != n*9/10 {
			b.Fatalf("prune %+v %v", res, err)
		}
		pruneDur += time.Since(start)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		c, err := Compact(dir, Options{Logger: zerolog.Nop()})
		if err != nil {
			b.Fatal(err)
		}
		before, after = c.Before, c.After
	}
	ingestRate := float64(n*b.N) / ingestDur.Seconds()
	pruneRate := float64(n*9/10*b.N) / pruneDur.Seconds()
	b.ReportMetric(ingestRate, "ingest/s")
	b.ReportMetric(pruneRate, "pruned/s")
	b.ReportMetric(pruneRate/ingestRate, "prune/ingest")
	b.ReportMetric(float64(after)/float64(before), "compacted/original")
}
