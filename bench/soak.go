package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/enrich"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// Soak targets on a 2-core machine (docs/performance.md).
const (
	soakTargetRate    = 4000.0 // mentions/s sustained, committed and indexed
	soakTargetRatio   = 0.85   // of bare bleve batch indexing
	soakTargetRSS     = 2 << 30
	soakTargetStartup = 2 * time.Second
	soakTargetReport  = 200 * time.Millisecond // weekly report p95
)

// The generated stream's span: 52 weeks ending on Monday 2026-11-30 00:00
// UTC (the soak's "now"), 4× denser at its end than at its start.
var (
	soakStart  = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	soakGrowth = 4.0
)

// soakBrands are the generator's brands; the first is the own brand.
var soakBrands = []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Soylent", "Cyberdyne"}

// soakTerms are generator words matching about 1–5% of the mentions each
// (Zipf ranks 55–95 of the English list, mid ranks of the Korean one).
var soakTerms = []string{"warranty", "bluetooth", "reboot", "discount", "podcast", "keyboard", "memory", "대기", "메모리", "keyboard lag"}

// SoakOptions configure Soak; cmd/earshot-bench's soak flags set them.
type SoakOptions struct {
	N          int     // mentions to generate and ingest (100..20,000,000)
	Clients    int     // concurrent search clients on loopback (0..64)
	Batch      int     // posts per fetch, one Commit each (1..10,000)
	Sources    int     // sources ingesting in parallel (1..16)
	Sample     int     // mentions in the bare bleve baseline (0: skip)
	QPS        float64 // total query rate of all clients (0: closed loop)
	Rate       float64 // posts per second the fake network hands out (0: no limit)
	Every      time.Duration
	Dir        string // data directory, must be empty ("" = a temporary one)
	Keep       bool   // keep the data directory
	Seed       int64
	CPUProfile string // file for a CPU profile of the pipeline phase (with Bulk: the live phase only; "" = none)
	// Bulk loads the N mentions through the store's Commit in batches of
	// BulkBatch (no listener pipeline), then runs the live phase: Rate × Live
	// more mentions through the real pipeline, paced at Rate, while the
	// clients search. Without Bulk the N mentions go through the pipeline.
	Bulk           bool
	BulkBatch      int           // mentions per Commit in the bulk load (100..50,000)
	IndexBatch     int           // the store's bleve batch during the bulk load (0: its default)
	Live           time.Duration // length of the live phase (Bulk only, ≥ 1s)
	IdleQueries    int           // searches of each kind on the idle store (0..10,000)
	Reports        int           // weekly reports built on the idle store (0..1,000)
	NoReindex      bool          // skip the reindex
	MapRSSLimit    int64         // the store's Options.MapRSSLimit (0: its default; < 0: never release)
	SearchPriority int           // the store's Options.SearchPriority (0: its default; < 0: searches not raised)
	Merge          bool          // merge the complete weeks' partitions before the live phase (soak_merge.go)
	// Reuse runs the live phase (Bulk) on the store an earlier soak kept
	// in Dir (Keep) instead of loading one: the bulk load, and the weekly
	// reports after it, are skipped, and the live phase's mentions get IDs
	// of their own, so each reuse adds Rate × Live more. For trying a
	// change to the live phase at 10M in minutes, not for the ingest rate.
	Reuse   bool
	Version string
	Out     io.Writer
	Logger  zerolog.Logger
}

// Check reports settings outside the soak's bounds.
func (o SoakOptions) Check() error {
	if o.N < 100 || o.N > 20_000_000 || o.Clients < 0 || o.Clients > 64 || o.Batch < 1 || o.Batch > 10_000 ||
		o.Sources < 1 || o.Sources > 16 || o.Sample < 0 || o.QPS < 0 || o.Rate < 0 || o.Every < 100*time.Millisecond ||
		o.IdleQueries < 0 || o.IdleQueries > 10_000 || o.Reports < 0 || o.Reports > 1000 {
		return errors.New("soak: -n 100..20000000, -clients 0..64, -batch 1..10000, -sources 1..16, -sample ≥ 0, -qps ≥ 0, -rate ≥ 0, -every ≥ 100ms, -idle 0..10000, -reports 0..1000")
	}
	if o.Bulk && (o.BulkBatch < 100 || o.BulkBatch > 50_000 || o.IndexBatch < 0 || o.IndexBatch > 50_000 || o.Rate <= 0 || o.Live < time.Second) {
		return errors.New("soak: -bulk needs -bulk-batch 100..50000, -bulk-index-batch 0..50000, -rate > 0 (the live phase's pace) and -live ≥ 1s")
	}
	if o.Reuse && (!o.Bulk || o.Dir == "") {
		return errors.New("soak: -reuse needs -bulk and -dir (a store an earlier soak kept with -keep)")
	}
	return nil
}

