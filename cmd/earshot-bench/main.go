// Command earshot-bench measures Earshot (package bench):
//
//	earshot-bench soak [-n 1000000] [-clients 4] [-rate 0] [-bulk] ...   ingest while searching
//	earshot-bench loadtest [-n 1000000] [-duration 15s] [-clients 4]
//	earshot-bench sentiment [-data DIR] [-shared DIR]            accuracy against human labels
//	earshot-bench report -dir DIR [-reports 7] [-end DATE]       weekly report time on a kept store
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/earshot/earshot/bench"
	"github.com/earshot/earshot/daemon"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

type command struct {
	name, usage string
	run         func(ctx context.Context, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"soak", "ingest generated mentions through the real pipeline while serving searches; print rates, latencies, RSS", soak},
	{"loadtest", "measure search latency over generated mentions on loopback", loadtest},
	{"sentiment", "measure sentiment against human-labelled data", sentiment},
	{"report", "time the weekly report on an existing store", reportTime},
}

func main() {
	daemon.TuneRuntime() // measure what the daemon runs with
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	for _, c := range commands {
		if len(args) == 0 || c.name != args[0] {
			continue
		}
		fs := flag.NewFlagSet("earshot-bench "+c.name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		err := c.run(ctx, fs, args[1:], stdout, stderr)
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintf(stderr, "earshot-bench %s: %v\n", c.name, err)
		return 1
	}
	fmt.Fprintln(stderr, "usage: earshot-bench COMMAND [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(stderr, "  %-9s %s\n", c.name, c.usage)
	}
	return 2
}

// errUsage marks an error the flag package already explained.
var errUsage = errors.New("usage")

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func soak(ctx context.Context, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	o := bench.SoakOptions{Out: stdout, Version: version, Logger: daemon.NewLogger("warn", "auto", stderr)}
	fs.IntVar(&o.N, "n", 1_000_000, "mentions to generate and ingest")
	fs.IntVar(&o.Clients, "clients", 4, "concurrent search clients on loopback (0: none)")
	fs.IntVar(&o.Batch, "batch", 500, "posts per fetch (one Commit each)")
	fs.IntVar(&o.Sources, "sources", 2, "sources ingesting in parallel (one pipeline goroutine each)")
	fs.IntVar(&o.Sample, "sample", 100_000, "mentions in the bare bleve baseline (0: skip)")
	fs.Float64Var(&o.QPS, "qps", 40, "total query rate of all clients (0: as fast as they can)")
	fs.Float64Var(&o.Rate, "rate", 0, "posts per second the fake network hands out (0: as fast as the pipeline takes them)")
	fs.DurationVar(&o.Every, "every", 5*time.Second, "progress interval")
	fs.StringVar(&o.Dir, "dir", "", "data directory, must be empty (default: a temporary one)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the data directory")
	fs.BoolVar(&o.Reuse, "reuse", false, "with -bulk: skip the bulk load and run the live phase on the store an earlier soak kept in -dir (adds -rate × -live mentions each time)")
	fs.Int64Var(&o.Seed, "seed", 1, "generator seed")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the pipeline phase (with -bulk: the live phase only) to this file")
	fs.BoolVar(&o.Bulk, "bulk", false, "load the n mentions with the store's Commit (no pipeline), then ingest -rate × -live more through the pipeline while searching")
	fs.IntVar(&o.BulkBatch, "bulk-batch", 5000, "mentions per Commit in the bulk load")
	fs.IntVar(&o.IndexBatch, "bulk-index-batch", 0, "the store's bleve batch during the bulk load (0: its default)")
	fs.DurationVar(&o.Live, "live", time.Minute, "length of the live phase after a bulk load")
	fs.IntVar(&o.IdleQueries, "idle", 50, "searches of each kind on the idle store after reopening")
	fs.IntVar(&o.Reports, "reports", 7, "weekly reports built on the idle store")
	fs.BoolVar(&o.NoReindex, "no-reindex", false, "skip the reindex")
	fs.BoolVar(&o.Merge, "merge", false, "after the bulk load, merge each complete week's index partition into one segment (the daemon's index maintenance) before the live phase")
	fs.IntVar(&o.SearchPriority, "search-priority", 0, "nice steps above the process at which searches' threads run (0: the store's default, 10; -1: not raised)")
	mapLimit := fs.Int64("map-rss-limit", 0, "MiB of file-backed RSS above which the store releases its maps' pages (0: the store's default, 768; -1: never)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if o.Bulk && !rateSet(fs) {
		o.Rate = 4000
	}
	o.MapRSSLimit = *mapLimit << 20
	return bench.Soak(ctx, o)
}

// rateSet reports whether -rate was given.
func rateSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "rate" })
	return set
}

func loadtest(ctx context.Context, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	o := bench.LoadOptions{Out: stdout, Version: version, Logger: daemon.NewLogger("warn", "auto", stderr)}
	fs.IntVar(&o.N, "n", 1_000_000, "mentions to generate")
	fs.DurationVar(&o.Duration, "duration", 15*time.Second, "how long each scenario runs (bounded: at most 5m)")
	fs.IntVar(&o.Clients, "clients", 4, "concurrent clients")
	fs.StringVar(&o.DataDir, "data", "", "data directory (default: a temporary one, removed at the end); an existing store is reused")
	fs.BoolVar(&o.Broad, "broad", true, "also measure whole-corpus queries (no keyword), to show what unbounded facets cost")
	if err := parse(fs, args); err != nil {
		return err
	}
	return bench.Loadtest(ctx, o)
}

func sentiment(_ context.Context, fs *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	dir := fs.String("data", filepath.Join("analysis", "sentiment", "testdata"), "directory with en/ and ko/ ground truth")
	shared := fs.String("shared", "", "shared data directory (../shared/data/sentiment): adds the training sources' held-out cuts")
	if err := parse(fs, args); err != nil {
		return err
	}
	return bench.Sentiment(*dir, *shared, stdout)
}

func reportTime(ctx context.Context, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	o := bench.ReportOptions{Out: stdout, Logger: daemon.NewLogger("warn", "auto", stderr)}
	fs.StringVar(&o.Dir, "dir", "", "data directory of a kept soak store (required)")
	fs.IntVar(&o.Reports, "reports", 7, "weekly reports to build")
	fs.StringVar(&o.Profile, "cpuprofile", "", "write a CPU profile of the timed builds to this file")
	end := fs.String("end", "", "the reports' today, YYYY-MM-DD (default: the soak stream's end); the report is the last complete week before it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *end != "" {
		t, err := time.Parse(time.DateOnly, *end)
		if err != nil {
			return fmt.Errorf("-end: %w", err)
		}
		o.Now = t
	}
	return bench.ReportTime(ctx, o)
}
