package main

import (
	"context"
	"io"
	"time"
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
	log.Info().Str("config", *path).Str("api", d.addr()).Int("sources", len(cfg.Sources)).
		Str("data_dir", cfg.Earshot.DataDir).Msg("earshot running; Ctrl-C to stop")
	err = d.run(ctx)
	log.Info().Msg("earshot stopped")
	return err
}
