package daemon

import (
	"context"
	"errors"
	"sync"

	"github.com/earshot/earshot/config"
)

// Run serves the API and runs the scheduler, the digest and the retention
// loop until ctx is cancelled, then drains in-flight fetches, stops the
// server and closes the store. Reloads are served here, between the
// scheduler's runs. A Daemon runs once.
func (d *Daemon) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	apiErr := make(chan error, 1)
	go func() { apiErr <- d.api.Serve(ctx, d.ln) }()
	retentionDone := make(chan struct{})
	go func() { // daily pruning of mentions older than [earshot] retention
		defer close(retentionDone)
		runRetention(ctx, d.store, d.Config, d.log, d.clock)
	}()
	var bg sync.WaitGroup
	bg.Go(func() { runVerify(ctx, d.store, d.log, d.clock) }) // weekly, low priority
	bg.Go(func() { runIndexMaint(ctx, d.store, d.log) })      // complete weeks' index partitions merged, throttled
	bg.Go(func() { d.resumeSources(ctx) })                    // prompt fetches after a disk-full pause
	bg.Go(func() { _ = d.alerts.Run(ctx) })                   // alert deliveries, retries, ended spikes, source rules
	bg.Go(func() { d.rescore(ctx) })                          // mentions scored by older sentiment models
	bg.Go(func() { d.runPhrases(ctx) })                       // the weekly report's phrase sample, tagged ahead
	bg.Go(func() { d.runReports(ctx) })                       // the weekly report kept built (reportcache.go)
	d.runCluster(ctx, &bg)                                    // leases and the replicated log, when in a cluster
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
		case req := <-d.reloads:
			var err error
			stopSched, schedErr, err = d.reload(ctx, req.load, stopSched, schedErr)
			req.done <- err
		}
	}
	cancel()
	stopSched() // drains in-flight fetches
	<-retentionDone
	bg.Wait()
	if !apiDone {
		if err := <-apiErr; err != nil && first == nil {
			first = err
		}
	}
	d.reports.Wait() // a background report rebuild reads the store
	if err := d.store.Close(); err != nil && first == nil {
		first = err
	}
	d.closeCluster()
	if first != nil && !errors.Is(first, context.Canceled) {
		return first
	}
	return nil
}

// startScheduler runs the current scheduler, digest and engagement
// refresher under their own context. stop cancels them and waits until both have returned (every
// in-flight fetch and commit has finished); errc reports the scheduler's
// early failure.
func (d *Daemon) startScheduler(ctx context.Context) (stop func(), errc <-chan error) {
	sctx, cancel := context.WithCancel(ctx)
	d.mu.Lock()
	sched, dg, rf := d.sched, d.digest, d.refresh
	d.mu.Unlock()
	var wg sync.WaitGroup
	ec := make(chan error, 2)
	wg.Go(func() { d.runRefresh(sctx, rf) }) // engagement refresh, on the same sources as the scheduler
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := sched.Run(sctx); err != nil {
			ec <- err
		}
	}()
	go func() { // the weekly digest, on the same config as the scheduler
		defer wg.Done()
		if err := d.runDigest(sctx, dg); err != nil && sctx.Err() == nil {
			d.log.Error().Err(err).Msg("digest runner stopped")
		}
	}()
	return func() { cancel(); wg.Wait() }, ec
}

// reloadReq asks Run to swap in the config load returns.
type reloadReq struct {
	load func() (*config.Config, error)
	done chan error
}

// Reload swaps cfg in through the running Run loop and waits for the
// outcome: everything cfg needs is built first, and on any error the
// running config stays (the error is reported by /api/sources and the
// earshot_config_reload_success metric). It blocks until Run serves it.
func (d *Daemon) Reload(ctx context.Context, cfg *config.Config) error {
	return d.requestReload(ctx, func() (*config.Config, error) { return cfg, nil })
}

// ReloadFile re-reads the config with Options.Load (SIGHUP) and reloads it
// like Reload; a load error is recorded like a build error.
func (d *Daemon) ReloadFile(ctx context.Context) error {
	load := d.load
	if load == nil {
		load = func() (*config.Config, error) {
			return nil, errors.New("this daemon runs a built-in config: nothing to reload")
		}
	}
	return d.requestReload(ctx, load)
}

func (d *Daemon) requestReload(ctx context.Context, load func() (*config.Config, error)) error {
	req := reloadReq{load: load, done: make(chan error, 1)}
	select {
	case d.reloads <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
