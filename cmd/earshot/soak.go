package main

import (
	"context"
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
	"github.com/earshot/earshot/analysis/report/gen"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

// Soak targets on a 2-core machine (issue 8).
const (
	soakTargetRate    = 4000.0 // mentions/s sustained, committed and indexed
	soakTargetRatio   = 0.85   // of bare bleve batch indexing
	soakTargetRSS     = 1 << 30
	soakTargetStartup = 2 * time.Second
	soakTargetReindex = 5 * time.Minute
)

// soakBrands are the generator's brands; the first is the own brand.
var soakBrands = []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Soylent", "Cyberdyne"}

// soakTerms are generator words matching about 1–5% of the mentions each
// (Zipf ranks 55–95 of the English list, mid ranks of the Korean one).
var soakTerms = []string{"warranty", "bluetooth", "reboot", "discount", "podcast", "keyboard", "memory", "대기", "메모리", "keyboard lag"}

func cmdSoak(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("soak", stderr)
	n := fs.Int("n", 1_000_000, "mentions to generate and ingest")
	clients := fs.Int("clients", 4, "concurrent search clients on loopback (0: none)")
	batch := fs.Int("batch", 500, "posts per fetch (one Commit each)")
	sources := fs.Int("sources", 2, "sources ingesting in parallel (one pipeline goroutine each)")
	sample := fs.Int("sample", 100_000, "mentions in the bare bleve baseline (0: skip)")
	qps := fs.Float64("qps", 40, "total query rate of all clients (0: as fast as they can)")
	rate := fs.Float64("rate", 0, "posts per second the fake network hands out (0: as fast as the pipeline takes them)")
	every := fs.Duration("every", 5*time.Second, "progress interval")
	dir := fs.String("dir", "", "data directory, must be empty (default: a temporary one)")
	keep := fs.Bool("keep", false, "keep the data directory")
	seed := fs.Int64("seed", 1, "generator seed")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingest phase to this file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *n < 100 || *n > 20_000_000 || *clients < 0 || *clients > 64 || *batch < 1 || *batch > 10_000 ||
		*sources < 1 || *sources > 16 || *sample < 0 || *qps < 0 || *rate < 0 || *every < 100*time.Millisecond {
		fmt.Fprintln(stderr, "soak: -n 100..20000000, -clients 0..64, -batch 1..10000, -sources 1..16, -sample ≥ 0, -qps ≥ 0, -rate ≥ 0, -every ≥ 100ms")
		return errUsage
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "earshot-soak-")
		if err != nil {
			return err
		}
		*dir = d
	} else if ents, err := os.ReadDir(*dir); err == nil && len(ents) > 0 {
		return fmt.Errorf("soak: data directory %s is not empty", *dir)
	}
	if !*keep {
		defer os.RemoveAll(*dir)
	}
	r := &soakRun{n: *n, clients: *clients, batch: *batch, sources: *sources, qps: *qps, rate: *rate, every: *every,
		dir: *dir, seed: *seed, out: stdout, log: newLogger("warn", stderr)}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(stdout, "soak: %d mentions (%s), %d sources × %d posts per fetch, %d search clients (%s), data %s\n",
		r.n, rateText(r.rate), r.sources, r.batch, r.clients, qpsText(r.qps), r.dir)
	fmt.Fprintf(stdout, "machine: %d CPUs, GOMAXPROCS %d, GOGC %d, load average %s\n\n", cpuCount(), runtime.GOMAXPROCS(0), gcPercentNow(), strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	err := r.ingest(ctx)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	if *sample > 0 {
		if err := r.bare(ctx, min(*sample, r.n)); err != nil {
			return err
		}
	}
	if err := r.restart(ctx); err != nil {
		return err
	}
	return r.printSummary()
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

	posts, added atomic.Int64
	lat          [2]latencies // keyword, faceted
	qErrors      atomic.Int64
	qLastErr     atomic.Value

	commitRate, sustained, bareRate float64
	commitDur, catchUp, ingestDur   time.Duration
	maxRSS, maxAnon                 int64
	idle                            latencies // keyword searches on the reopened, idle store
	startup, reindex                time.Duration
	stats                           store.Stats
	ingestUse, bareUse              procUsage // CPU and garbage of the two phases
	bareN                           int
}

// ingest runs the generator's posts through the real pipeline into a store
// on disk while the search clients query it, printing progress.
func (r *soakRun) ingest(ctx context.Context) error {
	st, err := store.Open(r.dir, store.Options{Logger: r.log})
	if err != nil {
		return err
	}
	defer st.Close()
	pipe, err := soakPipeline(st, r.log)
	if err != nil {
		return err
	}
	base, stopAPI, err := serveAPI(ctx, st)
	if err != nil {
		return err
	}
	defer stopAPI()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed := make(chan []listener.Post, r.sources)
	go produce(ctx, gen.New(r.genOptions(r.n)), r.batch, r.rate, feed)

	start, use0 := time.Now(), readUsage()
	qctx, stopQueries := context.WithCancel(ctx)
	var qwg sync.WaitGroup
	for i := range r.clients {
		qwg.Go(func() { r.query(qctx, base, i) })
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
			stopQueries()
			qwg.Wait()
			r.progress(st, start, lastPrint, lastAdded)
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
	return gen.Options{Seed: r.seed, Mentions: n, Brands: soakBrands}
}

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
	for _, t := range [][2]string{
		{"battery", "battery OR charger OR 배터리 OR 충전기"},
		{"support", "(refund OR ticket OR 환불) AND NOT sale"},
		{"stability", `crash OR freeze OR "reboot" OR 오류`},
	} {
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
func serveAPI(ctx context.Context, st *store.Store) (base string, stop func(), err error) {
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
