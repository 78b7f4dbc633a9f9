// Command train-sentiment trains the English and Korean sentiment models
// embedded by package analysis/sentiment, calibrates them on the dev
// splits and prints per-source figures. It is reproducible: the same data
// and flags write the same bytes. Run it from the repository root:
//
//	nice -n 10 go run ./scripts/train-sentiment
//
// The shared corpora (GoEmotions, EmoBank, NSMC, KOTE, SentiNeg; 30 MB)
// are not in the repository: -data defaults to ../shared/data/sentiment
// relative to the repository root. The brand-talk sets are read from
// analysis/sentiment/testdata. -report test prints the held-out test
// figures; the default prints the dev ones, so that choosing flags never
// looks at the test cut.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/train"
	"github.com/rs/zerolog"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "train-sentiment:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train-sentiment", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "../shared/data/sentiment", "shared data directory, kept outside the repository")
	testdata := fs.String("testdata", "analysis/sentiment/testdata", "directory of the brand-talk sets")
	out := fs.String("out", "analysis/sentiment/data", "directory to write en.model.gz and ko.model.gz to (\"\" writes nothing)")
	report := fs.String("report", "dev", "split to print figures for: dev or test")
	only := fs.String("lang", "", "train and write only this language's model (en or ko); the other is the embedded one")
	var o train.Options
	bits := fs.Uint("bits", 20, "hash buckets = 1<<bits")
	fs.IntVar(&o.Epochs, "epochs", 0, "passes over the data (0 = default)")
	fs.Float64Var(&o.LearningRate, "lr", 0, "AdaGrad learning rate (0 = default)")
	fs.Float64Var(&o.L2, "l2", 0, "L2 weight decay (0 = default)")
	fs.Float64Var(&o.ClassWeightCap, "class-cap", 0, "cap of the class-balancing weight (0 = default)")
	fs.Uint64Var(&o.Seed, "seed", 1, "shuffling seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *report != "dev" && *report != "test" {
		return fmt.Errorf("-report %q, want dev or test", *report)
	}
	o.Bits = uint8(*bits)
	o.Logger = zerolog.New(zerolog.ConsoleWriter{Out: stderr}).With().Timestamp().Logger()
	splits, err := train.Load(*data, *testdata, train.Sources)
	if err != nil {
		return err
	}
	models := map[string][]byte{}
	for _, lang := range []string{"en", "ko"} {
		if *only != "" && lang != *only {
			continue
		}
		start := time.Now()
		lo := o
		lo.Lang = lang
		b, err := train.Build(context.Background(), splits, lo)
		if err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
		o.Logger.Info().Str("lang", lang).Int("bytes", len(b)).Dur("took", time.Since(start)).Msg("model built")
		models[lang] = b
	}
	a, err := sentiment.New(sentiment.Options{Models: sentiment.Models{EN: models["en"], KO: models["ko"]}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "model %s, %s split\n", a.Version(), *report)
	train.PrintFigures(stdout, a, splits, *report)
	if *out == "" {
		return nil
	}
	for lang, b := range models {
		gz, err := sentiment.CompressModel(b)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*out, lang+".model.gz"), gz, 0o644); err != nil {
			return err
		}
	}
	return nil
}
