package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/analysis/enrich"
	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/listener/registry"
	"github.com/earshot/earshot/store"
	"github.com/earshot/earshot/web"
)

func newLogger(level string, w io.Writer) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	out := zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	if f, ok := w.(*os.File); !ok || !isTerminal(f) {
		out.NoColor = true
	}
	return zerolog.New(out).Level(lvl).With().Timestamp().Logger()
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// daemon is one running Earshot: store, scheduler and HTTP API.
type daemon struct {
	cfg   *config.Config
	log   zerolog.Logger
	store *store.Store
	sched *ingest.Scheduler
	api   *web.Server
	ln    net.Listener
}

// openDaemon builds everything fallible (store, matcher, sources, listener
// socket) before anything runs, so a bad setup fails at once.
// hostGap is the minimum gap between two requests to one host (0 = the
// fetcher's polite default; negative = none, for the local demo replay).
func openDaemon(cfg *config.Config, log zerolog.Logger, clock func() time.Time, hostGap time.Duration) (*daemon, error) {
	m, err := match.New(cfg.Brands, cfg.Topics)
	if err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	an, err := sentiment.New(sentiment.Options{Overrides: enrich.Overrides(cfg.Sentiment), Logger: log})
	if err != nil {
		return nil, fmt.Errorf("sentiment: %w", err)
	}
	fetcher := httpx.New(httpx.Options{UserAgent: httpx.UserAgent(version, cfg.Earshot.Contact), Clock: clock,
		PerHostInterval: hostGap})
	st, err := store.Open(cfg.Earshot.DataDir, store.Options{Logger: log, Clock: clock})
	if err != nil {
		return nil, err
	}
	jobs, err := registry.Jobs(cfg, registry.Deps{Fetcher: fetcher, Clock: clock, Logger: log,
		UserAgent: httpx.UserAgent(version, cfg.Earshot.Contact),
		Budget: func(source string, limit int, loc *time.Location) listener.Budget {
			if loc == nil {
				loc = cfg.Earshot.Location
			}
			return &ingest.Budget{Store: st, Key: source, Limit: limit, Loc: loc, Clock: clock}
		}})
	if err != nil {
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Earshot.Listen)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("listen on %s: %w", cfg.Earshot.Listen, err)
	}
	sched := ingest.NewScheduler(jobs, ingest.Options{Logger: log, Clock: clock, Matcher: m, Sink: st,
		Enrich: enrich.New(an, cfg.Brands).Enrich})
	var brands, networks []string
	for _, b := range cfg.Brands {
		brands = append(brands, b.Name)
	}
	for _, s := range cfg.Sources {
		if !contains(networks, s.Network) {
			networks = append(networks, s.Network)
		}
	}
	api := web.New(web.Options{Searcher: st, Health: sched, Stats: st, Logger: log, Clock: clock,
		Brands: brands, Networks: networks, Version: version})
	return &daemon{cfg: cfg, log: log, store: st, sched: sched, api: api, ln: ln}, nil
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
// drains in-flight fetches, stops the server and closes the store.
func (d *daemon) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 2)
	go func() { errc <- d.api.Serve(ctx, d.ln) }()
	go func() { errc <- d.sched.Run(ctx) }()
	var first error
	for i := 0; i < 2; i++ {
		if err := <-errc; err != nil && first == nil {
			first = err
			cancel() // one part failed: stop the other
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

// addr is the URL the API answers on.
func (d *daemon) addr() string { return "http://" + d.ln.Addr().String() }
