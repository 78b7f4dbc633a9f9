package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/enrich"
	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/listener/registry"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
	"github.com/earshot/earshot/web/metrics"
)

func newLogger(level string, w io.Writer) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	// Sources log from their own goroutines: serialise the writes.
	out := zerolog.ConsoleWriter{Out: zerolog.SyncWriter(w), TimeFormat: time.TimeOnly}
	if f, ok := w.(*os.File); !ok || !isTerminal(f) {
		out.NoColor = true
	}
	return zerolog.New(out).Level(lvl).With().Timestamp().Logger()
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// daemon is one running Earshot: store, scheduler and HTTP API. The store,
// the listening socket and the API live as long as the process; the config
// and the scheduler built from it are replaced by a reload (SIGHUP).
type daemon struct {
	log     zerolog.Logger
	clock   func() time.Time
	hostGap time.Duration
	store   *store.Store
	api     *web.Server
	ln      net.Listener
	metrics *metrics.Registry
	// load re-reads the config for a reload; nil = reloads are refused
	// (built-in configs such as the demo's).
	load func() (*config.Config, error)

	reloads chan chan error // reload requests, served by run

	mu     sync.Mutex // guards the fields below
	cfg    *config.Config
	sched  *ingest.Scheduler
	digest *digest.Runner
	status web.ConfigStatus
}

// cfgRuntime is everything built from one config that a reload replaces.
type cfgRuntime struct {
	cfg             *config.Config
	sched           *ingest.Scheduler
	digest          *digest.Runner
	brands, network []string
}

// openDaemon builds everything fallible (store, matcher, sources, listener
// socket) before anything runs, so a bad setup fails at once.
// hostGap is the minimum gap between two requests to one host (0 = the
// fetcher's polite default; negative = none, for the local demo replay).
func openDaemon(cfg *config.Config, log zerolog.Logger, clock func() time.Time, hostGap time.Duration) (*daemon, error) {
	d := &daemon{log: log, clock: clock, hostGap: hostGap, metrics: metrics.New(), reloads: make(chan chan error)}
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: log, Clock: clock})
	if err != nil {
		return nil, err
	}
	d.store = st
	rt, err := d.build(cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Earshot.Listen)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("listen on %s: %w", cfg.Earshot.Listen, err)
	}
	d.ln = ln
	if err := d.metrics.AddStore(st); err != nil {
		st.Close()
		ln.Close()
		return nil, fmt.Errorf("metrics: %w", err)
	}
	d.metrics.SetHealth(d)
	d.metrics.ConfigReloadTime.Set(float64(clock().Unix()))
	d.install(rt)
	d.status = web.ConfigStatus{File: cfg.File, LoadedAt: clock()}
	d.api = web.New(web.Options{Searcher: st, Health: d, Stats: st, Config: d, Metrics: d.metrics, Logger: log, Clock: clock,
		Brands: rt.brands, Networks: rt.network, Version: version, Token: cfg.Earshot.APIToken,
		Reporter: report.NewBuilder(st, d.config), Backuper: st})
	return d, nil
}

// build makes the parts of a config that can fail: matcher, sentiment,
// sources. Nothing runs yet and nothing is replaced.
func (d *daemon) build(cfg *config.Config) (*cfgRuntime, error) {
	m, err := match.New(cfg.Brands, cfg.Topics)
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	an, err := sentiment.New(sentiment.Options{Overrides: enrich.Overrides(cfg.Sentiment), Logger: d.log})
	if err != nil {
		return nil, fmt.Errorf("sentiment: %w", err)
	}
	ua := httpx.UserAgent(version, cfg.Earshot.Contact)
	fetcher := httpx.New(httpx.Options{UserAgent: ua, Clock: d.clock, PerHostInterval: d.hostGap})
	st := d.store
	jobs, err := registry.Jobs(cfg, registry.Deps{Fetcher: fetcher, Clock: d.clock, Logger: d.log, UserAgent: ua,
		Budget: func(source string, limit int, loc *time.Location) listener.Budget {
			if loc == nil {
				loc = cfg.Earshot.Location
			}
			return &ingest.Budget{Store: st, Key: source, Limit: limit, Loc: loc, Clock: d.clock}
		}})
	if err != nil {
		return nil, err
	}
	for i := range jobs {
		jobs[i].Source = d.metrics.InstrumentSource(jobs[i].Source, d.clock)
	}
	sched := ingest.NewScheduler(jobs, ingest.Options{Logger: d.log, Clock: d.clock, Matcher: m, Sink: st,
		Enrich: enrich.New(an, cfg.Brands).Enrich})
	dg, err := digest.New(digest.Options{Config: cfg, Ledger: st, Logger: d.log, Clock: d.clock,
		Build: func(ctx context.Context, req report.Request) (*report.Report, error) {
			return report.Build(ctx, st, req)
		},
		OnSend: func(_ string, err error) { d.metrics.DigestSent(err) }})
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	rt := &cfgRuntime{cfg: cfg, sched: sched, digest: dg}
	for _, b := range cfg.Brands {
		rt.brands = append(rt.brands, b.Name)
	}
	for _, s := range cfg.Sources {
		if !contains(rt.network, s.Network) {
			rt.network = append(rt.network, s.Network)
		}
	}
	return rt, nil
}

