package main

import (
	"context"
	"io"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
)

func cmdRun(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs := newFlags("run", stderr)
	path := configFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	log := daemon.Logger(cfg, stderr)
	d, err := daemon.Open(cfg, daemon.Options{Logger: log, Version: version,
		Load: func() (*config.Config, error) { return loadConfig(*path) }})
	if err != nil {
		return err
	}
	log.Info().Str("config", *path).Str("api", d.Addr()).Int("sources", len(cfg.Sources)).
		Str("data_dir", cfg.Earshot.DataDir).Msg("earshot running; Ctrl-C or SIGTERM stops it, SIGHUP reloads the config")
	err = d.RunWithSignals(ctx)
	log.Info().Msg("earshot stopped")
	return err
}
