package main

import (
	"context"
	"io"

	"github.com/earshot/earshot/daemon"
)

// cmdVerify checks every page and record of the database (daemon stopped).
func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := configCommand("verify", args, stderr)
	if err != nil {
		return err
	}
	return daemon.Verify(ctx, cfg.Earshot.DataDir, daemon.Logger(cfg, stderr), stdout)
}
