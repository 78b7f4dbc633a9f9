// Package train fits and calibrates the sentiment models that package
// sentiment embeds: per language, multinomial logistic regression over the
// features of sentiment.Extractor, fitted with AdaGrad stochastic gradient
// descent on one goroutine (Fit), then calibrated on the dev cuts
// (Calibrate: lexicon prior, temperature, neutral band).
//
// Sources lists the data: the shared corpora (GoEmotions, EmoBank, NSMC,
// KOTE, KoBEST SentiNeg, VADER's tweets; outside the repository, in
// ../shared/data/sentiment) and the brand-talk sets in
// analysis/sentiment/testdata. Every source is cut by sentiment.SplitOf
// into train, dev and test; the test cut is only measured.
//
// Training is reproducible: the example order of every epoch comes from a
// PCG generator seeded with Options.Seed, features are extracted in input
// order, and every floating-point product is rounded explicitly (no fused
// multiply-add), so the same data and options give the same model bytes on
// every run and every architecture Go supports.
//
// The command is scripts/train-sentiment, run from the repository root:
//
//	nice -n 10 go run ./scripts/train-sentiment
package train