// Soak ingests generated mentions through the real pipeline into a store
// on disk while clients search it, then measures the bare bleve baseline,
// a restart and a reindex, and prints the figures against the targets.
// Failed searches fail it; missed targets are reported.
func Soak(ctx context.Context, o SoakOptions) error {
	_, err := soak(ctx, o)
	return err
}

// soak is Soak, returning the run's figures for the tests.
func soak(ctx context.Context, o SoakOptions) (*soakRun, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	stdout := o.Out
	if o.Dir == "" {
		d, err := os.MkdirTemp("", "earshot-soak-")
		if err != nil {
			return nil, err
		}
		o.Dir = d
	} else if ents, err := os.ReadDir(o.Dir); o.Reuse && len(ents) == 0 {
		return nil, fmt.Errorf("soak: -reuse: no store in %s (%v)", o.Dir, err)
	} else if err == nil && len(ents) > 0 && !o.Reuse {
		return nil, fmt.Errorf("soak: data directory %s is not empty", o.Dir)
	}
	o.Keep = o.Keep || o.Reuse
	if !o.Keep {
		defer os.RemoveAll(o.Dir)
	}
	r := &soakRun{n: o.N, clients: o.Clients, batch: o.Batch, sources: o.Sources, qps: o.QPS, rate: o.Rate, every: o.Every,
		dir: o.Dir, seed: o.Seed, out: stdout, log: o.Logger, version: o.Version, o: o}
	r.gen = gen.New(r.genOptions(r.n))
	r.end = r.gen.End()
	feedGen := r.gen
	if o.Bulk {
		// The live phase's posts are the last day's: the network hands
		// out what is new, not what the bulk load holds.
		r.liveN = int(o.Rate * o.Live.Seconds())
		prefix := "live"
		if o.Reuse { // new mentions, not the kept store's own again
			prefix = fmt.Sprintf("live%d-", time.Now().UnixNano())
		}
		feedGen = gen.New(gen.Options{Seed: r.seed + 1, Mentions: r.liveN, Brands: soakBrands, Start: r.end.Add(-24 * time.Hour),
			Span: 24 * time.Hour, IDPrefix: prefix})
	}
	load, _ := os.ReadFile("/proc/loadavg")
	pipeN := r.n
	if o.Bulk {
		pipeN = r.liveN
		fmt.Fprintf(stdout, "soak: bulk load of %d mentions (Commit, batches of %d), then a live phase of %d mentions through the pipeline (%s) for %s\n",
			r.n, o.BulkBatch, r.liveN, rateText(r.rate), o.Live)
	}
	fmt.Fprintf(stdout, "soak: %d mentions (%s), %d sources × %d posts per fetch, %d search clients (%s), data %s\n",
		pipeN, rateText(r.rate), r.sources, r.batch, r.clients, qpsText(r.qps), r.dir)
	fmt.Fprintf(stdout, "stream: %s to %s, %.0f× denser at the end; last 7 days ≈ %.1f%%, last 30 days ≈ %.1f%% of it\n",
		soakStart.Format(time.DateOnly), r.end.Format(time.DateOnly), soakGrowth, 100*lastShare(7), 100*lastShare(30))
	fmt.Fprintf(stdout, "machine: %d CPUs, GOMAXPROCS %d, GOGC %d, GOMEMLIMIT %s, load average %s\n\n", cpuCount(), runtime.GOMAXPROCS(0), gcPercentNow(), memLimitText(), strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))
	if o.Bulk && !o.Reuse {
		if err := r.bulk(ctx); err != nil {
			return nil, err
		}
	}
	if o.Merge { // index maintenance between the bulk load and the live phase (soak_merge.go)
		if err := r.mergePhase(ctx); err != nil {
			return nil, err
		}
	}
	if o.CPUProfile != "" { // the pipeline's phase: with -bulk, the live phase only
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
	}
	err := r.ingest(ctx, feedGen)
	if o.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return nil, err
	}
	if o.Sample > 0 {
		if err := r.bare(ctx, min(o.Sample, r.n)); err != nil {
			return nil, err
		}
	}
	if err := r.restart(ctx); err != nil {
		return nil, err
	}
	return r, r.printSummary()
}

