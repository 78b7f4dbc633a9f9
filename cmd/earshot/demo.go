package main

import (
	"context"
	"io"

	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/demo"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	o := demo.Options{Version: version, Stdout: stdout, Stderr: stderr, Logger: daemon.NewLogger("info", "auto", stderr)}
	fs.StringVar(&o.Listen, "listen", "127.0.0.1:8089", "address of the HTTP API (a free port is taken if this one is busy)")
	fs.StringVar(&o.DataDir, "data", "", "data directory (default: a temporary one, removed on exit)")
	fs.BoolVar(&o.Once, "once", false, "ingest once, print the summary and exit (for scripts and CI)")
	nodes := fs.Int("nodes", 1, "run a local cluster of this many nodes (embedded NATS on loopback) answering the same search")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *nodes > 1 {
		return demo.RunCluster(ctx, o, *nodes)
	}
	return demo.Run(ctx, o)
}