func (d *daemon) install(rt *cfgRuntime) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cfg, d.sched, d.digest = rt.cfg, rt.sched, rt.digest
}

// Health reports the current scheduler's sources (web.HealthReporter).
func (d *daemon) Health() []ingest.SourceHealth {
	d.mu.Lock()
	s := d.sched
	d.mu.Unlock()
	return s.Health()
}

// ConfigStatus reports the running config and the last reload error
// (web.ConfigReporter).
func (d *daemon) ConfigStatus() web.ConfigStatus {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.status
	st.RestartNeeded = append([]string(nil), st.RestartNeeded...)
	return st
}

func (d *daemon) scheduler() *ingest.Scheduler {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sched
}

func (d *daemon) config() *config.Config {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cfg
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// run serves the API and runs the scheduler until ctx is cancelled, then
// drains in-flight fetches, stops the server and closes the store. Reload
// requests are served here, between the scheduler's runs.
func (d *daemon) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	apiErr := make(chan error, 1)
	go func() { apiErr <- d.api.Serve(ctx, d.ln) }()
	retentionDone := make(chan struct{})
	go func() { // daily pruning of mentions older than [earshot] retention
		defer close(retentionDone)
		runRetention(ctx, d.store, d.config, d.log, d.clock)
	}()
	stopSched, schedErr := d.startScheduler(ctx)

	var first error
	apiDone := false
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err := <-apiErr:
			first, apiDone = err, true
			break loop
		case err := <-schedErr:
			if err != nil {
				first = err
				break loop
			}
		case done := <-d.reloads:
			var err error
			stopSched, schedErr, err = d.reload(ctx, stopSched, schedErr)
			done <- err
		}
	}
	cancel()
	stopSched() // drains in-flight fetches
	<-retentionDone
	if !apiDone {
		if err := <-apiErr; err != nil && first == nil {
			first = err
		}
	}
	if err := d.store.Close(); err != nil && first == nil {
		first = err
	}
	if first != nil && !errors.Is(first, context.Canceled) {
		return first
	}
	return nil
}

// startScheduler runs the current scheduler under its own context. stop
// cancels it and waits until Run has returned (every in-flight fetch and
// commit has finished); errc reports Run's early failure.
func (d *daemon) startScheduler(ctx context.Context) (stop func(), errc <-chan error) {
	sctx, cancel := context.WithCancel(ctx)
	sched := d.scheduler()
	d.mu.Lock()
	dg := d.digest
	d.mu.Unlock()
	var wg sync.WaitGroup
	ec := make(chan error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := sched.Run(sctx); err != nil {
			ec <- err
		}
	}()
	go func() { // the weekly digest, on the same config as the scheduler
		defer wg.Done()
		if err := dg.Run(sctx); err != nil && sctx.Err() == nil {
			d.log.Error().Err(err).Msg("digest runner stopped")
		}
	}()
	return func() { cancel(); wg.Wait() }, ec
}

// requestReload asks run to reload the config and waits for the outcome.
func (d *daemon) requestReload(ctx context.Context) error {
	done := make(chan error, 1)
	select {
	case d.reloads <- done:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// addr is the URL the API answers on.
func (d *daemon) addr() string { return "http://" + d.ln.Addr().String() }
