package daemon

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// reloadTimeout bounds how long a SIGHUP waits for the swap.
const reloadTimeout = 2 * time.Minute

// RunWithSignals is Run for a process: SIGINT and SIGTERM stop it (in-flight
// fetches drain, the store closes cleanly) and every SIGHUP reloads the
// config file (ReloadFile; a rejected reload is logged and reported, and
// the running config stays).
func (d *Daemon) RunWithSignals(ctx context.Context) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go d.reloadOnSignal(runCtx, hup)
	return d.Run(runCtx)
}

// reloadOnSignal reloads the config on every signal received on sig until
// ctx ends. Errors are logged and recorded by the reload itself.
func (d *Daemon) reloadOnSignal(ctx context.Context, sig <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-sig:
			d.log.Info().Msg("SIGHUP: reloading the config")
			rctx, cancel := context.WithTimeout(ctx, reloadTimeout)
			_ = d.ReloadFile(rctx)
			cancel()
		}
	}
}