// soakRun holds one soak's settings and figures.
type soakRun struct {
	n, clients, batch, sources int
	qps, rate                  float64
	every                      time.Duration
	dir                        string
	seed                       int64
	out                        io.Writer
	log                        zerolog.Logger
	version                    string
	o                          SoakOptions
	gen                        *gen.Generator // the stream of N mentions
	end                        time.Time      // the stream's end, the soak's "now"
	liveN                      int            // mentions of the live phase (Bulk)

	bulkPhase, livePhase phase
	reportPhase          phase // the weekly reports after the bulk load: RSS only

	posts, added atomic.Int64
	lat          [nQueryKinds]latencies // while ingesting, by soakQueries kind
	qErrors      atomic.Int64
	qLastErr     atomic.Value

	commitRate, sustained, bareRate float64
	commitDur, catchUp, ingestDur   time.Duration
	maxRSS, maxAnon                 int64
	maxSplit                        rssSplit               // the resident set by map at the max
	idle                            [nQueryKinds]latencies // on the reopened, idle store
	reports                         latencies              // weekly report builds, idle
	served                          latencies              // weekly reports served by report.Cache, idle (soak_bulk.go)
	liveRep                         liveReports            // weekly reports served by report.Cache while ingesting (soak_live_report.go)
	startup, reindex                time.Duration
	stats                           store.Stats
	disk                            []diskEntry
	ingestUse, bareUse, bulkUse     procUsage // CPU and garbage of the two phases
	bareN                           int
}

