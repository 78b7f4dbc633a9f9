package bench

import (
	"bufio"
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// query is one search client until ctx ends: three keyword searches, then
// one faceted search (brand × network × day facets from December 2025), and
// so on, paced so that all clients together stay near r.qps.
func (r *soakRun) query(ctx context.Context, base string, id int) {
	tr := &http.Transport{MaxIdleConnsPerHost: 1}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	rng := rand.New(rand.NewPCG(uint64(r.seed), uint64(id)))
	var gap time.Duration
	if r.qps > 0 {
		gap = time.Duration(float64(r.clients) / r.qps * float64(time.Second))
	}
	for i := 0; ctx.Err() == nil; i++ {
		kind := 0
		v := url.Values{"q": {soakTerms[rng.IntN(len(soakTerms))]}, "facets": {"none"}}
		if i%4 == 3 {
			kind = 1
			v.Set("facets", "brand,network,day")
			v.Set("from", "2025-12-01")
		}
		t0 := time.Now()
		err := getJSONTo(ctx, client, base+"/api/search?"+v.Encode(), nil)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.qErrors.Add(1)
			r.qLastErr.Store(err.Error())
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
		if len(d) > 0 {
			p[i] = d[min(len(d)-1, int(float64(len(d))*q))]
		}
	}
	return len(d), p
}

// rss returns the resident set size and its anonymous part (heap, stacks:
// RSS minus file pages such as bbolt's memory map, which the kernel can drop)
// from /proc/self/status; zeros where there is none.
func rss() (total, anon int64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "RssAnon") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			continue
		}
		if key == "VmRSS" {
			total = kb << 10
		} else {
			anon = kb << 10
		}
	}
	return total, anon
}
