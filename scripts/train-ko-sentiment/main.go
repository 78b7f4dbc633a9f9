// Command train-ko-sentiment trains the Korean sentiment model embedded by
// package analysis/sentiment. It is reproducible: the same data and flags
// write the same bytes. Run it from the repository root:
//
//	go run ./scripts/train-ko-sentiment -out analysis/sentiment/data/ko.model
//
// The full training file (150,000 reviews, 14 MB) is not in the repository:
// -train defaults to ../shared/data/sentiment/ko/train.tsv, relative to the
// repository root (see analysis/sentiment/train).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/earshot/earshot/analysis/sentiment/train"
	"github.com/rs/zerolog"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "train-ko-sentiment:", err)
		os.Exit(1)
	}
}

func run() error {
	trainPath := flag.String("train", "../shared/data/sentiment/ko/train.tsv", "training data (id, document, label TSV), kept outside the repository")
	testPath := flag.String("test", "", "optional held-out data to report accuracy on")
	out := flag.String("out", "analysis/sentiment/data/ko.model", "model file to write")
	bits := flag.Uint("bits", 20, "hash buckets = 1<<bits")
	epochs := flag.Int("epochs", 0, "passes over the data (0 = default)")
	lr := flag.Float64("lr", 0, "AdaGrad learning rate (0 = default)")
	l2 := flag.Float64("l2", 0, "L2 weight decay (0 = default)")
	seed := flag.Uint64("seed", 1, "shuffling seed")
	flag.Parse()

	log := zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).With().Timestamp().Logger()
	ex, err := readTSV(*trainPath)
	if err != nil {
		return err
	}
	start := time.Now()
	model, st, err := train.Train(context.Background(), ex, train.Options{
		Bits: uint8(*bits), Epochs: *epochs, LearningRate: *lr, L2: *l2, Seed: *seed, Logger: log,
	})
	if err != nil {
		return err
	}
	log.Info().Int("examples", st.Examples).Float64("train_accuracy", st.TrainAccuracy).
		Dur("took", time.Since(start)).Int("bytes", len(model)).Msg("trained")
	if *testPath != "" {
		test, err := readTSV(*testPath)
		if err != nil {
			return err
		}
		acc, err := train.Accuracy(model, test)
		if err != nil {
			return err
		}
		log.Info().Int("examples", len(test)).Float64("accuracy", acc).Msg("held-out")
	}
	return os.WriteFile(*out, model, 0o644)
}

func readTSV(path string) ([]train.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ex, err := train.ReadTSV(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ex, nil
}