// ingest runs the generator's posts through the real pipeline into a store
// on disk while the search clients query it, printing progress.
func (r *soakRun) ingest(ctx context.Context, g *gen.Generator) error {
	st, err := store.Open(r.dir, r.storeOptions())
	if err != nil {
		return err
	}
	defer st.Close()
	printSearchPriority(r.out, st)
	pipe, err := soakPipeline(st, r.log)
	if err != nil {
		return err
	}
	base, stopAPI, err := serveAPI(ctx, st, r.version)
	if err != nil {
		return err
	}
	defer stopAPI()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed := make(chan []listener.Post, r.sources)
	go produce(ctx, g, r.batch, r.rate, feed)
	r.maxRSS, r.maxAnon, r.maxSplit = 0, 0, rssSplit{}

	start, use0 := time.Now(), readUsage()
	qctx, stopQueries := context.WithCancel(ctx)
	var qwg sync.WaitGroup
	for i := range r.clients {
		qwg.Go(func() { r.query(qctx, base, i) })
	}
	if r.o.Reports > 0 {
		qwg.Go(func() { r.askReports(qctx, st) })
	}
	defer func() { stopQueries(); qwg.Wait() }()

	errc := make(chan error, r.sources)
	var iwg sync.WaitGroup
	for i := range r.sources {
		src := &feedSource{name: "soak-" + strconv.Itoa(i+1), feed: feed}
		iwg.Go(func() { errc <- r.pump(ctx, pipe, src) })
	}
	committed := make(chan struct{})
	go func() { iwg.Wait(); close(committed) }()

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var indexed chan error
	lastPrint, lastAdded := start, int64(0)
	r.header()
	for {
		select {
		case err := <-errc:
			if err != nil {
				cancel()
				return fmt.Errorf("ingest: %w", err)
			}
		case <-committed:
			committed = nil
			r.commitDur = time.Since(start)
			r.commitRate = float64(r.added.Load()) / r.commitDur.Seconds()
			indexed = make(chan error, 1)
			go func() { indexed <- st.Sync(ctx) }()
		case err := <-indexed:
			if err != nil {
				return fmt.Errorf("wait for index: %w", err)
			}
			r.ingestDur = time.Since(start)
			r.catchUp = r.ingestDur - r.commitDur
			r.sustained = float64(r.added.Load()) / r.ingestDur.Seconds()
			r.ingestUse = readUsage().since(use0)
			r.livePhase = phase{mentions: r.added.Load(), dur: r.ingestDur, maxRSS: r.maxRSS, maxAnon: r.maxAnon, split: r.maxSplit}
			stopQueries()
			qwg.Wait()
			r.progress(st, start, lastPrint, lastAdded)
			if row := r.liveReportRow(); r.o.Reports > 0 {
				fmt.Fprintf(r.out, "weekly report as served while ingesting p95 (p50) %s; %s\n", row.measured, row.mode)
			}
			return nil
		case <-tick.C:
			r.sampleRSS()
			if now := time.Now(); now.Sub(lastPrint) >= r.every-50*time.Millisecond {
				r.progress(st, start, lastPrint, lastAdded)
				lastPrint, lastAdded = now, r.added.Load()
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (r *soakRun) genOptions(n int) gen.Options {
	return gen.Options{Seed: r.seed, Mentions: n, Brands: soakBrands, Start: soakStart, Weeks: 52, Growth: soakGrowth}
}

// lastShare is the share of the stream published in its last days.
func lastShare(days int) float64 { return 1 - gen.Share(1-float64(days)/364, soakGrowth) }

// pump runs src through the pipeline until its feed is drained.
func (r *soakRun) pump(ctx context.Context, pipe *ingest.Pipeline, src *feedSource) error {
	for {
		res, err := pipe.Ingest(ctx, src, time.Minute)
		if err != nil {
			return err
		}
		if src.drained {
			return nil
		}
		r.posts.Add(int64(res.Posts))
		r.added.Add(int64(res.Added))
	}
}

// soakTopics are the topic queries of the pipeline and the weekly report.
var soakTopics = [][2]string{
	{"battery", "battery OR charger OR 배터리 OR 충전기"},
	{"support", "(refund OR ticket OR 환불) AND NOT sale"},
	{"stability", `crash OR freeze OR "reboot" OR 오류`},
}

// soakPipeline is the daemon's pipeline for the generator's brands: the real
// matcher, sentiment enricher and store.
func soakPipeline(st *store.Store, log zerolog.Logger) (*ingest.Pipeline, error) {
	brands := make([]config.Brand, len(soakBrands))
	for i, b := range soakBrands {
		handles := map[string][]string{}
		for _, nw := range gen.Networks {
			handles[nw] = []string{strings.ToLower(b) + "_support"}
		}
		brands[i] = config.Brand{Name: b, Own: i == 0, Handles: handles, Domains: []string{gen.Domain(b)}}
	}
	var topics []config.Topic
	for _, t := range soakTopics {
		q, err := query.Parse(t[1])
		if err != nil {
			return nil, fmt.Errorf("topic %s: %w", t[0], err)
		}
		topics = append(topics, config.Topic{Name: t[0], Query: t[1], Parsed: q})
	}
	m, err := match.New(brands, topics)
	if err != nil {
		return nil, err
	}
	an, err := sentiment.New(sentiment.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	return &ingest.Pipeline{Matcher: m, Sink: st, Enrich: enrich.New(an, brands).Enrich}, nil
}

// feedSource is a listener.Source whose "network" is the generator: each
// Fetch returns the next batch of posts.
type feedSource struct {
	name    string
	feed    <-chan []listener.Post
	fetches int
	drained bool
}

func (f *feedSource) Name() string    { return f.name }
func (f *feedSource) Network() string { return "rss" }

func (f *feedSource) Fetch(ctx context.Context, _ []byte) ([]listener.Post, []byte, error) {
	select {
	case posts, ok := <-f.feed:
		if !ok {
			f.drained = true
			return nil, nil, nil
		}
		f.fetches++
		return posts, []byte(strconv.Itoa(f.fetches)), nil
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// produce turns the generator's mentions back into the posts a network
// would have returned, in batches, at most rate posts per second (0: no
// limit).
func produce(ctx context.Context, g *gen.Generator, size int, rate float64, feed chan<- []listener.Post) {
	defer close(feed)
	posts := make([]listener.Post, 0, size)
	start, sent := time.Now(), 0
	for {
		m, ok := g.Next()
		if ok {
			posts = append(posts, toPost(&m))
		}
		if len(posts) == size || (!ok && len(posts) > 0) {
			if rate > 0 {
				sleepCtx(ctx, time.Until(start.Add(time.Duration(float64(sent)/rate*float64(time.Second)))))
				sent += len(posts)
			}
			select {
			case feed <- posts:
			case <-ctx.Done():
				return
			}
			posts = make([]listener.Post, 0, size)
		}
		if !ok {
			return
		}
	}
}

func toPost(m *store.Mention) listener.Post {
	p := listener.Post{
		Network: m.Network, NativeID: m.NativeID, URL: m.URL, Title: m.Title, Text: m.Text,
		Author: m.Author, AuthorFollowers: m.AuthorFollowers, Published: m.Published, Lang: m.Lang,
		Engagement: m.Engagement, Links: m.Links,
		ReplyTo: strings.TrimPrefix(m.ReplyTo, m.Network+":"),
	}
	if m.Kind == store.KindOwned && len(m.Brands) > 0 {
		p.Owned, p.OwnedBrand = true, m.Brands[0]
	}
	return p
}

// serveAPI serves the search API for st on a loopback port.
func serveAPI(ctx context.Context, st *store.Store, version string) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	api := web.New(web.Options{Searcher: st, Stats: st, Logger: zerolog.Nop(), Brands: soakBrands, Networks: gen.Networks, Version: version})
	sctx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- api.Serve(sctx, ln) }()
	return "http://" + ln.Addr().String(), func() { cancel(); <-served }, nil
}
