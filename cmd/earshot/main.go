// Command earshot is the Earshot daemon and its command-line tools.
//
//	earshot demo                     run offline on built-in demo data
//	earshot init > earshot.toml      write a commented example config
//	earshot check -config F          validate a config, printing every error
//	earshot run -config F            run the daemon
//	earshot search -config F QUERY   search mentions
//	earshot status -config F         source health, counts, index lag
//	earshot reindex -config F        rebuild the search index from bbolt
//	earshot compact -config F        rewrite the database without free space
//	earshot verify -config F         check the database for damage
//	earshot backup -config F -out B  consistent snapshot (hot, through the daemon)
//	earshot restore -config F -from B  install a backup (daemon stopped)
//	earshot report -config F         the competitive gap report
//	earshot digest -config F -preview|-send   the weekly digest e-mail
//	earshot alerts test -config F -rule R   send a sample alert to R's channels
//	earshot sentiment < texts        language, sentiment score and label per line
//	earshot version                  print the version
//
// Each command is one small file that parses its flags and calls a package
// (daemon, demo, config, digest); benchmarks are in cmd/earshot-bench.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work where the system has no zoneinfo

	"github.com/earshot/earshot/daemon"
)

// version is set at build time with -ldflags "-X main.version=..."; the
// daemon puts it in the API and in every outgoing User-Agent.
var version = "0.1.0-dev"

type command struct {
	name, usage string
	run         func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"demo", "run Earshot offline on built-in demo data (a local replay of recorded responses from every network)", cmdDemo},
		{"init", "print a commented example config (earshot init > earshot.toml)", cmdInit},
		{"check", "validate a config file and print every error (-config F)", cmdCheck},
		{"run", "run the daemon against the real networks (-config F)", cmdRun},
		{"search", "search stored mentions (-config F [flags] QUERY)", cmdSearch},
		{"report", "print the competitive report (-config F [-week 2026-W47 | -end DATE] [-network N] [-format text|markdown|csv|json|html])", cmdReport},
		{"status", "print source health, mention counts and index lag (-config F)", cmdStatus},
		{"sentiment", "score texts from stdin, one per line: JSON lines with language, score and label", cmdSentiment},
		{"digest", "preview or send the weekly competitor digest (-config F -preview [-week W] [-out F] | -send [-week W])", cmdDigest},
		{"alerts", "send a sample alert of one rule to its channels (alerts test -config F -rule NAME)", cmdAlerts},
		{"reindex", "rebuild the search index from the mention store (-config F; daemon stopped)", cmdReindex},
		{"compact", "rewrite the database without its free space (-config F [-reindex]; daemon stopped)", cmdCompact},
		{"verify", "check every page and record of the database, report damage (-config F; daemon stopped)", cmdVerify},
		{"backup", "write a consistent database snapshot, through the running daemon if any (-config F -out FILE)", cmdBackup},
		{"restore", "install a backup as the database; the index is rebuilt on start (-config F -from FILE; daemon stopped)", cmdRestore},
		{"version", "print the version", func(_ context.Context, _ []string, stdout, _ io.Writer) error {
			_, err := fmt.Fprintln(stdout, "earshot", version)
			return err
		}},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: earshot COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nRun 'earshot COMMAND -h' for a command's flags.")
}

func main() {
	daemon.TuneRuntime()
	os.Exit(realMain(os.Args[1:], os.Stdout, os.Stderr))
}

func realMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(stderr, "earshot %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "earshot: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// errUsage marks an error already explained to the user by the flag package.
var errUsage = errors.New("usage")

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("earshot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
