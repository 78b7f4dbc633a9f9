// Package train fits the Korean sentiment model that package sentiment
// embeds: binary logistic regression over komodel's hashed features, fitted
// with AdaGrad stochastic gradient descent on one goroutine.
//
// Training is reproducible: the example order of every epoch comes from a
// PCG generator seeded with Options.Seed, features are extracted in input
// order, and every floating-point product is rounded explicitly (no fused
// multiply-add), so the same data and options give the same model bytes on
// every run and every architecture Go supports.
//
// The command is scripts/train-ko-sentiment, run from the repository root:
//
//	go run ./scripts/train-ko-sentiment -out analysis/sentiment/data/ko.model
//
// It reads the full training file (150,000 NSMC-style reviews, 14 MB) from
// ../shared/data/sentiment/ko/train.tsv relative to the repository root by
// default; -train names another. That file is not in the repository: the
// tests use the 3,000-review sample in testdata/train-sample.tsv.
package train
