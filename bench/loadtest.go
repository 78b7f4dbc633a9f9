package bench

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// Load test targets (docs/performance.md): p95 for queries matching up to 5% of the
// mentions.
const (
	targetKeywordP95 = 20 * time.Millisecond
	targetFacetedP95 = 100 * time.Millisecond
)

// loadTerms are planted in generated mentions at known rates, so queries
// match a known share of the corpus; query is what is searched (default
// the word). 보조배터리 is found by the compound search *배터리 (the filler
// has no other word ending in 배터리), at the rate of charger: the two
// scenarios compare a compound search with a keyword search of the same
// selectivity in the same run.
var loadTerms = []struct {
	word  string
	rate  float64
	query string
}{{"battery", 0.05, ""}, {"charger", 0.01, ""}, {"recall", 0.001, ""}, {"보조배터리", 0.01, "*배터리"}}

// loadKorean is the share of generated mentions written in Korean.
const loadKorean = 0.2

var (
	loadBrands = []string{"Acme", "Globex", "Initech", "Umbrella"}
	// loadNetworks are the generator's networks (the networks table's
	// ranked rows), drawn uniformly.
	loadNetworks = gen.Networks
	loadFiller   = strings.Fields("the a new phone app update review price launch team users support fast slow screen " +
		"camera design plan market week today good bad great love hate think really feature service release version " +
		"people company product early late open close build ship test data cloud store home work travel music game")
	// loadFillerKo are Korean words, with a particle on some (loadParticles),
	// so that the index holds a realistic Korean vocabulary and its stems and
	// compound suffixes.
	loadFillerKo = strings.Fields("가격 출시 업데이트 화면 카메라 리뷰 배송 환불 고객센터 서비스 성능 보안 기능 오류 수정 요금제 " +
		"구독 할인 충전기 케이스 무게 디자인 색상 사용자 후기 추천 문의 답변 교환 스마트폰 노트북 이어폰 태블릿 " +
		"블루투스 무선충전 고속충전 발열 소음 품질 가성비 신제품 매장 온라인 이벤트 쿠폰 회원 앱 알림")
	loadParticles = []string{"", "", "은", "는", "이", "가", "을", "를", "의", "에서", "도", "으로"}
)

// LoadOptions configure Loadtest; cmd/earshot-bench's loadtest flags set them.
type LoadOptions struct {
	N        int           // mentions to generate (1,000..20,000,000)
	Duration time.Duration // per scenario (at most 5m)
	Clients  int           // concurrent clients (1..256)
	DataDir  string        // "" = a temporary one, removed at the end; an existing store is reused
	Broad    bool          // also measure whole-corpus queries (no keyword)
	Version  string
	Out      io.Writer
	Logger   zerolog.Logger
}

// Check reports settings outside the load test's bounds.
func (o LoadOptions) Check() error {
	if o.N < 1000 || o.N > 20_000_000 || o.Clients < 1 || o.Clients > 256 || o.Duration <= 0 || o.Duration > 5*time.Minute {
		return errors.New("loadtest: -n 1000..20000000, -clients 1..256, -duration up to 5m")
	}
	return nil
}

