package store

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// BenchmarkLiveIndexCPU is the live phase of the soak without the pipeline
// and the searches: commits of 500 generated mentions at 4,000 mentions/s
// (b.N commits), the indexer following them, then Sync. It reports the
// process CPU (user + system, all goroutines: commit, bleve analysis,
// segments, persister, merger, GC) per mention, with the indexer
// gathering batches (DefaultIndexGather) and indexing each wake-up at once
// (IndexGather < 0). Sub-benchmarks alternate under -count.
//
//	go test -run '^$' -bench LiveIndexCPU -benchtime 60x -count 3 ./store/
func BenchmarkLiveIndexCPU(b *testing.B) {
	for _, v := range []struct {
		name   string
		gather time.Duration
	}{{"gather=off", -1}, {"gather=on", DefaultIndexGather}} {
		b.Run(v.name, func(b *testing.B) {
			o := testOpts()
			o.BatchSize, o.IndexGather = 1000, v.gather // the daemon's batch
			s, err := Open(b.TempDir(), o)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			r := rand.New(rand.NewSource(1))
			const perCommit, every = 500, 125 * time.Millisecond
			ms := make([]Mention, perCommit)
			start, cpu0 := time.Now(), processCPU()
			b.ResetTimer()
			for i := range b.N {
				for j := range ms {
					n := i*perCommit + j
					ms[j] = genMention(r, n)
					ms[j].Published = t0.Add(time.Duration(n) * 2 * time.Second) // a live day: one partition
				}
				if _, err := s.Commit("gen", ms, nil); err != nil {
					b.Fatal(err)
				}
				time.Sleep(time.Until(start.Add(time.Duration(i+1) * every)))
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := s.Sync(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N*perCommit), "cpu-µs/mention")
		})
	}
}

// processCPU is the process's user + system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIndexBatchCPU is what gathering buys, without the pacing the
// live benchmark needs (and a loaded machine cannot keep): one partition
// indexes the same 20,000 generated mentions in batches of 500 (one live
// commit each, as without gathering), 1,000 and 2,000, each batch followed
// by the sequence record as in indexStep, then waits until bleve's merger
// is idle. It reports the process CPU per mention of each size, medians
// of b.N rounds in which the sizes alternate.
//
//	go test -run '^$' -bench IndexBatchCPU -benchtime 3x ./store/
func BenchmarkIndexBatchCPU(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	docs := make([]indexFields, 20_000)
	for i := range docs {
		m := genMention(r, i)
		m.Published = t0.Add(time.Duration(i) * 4 * time.Second)
		m.DeriveEngagement()
		docs[i] = fieldsOf(&m)
	}
	sizes := []int{500, 1000, 2000}
	cpu := make([][]float64, len(sizes))
	for round := range b.N {
		for k, size := range sizes {
			idx, err := createIndex(filepath.Join(b.TempDir(), "p"))
			if err != nil {
				b.Fatal(err)
			}
			cpu0 := processCPU()
			for i := 0; i < len(docs); i += size {
				if err := indexInto(idx, docs[i:min(i+size, len(docs))]); err != nil {
					b.Fatal(err)
				}
				if err := setIndexSeq(idx, uint64(i+size)); err != nil {
					b.Fatal(err)
				}
			}
			awaitMerges(b, idx)
			cpu[k] = append(cpu[k], float64((processCPU()-cpu0).Microseconds())/float64(len(docs)))
			_ = idx.Close()
			_ = round
		}
	}
	for k, size := range sizes {
		b.ReportMetric(median(cpu[k]), fmt.Sprintf("cpu-µs/mention@%d", size))
	}
	b.ReportMetric(median(cpu[1])/median(cpu[0]), "ratio-1000/500")
	b.ReportMetric(median(cpu[2])/median(cpu[0]), "ratio-2000/500")
}

// awaitMerges waits until idx's merger has finished no merge for a second.
func awaitMerges(b *testing.B, idx bleve.Index) {
	sc, err := scorchOf(idx)
	if err != nil {
		b.Fatal(err)
	}
	last, still := uint64(1<<63), time.Now()
	for time.Since(still) < time.Second {
		time.Sleep(100 * time.Millisecond)
		n, _ := sc.StatsMap()["TotFileMergeZapEnd"].(uint64)
		if n != last {
			last, still = n, time.Now()
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
