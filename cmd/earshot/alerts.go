package main

import (
	"context"
	"io"

	"github.com/earshot/earshot/daemon"
)

// cmdAlerts sends a sample of one [[alert]] rule to its channels.
func cmdAlerts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("alerts test", stderr)
	path, rule := configFlag(fs), fs.String("rule", "", "the [[alert]] rule whose channels get a sample")
	if len(args) == 0 || args[0] != "test" || parseFlags(fs, args[1:]) != nil {
		fs.Usage()
		return errUsage
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	return daemon.TestAlert(ctx, cfg, *rule, stdout)
}
