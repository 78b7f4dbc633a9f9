package main

import (
	"context"
	"fmt"
	"io"

	"github.com/earshot/earshot/daemon"
)

func cmdReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := configCommand("reindex", args, stderr)
	if err != nil {
		return err
	}
	stats, err := daemon.Reindex(ctx, cfg.Earshot.DataDir, daemon.Logger(cfg, stderr))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reindexed %d mentions from %s\n", stats.Mentions, cfg.Earshot.DataDir)
	return nil
}

func cmdCompact(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compact", stderr)
	path := configFlag(fs)
	reindex := fs.Bool("reindex", false, "also rebuild the search index (reclaims the space of deleted documents at once)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	return daemon.Compact(ctx, cfg.Earshot.DataDir, *reindex, daemon.Logger(cfg, stderr), stdout)
}

// cmdBackup writes a consistent snapshot: hot through the running daemon,
// else from the data dir.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	path := configFlag(fs)
	out := fs.String("out", "", "file to write the backup to (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "earshot backup: -out FILE is required")
		return errUsage
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	return daemon.Backup(ctx, cfg, *out, daemon.NewLogger("warn", cfg.Earshot.LogFormat, stderr), stdout)
}

// cmdRestore installs a backup as the database (daemon stopped).
func cmdRestore(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", stderr)
	path := configFlag(fs)
	from := fs.String("from", "", "backup file to restore (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		fmt.Fprintln(stderr, "earshot restore: -from FILE is required")
		return errUsage
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	return daemon.Restore(cfg.Earshot.DataDir, *from, daemon.NewLogger("warn", cfg.Earshot.LogFormat, stderr), stdout)
}
