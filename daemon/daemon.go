package daemon

import (
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/analysis/enrich"
	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/cluster"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/listener/refresh"
	"github.com/earshot/earshot/listener/registry"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
	"github.com/earshot/earshot/web/metrics"
)

// Options are what a Daemon takes besides its config.
type Options struct {
	Logger zerolog.Logger
	Clock  func() time.Time // default time.Now
	// Version is the build's version: the API reports it and every
	// outgoing User-Agent carries it.
	Version string
	// HostGap is the minimum gap between two requests to one host (0 = the
	// fetcher's polite default; negative = none, for the local demo replay).
	HostGap time.Duration
	// Load re-reads the config for ReloadFile (SIGHUP); nil = the daemon
	// runs a built-in config (the demo's) and ReloadFile refuses.
	Load func() (*config.Config, error)
}

// Daemon is one running Earshot: store, scheduler and HTTP API. The store,
// the listening socket and the API live as long as the Daemon; the config
// and the scheduler built from it are replaced by Reload.
type Daemon struct {
	log     zerolog.Logger
	clock   func() time.Time
	opts    Options
	store   *store.Store
	api     *web.Server
	ln      net.Listener
	metrics *metrics.Registry
	load    func() (*config.Config, error)

	reloads chan reloadReq // served by Run

	alerts *alerts.Engine // the store's commit hook; rules swapped by install
	// cluster is this node's membership of a cluster ([cluster]); nil alone.
	cluster *cluster.Node
	// reports serves the API's, the page's and the digest's reports,
	// kept while exact (reportcache.go).
	reports *report.Cache

	mu     sync.Mutex // guards the fields below
	cfg    *config.Config
	sched  *ingest.Scheduler
	digest *digest.Runner
	// refresh re-reads recent mentions' engagement (listener/refresh).
	refresh *refresh.Refresher
	status  web.ConfigStatus
}

// built is everything built from one config that a reload replaces.
type built struct {
	cfg             *config.Config
	sched           *ingest.Scheduler
	digest          *digest.Runner
	refresh         *refresh.Refresher
	alerts          *alerts.Rules
	brands, network []string
}

// Open builds everything fallible (store, matcher, sources, digest,
// listening socket) before anything runs, so a bad setup fails at once and
// leaves nothing open.
func Open(cfg *config.Config, opts Options) (*Daemon, error) {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	d := &Daemon{log: opts.Logger, clock: opts.Clock, opts: opts, load: opts.Load,
		metrics: metrics.New(), reloads: make(chan reloadReq)}
	// The cluster first: a new data dir restores the cluster's snapshot
	// before its store opens.
	if err := d.openCluster(cfg); err != nil {
		return nil, err
	}
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: d.log, Clock: d.clock})
	if err != nil {
		d.closeCluster()
		return nil, err
	}
	d.store = st
	logSearchPriority(d.log, st)
	d.reports = report.NewCache(st, st, report.CacheOptions{Config: d.Config, Clock: d.clock, Logger: d.log, Background: st.Background}) // reportcache.go
	if err := d.openAlerts(cfg); err != nil {
		d.closeCluster()
		st.Close()
		return nil, fmt.Errorf("alerts: %w", err)
	}
	rt, err := d.build(cfg)
	if err != nil {
		d.closeCluster()
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Earshot.Listen)
	if err != nil {
		d.closeCluster()
		st.Close()
		return nil, fmt.Errorf("listen on %s: %w", cfg.Earshot.Listen, err)
	}
	d.ln = ln
	if err := d.metrics.AddStore(st); err != nil {
		d.closeCluster()
		st.Close()
		ln.Close()
		return nil, fmt.Errorf("metrics: %w", err)
	}
	d.metrics.SetHealth(healthView{d})
	d.metrics.ConfigReloadTime.Set(float64(d.clock().Unix()))
	d.install(rt)
	d.status = web.ConfigStatus{File: cfg.File, LoadedAt: d.clock()}
	d.api = web.New(web.Options{Searcher: st, Health: healthView{d}, Stats: st, Config: d, Metrics: d.metrics,
		Logger: d.log, Clock: d.clock, Zone: func() *time.Location { return d.Config().Earshot.Location }, Brands: rt.brands, Networks: rt.network, Version: opts.Version,
		Token: cfg.Earshot.APIToken, Reporter: d.reports, Backuper: st, Alerts: alertHistory{d.alerts},
		Listen: cfg.Earshot.Listen, AllowedHosts: cfg.HTTPHosts(), TrustedProxies: cfg.Earshot.ProxyPrefixes(),
		Unsubscribe: &digest.Unsubscriber{Store: st, Clock: d.clock}})
	return d, nil
}

