package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/earshot/earshot/config"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", stderr)
	path := configFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Earshot.LogLevel, stderr)
	d, err := openDaemon(cfg, log, time.Now, 0)
	if err != nil {
		return err
	}
	d.load = func() (*config.Config, error) { return loadConfig(*path) }
	log.Info().Str("config", *path).Str("api", d.addr()).Int("sources", len(cfg.Sources)).
		Str("data_dir", cfg.Earshot.DataDir).Msg("earshot running; Ctrl-C or SIGTERM stops it, SIGHUP reloads the config")

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go reloadOnSignal(runCtx, d, hup)

	err = d.run(runCtx)
	log.Info().Msg("earshot stopped")
	return err
}

// reloadOnSignal reloads the config on every signal received on sig until
// ctx ends. Errors are logged and recorded by the reload itself.
func reloadOnSignal(ctx context.Context, d *daemon, sig <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-sig:
			d.log.Info().Msg("SIGHUP: reloading the config")
			rctx, cancel := context.WithTimeout(ctx, reloadTimeout)
			_ = d.requestReload(rctx)
			cancel()
		}
	}
}