// Loadtest generates mentions into a store, serves the search API on
// loopback and drives it with concurrent clients per scenario, printing
// p50/p95/p99 and errors against the targets.
func Loadtest(ctx context.Context, o LoadOptions) error {
	if err := o.Check(); err != nil {
		return err
	}
	stdout, n, dur, clients, dataDir := o.Out, &o.N, &o.Duration, &o.Clients, &o.DataDir
	if *dataDir == "" {
		dir, err := os.MkdirTemp("", "earshot-loadtest-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dataDir = dir
	}
	st, err := store.Open(*dataDir, store.Options{Logger: o.Logger})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := generate(ctx, st, *n, stdout); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	api := web.New(web.Options{Searcher: st, Stats: st, Logger: zerolog.Nop(), Brands: loadBrands, Networks: loadNetworks, Version: o.Version})
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- api.Serve(sctx, ln) }()
	defer func() { stop(); <-served }()
	base := "http://" + ln.Addr().String()

	fmt.Fprintf(stdout, "\n%d clients, %s per scenario, on %s; corpus %d mentions\n\n", *clients, *dur, base, st.Stats().Mentions)
	fmt.Fprintf(stdout, "%-34s %7s %8s %8s %8s %8s %6s\n", "scenario", "matches", "requests", "p50", "p95", "p99", "errors")
	end := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	from := end.AddDate(0, 0, -30).Format(time.DateOnly)
	failed := false
	for _, tm := range loadTerms {
		q := cmp.Or(tm.query, tm.word)
		kw := url.Values{"q": {q}, "facets": {"none"}}
		fc := url.Values{"q": {q}, "facets": {"brand,network,day"}, "from": {from}, "size": {"1"}}
		for _, sc := range []struct {
			name   string
			v      url.Values
			target time.Duration
		}{
			{fmt.Sprintf("keyword %q (%.1f%%)", q, tm.rate*100), kw, targetKeywordP95},
			{fmt.Sprintf("faceted %q brand×network×day", q), fc, targetFacetedP95},
		} {
			res, err := drive(ctx, base+"/api/search?"+sc.v.Encode(), *clients, *dur)
			if err != nil {
				return err
			}
			failed = res.print(stdout, sc.name, sc.target) || failed
		}
	}
	if o.Broad {
		for _, sc := range []struct {
			name string
			v    url.Values
		}{
			{"broad: newest, no facets", url.Values{"facets": {"none"}}},
			{"broad: brand×network facets (100%)", url.Values{"facets": {"brand,network"}, "size": {"1"}}},
		} {
			res, err := drive(ctx, base+"/api/search?"+sc.v.Encode(), *clients, *dur)
			if err != nil {
				return err
			}
			res.print(stdout, sc.name, 0)
		}
	}
	if failed {
		return errors.New("load test: a target was missed or a request failed")
	}
	fmt.Fprintln(stdout, "\nall targets met, no errors")
	return nil
}

// generate commits n mentions (unless the store has them already) and waits
// for the index.
func generate(ctx context.Context, st *store.Store, n int, w io.Writer) error {
	have := st.Stats().Mentions
	start := time.Now()
	if have >= uint64(n) {
		fmt.Fprintf(w, "store already holds %d mentions; waiting for its index\n", have)
		return waitIndex(ctx, st, w)
	}
	r := rand.New(rand.NewPCG(7, 42))
	end := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	const chunk = 1000
	batch := make([]store.Mention, 0, chunk)
	for i := int(have); i < n; i++ {
		batch = append(batch, genMention(r, i, end))
		if len(batch) == chunk || i == n-1 {
			if _, err := st.Commit("loadtest", batch, []byte(strconv.Itoa(i))); err != nil {
				return err
			}
			batch = batch[:0]
			if err := ctx.Err(); err != nil {
				return err
			}
			if (i+1)%100_000 == 0 {
				fmt.Fprintf(w, "  committed %d of %d (%s)\n", i+1, n, time.Since(start).Round(time.Second))
			}
		}
	}
	fmt.Fprintf(w, "committed %d mentions in %s; indexing…\n", n-int(have), time.Since(start).Round(time.Millisecond))
	return waitIndex(ctx, st, w)
}

// waitIndex waits until the index holds every committed mention (a new or
// rebuilt index), printing progress.
func waitIndex(ctx context.Context, st *store.Store, w io.Writer) error {
	idx := time.Now()
	done := make(chan error, 1)
	go func() { done <- st.Sync(ctx) }()
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("index: %w", err)
			}
			fmt.Fprintf(w, "indexed in %s\n", time.Since(idx).Round(time.Millisecond))
			return nil
		case <-tick.C:
			s := st.Stats()
			fmt.Fprintf(w, "  indexed %d of %d\n", s.IndexedSeq, s.LastSeq)
		}
	}
}

