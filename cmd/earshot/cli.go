package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/digest"
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

// configCommand parses a command that takes only -config and loads it.
func configCommand(name string, args []string, stderr io.Writer) (*config.Config, error) {
	fs := newFlags(name, stderr)
	path := configFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return loadConfig(*path)
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
	for _, w := range cfg.QuotaWarnings() {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	for _, w := range digest.Warnings(cfg) {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	fmt.Fprintf(stdout, "%s: ok — %d brand(s), %d topic(s), %d source(s); data in %s; API on %s\n",
		*path, len(cfg.Brands), len(cfg.Topics), len(cfg.Sources), cfg.Earshot.DataDir, cfg.Earshot.Listen)
	return nil
}

func cmdStatus(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := configCommand("status", args, stderr)
	if err != nil {
		return err
	}
	return daemon.WriteStatus(ctx, cfg, daemon.NewLogger("warn", cfg.Earshot.LogFormat, stderr), stdout)
}
