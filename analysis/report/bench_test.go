package report

import (
	"context"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Benchmark corpus: 1,000,000 generated mentions over 52 weeks, 10 brands,
// 8 networks (BENCH_MENTIONS overrides the count for quick runs).
const (
	benchWeeks  = 52
	benchBatch  = 5000
	benchBrands = 10
)

var (
	benchOnce    sync.Once
	benchStore   *store.Store
	benchCfg     *config.Config
	benchErr     error
	benchBuildIn time.Duration
	benchN       = 1_000_000
	benchStart   = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
)

// benchCorpus builds the store once per test binary, in a temp dir removed
// by TestMain... (benchmarks only: the default go test never calls it).
func benchCorpus(b *testing.B) (*store.Store, *config.Config) {
	benchOnce.Do(func() {
		if v := os.Getenv("BENCH_MENTIONS"); v != "" {
			if _, err := fmt.Sscan(v, &benchN); err != nil {
				benchErr = err
				return
			}
		}
		dir, err := os.MkdirTemp("", "earshot-report-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchStore, benchErr = store.Open(dir, store.Options{Logger: zerolog.Nop(), NoIndexer: true})
		if benchErr != nil {
			return
		}
		brands := make([]string, benchBrands)
		toml := "[[topic]]\nname = \"battery\"\nquery = \"battery\"\n"
		for i := range brands {
			brands[i] = fmt.Sprintf("Brand%d", i)
			toml += fmt.Sprintf("[[brand]]\nname = %q\nown = %t\ndomains = [%q]\n", brands[i], i == 0, gen.Domain(brands[i]))
		}
		toml += "[[goal]]\nmetric = \"sov\"\ntarget = 40\ndeadline = \"2026-01-31\"\n"
		toml += "[[goal]]\nmetric = \"link_mentions\"\ntarget = 100\ndeadline = \"2026-01-31\"\n"
		if benchCfg, benchErr = config.Parse([]byte(toml), "bench.toml", nil); benchErr != nil {
			return
		}
		g := gen.New(gen.Options{Seed: 42, Mentions: benchN, Weeks: benchWeeks, Start: benchStart, Brands: brands})
		start := time.Now()
		batch := make([]store.Mention, 0, benchBatch)
		for m, ok := g.Next(); ok; m, ok = g.Next() {
			batch = append(batch, m)
			if len(batch) == benchBatch {
				if _, benchErr = benchStore.Commit("gen", batch, nil); benchErr != nil {
					return
				}
				batch = batch[:0]
			}
		}
		if _, benchErr = benchStore.Commit("gen", batch, nil); benchErr != nil {
			return
		}
		benchBuildIn = time.Since(start)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore, benchCfg
}

// BenchmarkWeeklyReport builds the report of week 40 of the corpus; after
// the timed loop it computes the rollup-backed core figures (volume, SOV,
// sentiment, engagement and owned posts per network × brand for the window
// and the week before, plus the daily series spikes need) by scanning and
// decoding every stored mention, and reports the ratio.
func BenchmarkWeeklyReport(b *testing.B) {
	s, cfg := benchCorpus(b)
	end := benchStart.AddDate(0, 0, 40*7-1)
	req := Request{Config: cfg, Period: "week", End: end, Now: end.AddDate(0, 0, 3)}
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := Build(context.Background(), s, req); err != nil {
			b.Fatal(err)
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	cpuPer := (cpuTime() - cpu0) / time.Duration(b.N)
	b.StopTimer()
	scanStart := time.Now()
	n, err := scanFigures(s, req)
	if err != nil {
		b.Fatal(err)
	}
	scan := time.Since(scanStart)
	b.ReportMetric(float64(per.Microseconds())/1000, "report_ms")
	b.ReportMetric(float64(cpuPer.Microseconds())/1000, "report_cpu_ms")
	b.ReportMetric(float64(scan.Microseconds())/1000, "scan_all_ms")
	b.ReportMetric(float64(scan)/float64(per), "scan/report")
	b.ReportMetric(float64(n), "mentions_scanned")
	// The report-time phrase sample alone (phrases.go), in the same run.
	w, _ := resolve(&req)
	_, brands := brandOrder(cfg)
	phStart := time.Now()
	if _, err := samplePhrases(context.Background(), s, w, cfg, brands); err != nil {
		b.Fatal(err)
	}
	ph := time.Since(phStart)
	b.ReportMetric(float64(ph.Microseconds())/1000, "phrases_ms")
	b.ReportMetric(float64(ph)/float64(per), "phrases/report")
	b.ReportMetric(benchBuildIn.Seconds(), "corpus_build_s")
}

// scanFigures is the baseline: the core figures from every mention.
func scanFigures(s *store.Store, req Request) (int, error) {
	w, err := resolve(&req)
	if err != nil {
		return 0, err
	}
	type k struct{ net, brand, kind string }
	win, prev := map[k]*acc{}, map[k]*acc{}
	days := map[k][]int64{}
	n := 0
	err = s.Range(context.Background(), time.Unix(0, 0), time.Unix(1<<40, 0), func(m store.Mention) error {
		n++
		i := w.dayIndex(m.Published)
		if i < 0 || i >= w.histDays {
			return nil
		}
		for _, b := range m.Brands {
			key := k{m.Network, b, m.Kind}
			if days[key] == nil {
				days[key] = make([]int64, w.histDays)
			}
			days[key][i]++
			dst := win
			if i < w.winFrom() {
				dst = prev
			}
			if i < w.prevFrom() {
				continue
			}
			a := dst[key]
			if a == nil {
				a = &acc{}
				dst[key] = a
			}
			c := store.Cell{Count: 1, Engagement: m.EngagementTotal, Reach: m.AuthorFollowers, SentimentSum: m.Sentiment}
			switch m.SentimentLabel {
			case "positive":
				c.Positive = 1
			case "negative":
				c.Negative = 1
			case "neutral":
				c.Neutral = 1
			}
			a.add(&c)
		}
		return nil
	})
	return n, err
}

// cpuTime is the process's user + system CPU time: with the indexer off
// nothing else runs, so per-report CPU is robust to a busy machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