func genMention(r *rand.Rand, i int, end time.Time) store.Mention {
	words := make([]string, 0, 24)
	lang := "en"
	if r.Float64() < loadKorean {
		lang = "ko"
	}
	for range 12 + r.IntN(12) {
		if lang == "ko" {
			words = append(words, loadFillerKo[r.IntN(len(loadFillerKo))]+loadParticles[r.IntN(len(loadParticles))])
		} else {
			words = append(words, loadFiller[r.IntN(len(loadFiller))])
		}
	}
	x := r.Float64()
	acc := 0.0
	for _, t := range loadTerms {
		if acc += t.rate; x < acc {
			words[r.IntN(len(words))] = t.word
			break
		}
	}
	brand := loadBrands[r.IntN(len(loadBrands))]
	words = append([]string{brand}, words...)
	nw := loadNetworks[r.IntN(len(loadNetworks))]
	pub := end.Add(-time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
	labels := []string{"positive", "neutral", "negative"}
	eng := r.Int64N(500)
	return store.Mention{
		ID: fmt.Sprintf("%s:lt%d", nw, i), Network: nw, Source: "loadtest", NativeID: "lt" + strconv.Itoa(i),
		URL: "https://example.com/" + strconv.Itoa(i), Text: strings.Join(words, " "), Kind: store.KindMention,
		Author: "user" + strconv.Itoa(r.IntN(50000)), Published: pub, Fetched: pub.Add(time.Minute), Lang: lang,
		Engagement: map[string]int64{"points": eng}, EngagementTotal: eng, Brands: []string{brand},
		Sentiment: r.Float64()*2 - 1, SentimentLabel: labels[r.IntN(3)],
	}
}

type loadResult struct {
	lat     []time.Duration
	errors  int
	matches uint64
	lastErr string
}

// drive runs clients loops GETting target for d and collects latencies.
func drive(ctx context.Context, target string, clients int, d time.Duration) (*loadResult, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	// One warm-up request, which also reads the match count.
	var total struct {
		Total uint64 `json:"total"`
	}
	if err := getJSONTo(ctx, client, target, &total); err != nil {
		return nil, fmt.Errorf("warm-up %s: %w", target, err)
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	res := &loadResult{matches: total.Total}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var lat []time.Duration
			errs, last := 0, ""
			for ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = errors.New(resp.Status)
					}
				}
				if ctx.Err() != nil {
					break // cut off by the end of the run: not a server error
				}
				if err != nil {
					errs++
					last = err.Error()
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errors += errs
			if last != "" {
				res.lastErr = last
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(res.lat)
	return res, nil
}

// getJSONTo GETs target and decodes its JSON body into v; with v nil the
// body is read and discarded. A status other than 200 is an error.
func getJSONTo(ctx context.Context, c *http.Client, target string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s: %s: %s", target, resp.Status, b)
	}
	if v == nil {
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<20))
		return err
	}
	return jsonDecode(resp.Body, v)
}

func (r *loadResult) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[min(len(r.lat)-1, int(float64(len(r.lat))*p))]
}

// print writes one line and reports whether the scenario failed its target
// (target 0: informational).
func (r *loadResult) print(w io.Writer, name string, target time.Duration) bool {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
	verdict := ""
	failed := r.errors > 0 || len(r.lat) == 0
	if target > 0 {
		if r.pct(0.95) > target {
			failed = true
		}
		verdict = fmt.Sprintf("  target p95 ≤ %s: ", target)
		if failed {
			verdict += "MISSED"
		} else {
			verdict += "ok"
		}
	}
	fmt.Fprintf(w, "%-34s %7d %8d %8s %8s %8s %6d%s\n", name, r.matches, len(r.lat), ms(r.pct(0.50)), ms(r.pct(0.95)), ms(r.pct(0.99)), r.errors, verdict)
	if r.lastErr != "" {
		fmt.Fprintf(w, "    last error: %s\n", r.lastErr)
	}
	return target > 0 && failed
}

func jsonDecode(r io.Reader, v any) error {
	return json.NewDecoder(io.LimitReader(r, 64<<20)).Decode(v)
}
