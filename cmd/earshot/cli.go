package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "earshot.toml", "path to the config file")
}

func loadConfig(path string) (*config.Config, error) {
	cfg, err := config.Load(path, os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("invalid config:\n%w", err)
	}
	return cfg, nil
}

func cmdInit(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("init", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	_, err := io.WriteString(stdout, config.Example())
	return err
}

func cmdCheck(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	path := configFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(*path, os.Getenv)
	if err != nil {
		var errs config.Errors
		if errors.As(err, &errs) {
			fmt.Fprintln(stderr, err)
			return fmt.Errorf("%d error(s) in %s", len(errs), *path)
		}
		return err
	}
	fmt.Fprintf(stdout, "%s: ok — %d brand(s), %d topic(s), %d source(s); data in %s; API on %s\n",
		*path, len(cfg.Brands), len(cfg.Topics), len(cfg.Sources), cfg.Earshot.DataDir, cfg.Earshot.Listen)
	return nil
}

func cmdReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reindex", stderr)
	path := configFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	stats, err := reindexDataDir(ctx, cfg.Earshot.DataDir, newLogger(cfg.Earshot.LogLevel, stderr))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reindexed %d mentions from %s\n", stats.Mentions, cfg.Earshot.DataDir)
	return nil
}

// reindexDataDir opens the store in dir (daemon stopped), rebuilds its
// search index from bbolt and closes it, returning its stats.
func reindexDataDir(ctx context.Context, dir string, log zerolog.Logger) (store.Stats, error) {
	st, err := store.Open(dir, store.Options{Logger: log})
	if err != nil {
		return store.Stats{}, err
	}
	if err := st.Reindex(ctx); err != nil {
		st.Close()
		return store.Stats{}, fmt.Errorf("reindex: %w", err)
	}
	stats := st.Stats()
	return stats, st.Close()
}
