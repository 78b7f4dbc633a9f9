package cluster

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/store"
)

// benchBatch is how many mentions one commit carries: a busy source's
// poll; benchSources sources commit concurrently, as the scheduler's
// per-source loops do.
const (
	benchBatch   = 100
	benchSources = 4
)

// concurrently commits batch i with commit(source, i), spreading the
// batches over benchSources goroutines (one source each).
func concurrently(b *testing.B, n int, commit func(source string, i int) error) {
	var wg sync.WaitGroup
	errs := make([]error, benchSources)
	for s := range benchSources {
		wg.Go(func() {
			for i := s; i < n; i += benchSources {
				if err := commit(fmt.Sprintf("bench%d", s), i); err != nil {
					errs[s] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
}

func genBatches(n int) [][]store.Mention {
	g := gen.New(gen.Options{Seed: 20, Mentions: n * benchBatch})
	out := make([][]store.Mention, n)
	for i := range out {
		for range benchBatch {
			m, ok := g.Next()
			if !ok {
				break
			}
			out[i] = append(out[i], m)
		}
	}
	return out
}

// BenchmarkIngest compares, in one run, a single node's ingest (one local
// store.Commit per batch) with a three-node cluster on this machine (three
// embedded servers, R3): the sink publishes each batch and waits for the
// acks, then advances the cursor by compare-and-set; the time runs until
// every node's store holds every mention. Metrics: mentions/s, and for the
// cluster the p95 replication lag (stream stored → committed on a node).
//
//	go test ./cluster -run '^$' -bench Ingest -benchtime 50x
func BenchmarkIngest(b *testing.B) {
	b.Run("single", func(b *testing.B) {
		st, err := store.Open(b.TempDir(), store.Options{Logger: zerolog.Nop()})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		batches := genBatches(b.N)
		b.ResetTimer()
		concurrently(b, b.N, func(src string, i int) error {
			_, err := st.Commit(src, batches[i], fmt.Appendf(nil, "%d", i))
			return err
		})
		b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "mentions/s")
	})
	b.Run("cluster3", func(b *testing.B) {
		c := newTestCluster(b, nil)
		batches := genBatches(b.N)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		b.ResetTimer()
		// The sources are spread over the nodes, as their leases are.
		sinks := make([]*Sink, benchSources)
		for s := range sinks {
			tn := c.nodes[s%len(c.nodes)]
			sinks[s] = tn.node.Sink(tn.st)
		}
		concurrently(b, b.N, func(src string, i int) error {
			sink := sinks[i%benchSources]
			if _, err := sink.Cursor(src); err != nil {
				return err
			}
			_, err := sink.Commit(src, batches[i], fmt.Appendf(nil, "%d", i))
			return err
		})
		want := uint64(b.N * benchBatch)
		for _, tn := range c.nodes {
			waitFor(ctx, b, "replication", func() bool { return tn.st.Stats().Mentions >= want })
		}
		b.StopTimer()
		b.ReportMetric(float64(want)/b.Elapsed().Seconds(), "mentions/s")
		var p95 time.Duration
		for _, tn := range c.nodes {
			_, q, _ := tn.node.ReplicationLag()
			p95 = max(p95, q)
		}
		b.ReportMetric(float64(p95.Microseconds())/1000, "lag-p95-ms")
	})
}

// BenchmarkFailover measures lease failover on one server: two nodes want
// four sources; the holder of all of them is killed (nothing released);
// the time runs from the kill until the survivor holds them all. TTL 1s,
// renewal every 250ms.
//
//	go test ./cluster -run '^$' -bench Failover -benchtime 5x
func BenchmarkFailover(b *testing.B) {
	url := standaloneTB(b)
	var total, worst time.Duration
	for i := range b.N {
		b.StopTimer()
		a, killA := openNode(b, url, fmt.Sprintf("a%d", i), "h")
		a.Want(KindSource, "s1", "s2", "s3", "s4")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		waitFor(ctx, b, "a holds all", func() bool {
			return a.Holds(KindSource, "s1") && a.Holds(KindSource, "s2") && a.Holds(KindSource, "s3") && a.Holds(KindSource, "s4")
		})
		bn, stopB := openNode(b, url, fmt.Sprintf("b%d", i), "h")
		bn.Want(KindSource, "s1", "s2", "s3", "s4")
		time.Sleep(300 * time.Millisecond) // b's first round: it sees them held
		b.StartTimer()
		t0 := time.Now()
		killA()
		waitFor(ctx, b, "b holds all", func() bool {
			return bn.Holds(KindSource, "s1") && bn.Holds(KindSource, "s2") && bn.Holds(KindSource, "s3") && bn.Holds(KindSource, "s4")
		})
		d := time.Since(t0)
		total, worst = total+d, max(worst, d)
		b.StopTimer()
		stopB()
		cancel()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "failover-ms")
	b.ReportMetric(float64(worst.Milliseconds()), "worst-failover-ms")
}