// build makes the parts of a config that can fail: matcher, sentiment,
// sources, digest. Nothing runs yet and nothing is replaced.
func (d *Daemon) build(cfg *config.Config) (*built, error) {
	m, err := match.New(cfg.Brands, cfg.Topics)
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	an, err := sentiment.New(sentiment.Options{Overrides: enrich.Overrides(cfg.Sentiment), Logger: d.log})
	if err != nil {
		return nil, fmt.Errorf("sentiment: %w", err)
	}
	ua := httpx.UserAgent(d.opts.Version, cfg.Earshot.Contact)
	fetcher := httpx.New(httpx.Options{UserAgent: ua, Clock: d.clock, PerHostInterval: d.opts.HostGap})
	st := d.store
	// In a cluster a source's daily allowance is counted in KV, so the
	// node that takes its lease over spends from the same count.
	var spender ingest.Spender = st
	if d.cluster != nil {
		spender = d.cluster.Budgets()
	}
	budgets := map[string]*ingest.Budget{}
	jobs, err := registry.Jobs(cfg, registry.Deps{Fetcher: fetcher, Clock: d.clock, Logger: d.log, UserAgent: ua,
		Version: d.opts.Version,
		Budget: func(source string, limit int, loc *time.Location) listener.Budget {
			if loc == nil {
				loc = cfg.Earshot.Location
			}
			b := &ingest.Budget{Store: spender, Key: source, Limit: limit, Loc: loc, Clock: d.clock}
			budgets[source] = b
			return b
		}})
	if err != nil {
		return nil, err
	}
	rf := d.refresher(jobs, budgets)
	for i := range jobs {
		jobs[i].Source = &gated{Source: instrument(d.metrics, jobs[i].Source, d.clock), st: d.store}
	}
	sink, ledger := d.clustered(cfg, jobs)
	sched := ingest.NewScheduler(jobs, ingest.Options{Logger: d.log, Clock: d.clock, Matcher: m, Sink: sink,
		Enrich: enrich.New(an, cfg.Brands).Enrich})
	dg, err := digest.New(digest.Options{Config: cfg, Ledger: ledger, OptOuts: st, Logger: d.log, Clock: d.clock,
		Build:  d.reports.Report,
		OnSend: func(_ string, err error) { d.metrics.DigestSent(err) }})
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	rules, err := d.alerts.Prepare(cfg)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	brands, networks := Names(cfg)
	return &built{cfg: cfg, sched: sched, digest: dg, refresh: rf, alerts: rules, brands: brands, network: networks}, nil
}

// Names lists the config's brand names and its sources' networks (each
// once, in config order): the values the API's filters accept.
func Names(cfg *config.Config) (brands, networks []string) {
	for _, b := range cfg.Brands {
		brands = append(brands, b.Name)
	}
	for _, s := range cfg.Sources {
		if !slices.Contains(networks, s.Network) {
			networks = append(networks, s.Network)
		}
	}
	return brands, networks
}

func (d *Daemon) install(rt *built) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cfg, d.sched, d.digest, d.refresh = rt.cfg, rt.sched, rt.digest, rt.refresh
	d.alerts.Install(rt.alerts) // atomic: a commit sees the old rules or the new
}

// Health reports the current scheduler's sources.
func (d *Daemon) Health() []ingest.SourceHealth {
	return d.scheduler().Health()
}

// ConfigStatus reports the running config and the last reload error
// (web.ConfigReporter).
func (d *Daemon) ConfigStatus() web.ConfigStatus {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.status
	st.RestartNeeded = append([]string(nil), st.RestartNeeded...)
	return st
}

func (d *Daemon) scheduler() *ingest.Scheduler {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sched
}

// Config is the config in force.
func (d *Daemon) Config() *config.Config {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cfg
}

// Store is the daemon's store, open from Open until Run returns or Close.
func (d *Daemon) Store() *store.Store { return d.store }

// Addr is the URL the API answers on.
func (d *Daemon) Addr() string { return "http://" + d.ln.Addr().String() }

// Close releases a Daemon that was opened but never Run (Run closes
// everything itself when it returns).
func (d *Daemon) Close() error {
	d.ln.Close()
	defer d.closeCluster()
	return d.store.Close()
}
