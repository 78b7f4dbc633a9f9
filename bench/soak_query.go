package bench

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/earshot/earshot/store"
)

// queryKind is one kind of search the clients send, with its target p95
// (0: informational).
type queryKind struct {
	name   string
	days   int  // window: the last days before the soak's end; 0 = any time
	facets bool // brand × network × day facets
	target time.Duration
}

const nQueryKinds = 4

// soakQueries are the searches of the soak, in the order each client cycles
// through them; the targets are issue 20's (docs/performance.md).
var soakQueries = [nQueryKinds]queryKind{
	{"keyword, 7 days", 7, false, 20 * time.Millisecond},
	{"keyword, 30 days", 30, false, 20 * time.Millisecond},
	{"keyword, any time", 0, false, 100 * time.Millisecond},
	{"faceted, 30 days", 30, true, 100 * time.Millisecond},
}

// windowLead is how much earlier than the soak's "now" the windows start.
// The soak's now is a Monday 00:00 UTC, where a week partition of the index
// begins, so end − 7 days would be exactly one partition, none of it
// filtered: a user's "last 7 days" starts at any hour of any day and cuts
// the oldest partition it touches. Starting 10 hours earlier (a Sunday,
// 14:00 UTC) measures that case.
const windowLead = 10 * time.Hour

// values is the /api/search query of kind k for term, its window ending at
// end: from = end − days − windowLead (RFC 3339), none for any time.
func (k queryKind) values(term string, end time.Time) url.Values {
	v := url.Values{"q": {term}, "facets": {"none"}}
	if k.facets {
		v.Set("facets", "brand,network,day")
	}
	if k.days > 0 {
		v.Set("from", end.Add(-windowLead).AddDate(0, 0, -k.days).Format(time.RFC3339))
	}
	return v
}

// query is one search client until ctx ends: it cycles through soakQueries
// with random terms, paced so that all clients together stay near r.qps.
func (r *soakRun) query(ctx context.Context, base string, id int) {
	tr := &http.Transport{MaxIdleConnsPerHost: 1}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	rng := rand.New(rand.NewPCG(uint64(r.seed), uint64(id)))
	var gap time.Duration
	if r.qps > 0 {
		gap = time.Duration(float64(r.clients) / r.qps * float64(time.Second))
	}
	for i := id; ctx.Err() == nil; i++ {
		kind := i % nQueryKinds
		v := soakQueries[kind].values(soakTerms[rng.IntN(len(soakTerms))], r.end)
		t0 := time.Now()
		err := getJSONTo(ctx, client, base+"/api/search?"+v.Encode(), nil)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.queryFailed(err.Error())
		} else {
			r.lat[kind].add(time.Since(t0))
		}
		if gap > 0 {
			sleepCtx(ctx, gap-time.Since(t0)+time.Duration(rng.Int64N(int64(gap)/5+1)))
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// latencies collects request latencies.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// pcts returns the count and the 50th, 95th and 99th percentiles.
func (l *latencies) pcts() (int, [3]time.Duration) {
	l.mu.Lock()
	d := slices.Clone(l.d)
	l.mu.Unlock()
	slices.Sort(d)
	var p [3]time.Duration
	for i, q := range []float64{0.50, 0.95, 0.99} {
		p[i] = nearestRank(d, q)
	}
	return len(d), p
}

// nearestRank is the q-quantile of sorted d by the nearest-rank method: the
// smallest value that at least a fraction q of d does not exceed, d[⌈q·n⌉−1];
// 0 for none.
func nearestRank(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(d))-1e-9)) - 1 // 0.95·100 is 95, not 95.000…1
	return d[max(0, min(len(d)-1, i))]
}

// rss returns the resident set size and its anonymous part (heap, stacks:
// RSS minus file pages such as bbolt's memory map, which the kernel can drop);
// zeros where there is none.
func rss() (total, anon int64) {
	m := store.ReadProcessMemory()
	return m.RSS, m.Anon
}

// queryFailed counts a failed query of the soak's clients (searches, the
// live report reader) and keeps its message as the last one.
func (r *soakRun) queryFailed(msg string) {
	r.qErrors.Add(1)
	r.qLastErr.Store(msg)
}
