package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Scale corpus: SCALE_MENTIONS (default 600,000) generated mentions over 6
// weeks growing 32× (each week about twice as dense as the one before), so
// that the report of the last week reads about 4× the mentions of the
// report two weeks earlier, in the same store and the same run. The store
// is built once into REPORT_SCALE_DIR (a temp dir when unset; kept and
// reused when set) — building it is not timed.
const (
	scaleWeeks  = 6
	scaleGrowth = 32
)

var scaleStart = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)

func scaleCorpus(b *testing.B) (*store.Store, *config.Config) {
	b.Helper()
	n := 600_000
	if v := os.Getenv("SCALE_MENTIONS"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil {
			b.Fatal(err)
		}
	}
	dir := os.Getenv("REPORT_SCALE_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	brands := make([]string, benchBrands)
	toml := "[[topic]]\nname = \"battery\"\nquery = \"battery\"\n"
	for i := range brands {
		brands[i] = fmt.Sprintf("Brand%d", i)
		toml += fmt.Sprintf("[[brand]]\nname = %q\nown = %t\ndomains = [%q]\n", brands[i], i == 0, gen.Domain(brands[i]))
	}
	cfg, err := config.Parse([]byte(toml), "bench.toml", nil)
	if err != nil {
		b.Fatal(err)
	}
	done := filepath.Join(dir, fmt.Sprintf("built-%d", n))
	s, err := store.Open(dir, store.Options{Logger: zerolog.Nop(), NoIndexer: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if _, err := os.Stat(done); err == nil {
		return s, cfg
	}
	if s.LastSeq() != 0 {
		b.Fatalf("%s holds a partly built corpus: remove it", dir)
	}
	g := gen.New(gen.Options{Seed: 7, Mentions: n, Weeks: scaleWeeks, Growth: scaleGrowth, Start: scaleStart, Brands: brands})
	batch := make([]store.Mention, 0, benchBatch)
	for m, ok := g.Next(); ok; m, ok = g.Next() {
		batch = append(batch, m)
		if len(batch) == benchBatch {
			if _, err := s.Commit("gen", batch, nil); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if _, err := s.Commit("gen", batch, nil); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return s, cfg
}

// BenchmarkReportScale times Build for week 4 (N mentions in the window)
// and week 6 (about 4N) of the scale corpus, alternating, and reports each
// week's window size, its median time and CPU, and the ratio large ÷ small
// (1 = the report's cost does not grow with the window).
func BenchmarkReportScale(b *testing.B) {
	s, cfg := scaleCorpus(b)
	weeks := []int{4, 6}
	reqs := make([]Request, len(weeks))
	sizes := make([]int64, len(weeks))
	for i, wk := range weeks {
		end := scaleStart.AddDate(0, 0, wk*7-1)
		reqs[i] = Request{Config: cfg, Period: "week", End: end, Now: end.AddDate(0, 0, 3)}
		w, err := resolve(&reqs[i])
		if err != nil {
			b.Fatal(err)
		}
		err = s.Cells(context.Background(), w.start, w.end, func(c *store.Cell) error {
			if c.Brand == "" {
				sizes[i] += c.Count
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	times := make([][]time.Duration, len(weeks))
	cpus := make([][]time.Duration, len(weeks))
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := range weeks {
			c0, t0 := cpuTime(), time.Now()
			if _, err := Build(context.Background(), s, reqs[i]); err != nil {
				b.Fatal(err)
			}
			times[i] = append(times[i], time.Since(t0))
			cpus[i] = append(cpus[i], cpuTime()-c0)
		}
	}
	b.StopTimer()
	med := func(d []time.Duration) time.Duration {
		d = slices.Clone(d)
		slices.Sort(d)
		return d[len(d)/2]
	}
	for i, wk := range weeks {
		b.ReportMetric(float64(sizes[i]), fmt.Sprintf("w%d_mentions", wk))
		b.ReportMetric(float64(med(times[i]).Microseconds())/1000, fmt.Sprintf("w%d_p50_ms", wk))
		b.ReportMetric(float64(med(cpus[i]).Microseconds())/1000, fmt.Sprintf("w%d_cpu_ms", wk))
	}
	b.ReportMetric(float64(med(cpus[1]))/float64(med(cpus[0])), "cpu_ratio_4N/N")
	b.ReportMetric(float64(med(times[1]))/float64(med(times[0])), "time_ratio_4N/N")
}

// BenchmarkCommitRollups commits 20,000 generated mentions in commits of
// 100, like listener polls, into a store without a search index, so that
// what it times is the log and its rollups, at two densities: "week"
// spreads them over a week (~120 an hour, the scale corpus's middle) and
// "10h" over ten hours (2,000 an hour, the last week of the 10M soak).
// Run it on the commit before a rollup change and after, in the same run,
// for the ratio.
func BenchmarkCommitRollups(b *testing.B) {
	const n, chunk = 20_000, 100
	brands := make([]string, benchBrands)
	for i := range brands {
		brands[i] = fmt.Sprintf("Brand%d", i)
	}
	for _, span := range []struct {
		name string
		d    time.Duration
	}{{"week", 7 * 24 * time.Hour}, {"10h", 10 * time.Hour}} {
		b.Run(span.name, func(b *testing.B) {
			g := gen.New(gen.Options{Seed: 7, Mentions: n, Span: span.d, Start: scaleStart, Brands: brands})
			var ms []store.Mention
			for m, ok := g.Next(); ok; m, ok = g.Next() {
				ms = append(ms, m)
			}
			var took, cpu time.Duration
			for range b.N {
				s, err := store.Open(b.TempDir(), store.Options{Logger: zerolog.Nop(), NoIndexer: true})
				if err != nil {
					b.Fatal(err)
				}
				c0, t0 := cpuTime(), time.Now()
				for j := 0; j < len(ms); j += chunk {
					if _, err := s.Commit("gen", ms[j:min(j+chunk, len(ms))], nil); err != nil {
						b.Fatal(err)
					}
				}
				took, cpu = took+time.Since(t0), cpu+cpuTime()-c0
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(took.Microseconds())/float64(n*b.N), "µs/mention")
			b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu_µs/mention")
		})
	}
}
