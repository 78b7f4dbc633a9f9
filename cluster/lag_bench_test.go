package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/earshot/earshot/store"
)

// lagRate is the steady rate of BenchmarkLag: lagBatch mentions every
// lagEvery (200 mentions/s, a busy category's peak many times over).
const (
	lagBatch = 10
	lagEvery = 50 * time.Millisecond
)

// BenchmarkLag measures steady-state replication lag on a three-node
// cluster (three embedded servers, R3) with no failover: one node's sink
// publishes lagBatch mentions every lagEvery (b.N batches), and every
// node's follower commits them. Variants, in one run:
//
//   - mentions: the stream carries mentions only;
//   - alerts: every node also runs an alert engine deciding on each
//     commit (a rule firing on one mention in 250) and delivering
//     through the gate (one sender, the ledger in KV);
//   - subjects: alerts, and each batch is preceded by a poll's coverage
//     record and every 20th batch by an engagement refresh, as a busy
//     refresher and new sources would send them.
//
// Metrics: p50 and p95 of stream stored → committed locally, over every
// mention, on the worst node (lag-p95-ms) and the best (best-p95-ms).
//
//	go test ./cluster -run '^$' -bench Lag -benchtime 200x
func BenchmarkLag(b *testing.B) {
	for _, v := range []struct {
		name             string
		alerts, subjects bool
	}{{"mentions", false, false}, {"alerts", true, false}, {"subjects", true, true}} {
		b.Run(v.name, func(b *testing.B) {
			var setup []func(*testCluster)
			if v.alerts {
				setup = append(setup, alertSetup(b))
			}
			c := newTestCluster(b, nil, setup...)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			pub := c.nodes[0]
			sink := pub.node.Sink(pub.st)
			base := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
			// The clusters' first messages wait for leaders: lag is
			// measured from a warm stream.
			if _, err := sink.Commit("", lagMentions(base, -1, 1), nil); err != nil {
				b.Fatal(err)
			}
			for _, tn := range c.nodes {
				waitFor(ctx, b, "the first mention everywhere", func() bool { return tn.st.Stats().Mentions == 1 })
				tn.node.lag.reset()
			}
			b.ResetTimer()
			tick := time.NewTicker(lagEvery)
			defer tick.Stop()
			for i := range b.N {
				<-tick.C
				if v.subjects {
					cov := store.SourceCoverage{Network: "rss", Began: base, Lookback: time.Hour}
					if err := pub.node.publishCoverage(ctx, fmt.Sprintf("lag%d", i), []byte("c"), 0, cov); err != nil {
						b.Fatal(err)
					}
					if i%20 == 0 {
						rs := []store.Refreshed{{Key: make([]byte, 16), ID: "rss:none", Outcome: store.RefreshUpdated,
							Counts: map[string]int64{"likes": int64(i)}, At: base}}
						if _, err := pub.node.RefreshStore(pub.st).ApplyRefreshes(rs); err != nil {
							b.Fatal(err)
						}
					}
				}
				if _, err := sink.Commit("", lagMentions(base, i, lagBatch), nil); err != nil {
					b.Fatal(err)
				}
			}
			want := uint64(1 + b.N*lagBatch)
			for _, tn := range c.nodes {
				waitFor(ctx, b, "replication", func() bool { return tn.st.Stats().Mentions >= want })
			}
			b.StopTimer()
			var worst50, worst95, best95 time.Duration
			for i, tn := range c.nodes {
				p50, p95, n := tn.node.ReplicationLag()
				b.Logf("%s: %s p50 %v p95 %v over %d mentions", v.name, tn.node.Name(), p50.Round(time.Millisecond), p95.Round(time.Millisecond), n)
				worst50, worst95 = max(worst50, p50), max(worst95, p95)
				if i == 0 || p95 < best95 {
					best95 = p95
				}
			}
			b.ReportMetric(float64(worst50.Microseconds())/1000, "lag-p50-ms")
			b.ReportMetric(float64(worst95.Microseconds())/1000, "lag-p95-ms")
			b.ReportMetric(float64(best95.Microseconds())/1000, "best-p95-ms")
			b.ReportMetric(float64(b.N*lagBatch)/b.Elapsed().Seconds(), "mentions/s")
		})
	}
}

// lagMentions is batch i of BenchmarkLag: n mentions naming Acme, one in
// 250 a recall (what alertSetup's rule fires on).
func lagMentions(base time.Time, i, n int) []store.Mention {
	out := make([]store.Mention, n)
	for j := range out {
		k := i*n + j
		if i < 0 {
			k = -1 - j
		}
		p := base.Add(time.Duration(k) * time.Second)
		out[j] = store.Mention{ID: fmt.Sprintf("rss:lag-%d", k), Network: "rss", Source: "lag", NativeID: fmt.Sprintf("lag-%d", k),
			URL: fmt.Sprintf("https://example.org/lag/%d", k), Text: postText("lag", k), Kind: store.KindMention,
			Published: p, Fetched: p.Add(time.Minute), Brands: []string{"Acme"}}
	}
	return out
}

// reset forgets the samples so far.
func (l *lagRecorder) reset() {
	l.mu.Lock()
	l.n = 0
	l.mu.Unlock()
}
