package train

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/internal/mlr"
)

// Source is one labelled file the models learn from.
type Source struct {
	Name string
	Lang string // "en" or "ko"
	// Path is relative to the shared data directory, or to the package's
	// testdata directory when it starts with "testdata/".
	Path  string
	NSMC  bool // id<TAB>document<TAB>0|1 rows
	VADER bool // VADER ground truth: id<TAB>rating<TAB>text, class of rating/4 at ±0.05
	// neither: sentiment.ReadLabelled rows
	Small bool // cut 60/20/20 rather than 80/10/10 (see sentiment.SplitOf)
	// TrainOnly: every row trains (sets written to teach a failure kind,
	// never measured).
	TrainOnly bool
	Weight    float64 // training weight of each example
	// Cal is the weight of the source in calibration (see Calibrate):
	// social posts and brand talk, the product's domain, count double.
	Cal float64
}

// Sources is the training data: the shared corpora (outside the
// repository) and the brand-talk sets written for Earshot (in testdata).
// The brand-talk sets weigh 8 per example: they are the domain the
// product scores, and a few hundred rows against 150,000 reviews.
var Sources = []Source{
	{Name: "goemotions", Lang: "en", Path: "train/en/goemotions.tsv", Weight: 1, Cal: 1},
	{Name: "emobank", Lang: "en", Path: "train/en/emobank.tsv", Weight: 1, Cal: 1},
	{Name: "vader-tweets", Lang: "en", Path: "en/tweets_groundtruth.tsv", VADER: true, Weight: 8, Cal: 2},
	{Name: "brandtalk-en", Lang: "en", Path: "testdata/brandtalk/en.tsv", Small: true, Weight: 8, Cal: 2},
	{Name: "brandtalk-en-train", Lang: "en", Path: "testdata/brandtalk/en-train.tsv", TrainOnly: true, Weight: 8},
	{Name: "nsmc", Lang: "ko", Path: "ko/train.tsv", NSMC: true, Weight: 1, Cal: 1},
	{Name: "kote", Lang: "ko", Path: "train/ko/kote.tsv", Weight: 1, Cal: 1},
	{Name: "sentineg", Lang: "ko", Path: "train/ko/kobest_sentineg.tsv", Weight: 1, Cal: 1},
	{Name: "brandtalk-ko", Lang: "ko", Path: "testdata/brandtalk/ko.tsv", Small: true, Weight: 8, Cal: 2},
	{Name: "brandtalk-ko-train", Lang: "ko", Path: "testdata/brandtalk/ko-train.tsv", TrainOnly: true, Weight: 8},
}

// Split is one source cut by sentiment.SplitOf.
type Split struct {
	Source           Source
	Train, Dev, Test []sentiment.Labelled
}

// Load reads every source: dataDir is the shared data directory
// (../shared/data/sentiment), testdataDir analysis/sentiment/testdata.
// NSMC's train file has its own test file, so its test cut trains too.
func Load(dataDir, testdataDir string, sources []Source) ([]Split, error) {
	var out []Split
	for _, s := range sources {
		path := filepath.Join(dataDir, s.Path)
		if rest, ok := strings.CutPrefix(s.Path, "testdata/"); ok {
			path = filepath.Join(testdataDir, rest)
		}
		rows, err := readSource(path, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		sp := Split{Source: s}
		for _, r := range rows {
			if s.TrainOnly {
				sp.Train = append(sp.Train, r)
				continue
			}
			switch sentiment.SplitOf(r.Text, s.Small) {
			case sentiment.SplitTest:
				if s.NSMC {
					sp.Train = append(sp.Train, r)
				} else {
					sp.Test = append(sp.Test, r)
				}
			case sentiment.SplitDev:
				sp.Dev = append(sp.Dev, r)
			default:
				sp.Train = append(sp.Train, r)
			}
		}
		out = append(out, sp)
	}
	return out, nil
}

func readSource(path string, s Source) ([]sentiment.Labelled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if s.VADER {
		rated, err := sentiment.ReadVADERTruth(f)
		if err != nil {
			return nil, err
		}
		out := make([]sentiment.Labelled, len(rated))
		for i, r := range rated {
			out[i] = sentiment.Labelled{Text: r.Text, Label: sentiment.RatingLabel(r.Rating)}
		}
		return out, nil
	}
	if !s.NSMC {
		return sentiment.ReadLabelled(f)
	}
	rated, err := sentiment.ReadNSMC(io.Reader(f))
	if err != nil {
		return nil, err
	}
	out := make([]sentiment.Labelled, len(rated))
	for i, r := range rated {
		out[i] = sentiment.Labelled{Text: r.Text, Label: sentiment.Negative}
		if r.Rating == 1 {
			out[i].Label = sentiment.Positive
		}
	}
	return out, nil
}

func class(label string) int {
	switch label {
	case sentiment.Negative:
		return mlr.Neg
	case sentiment.Neutral:
		return mlr.Neu
	}
	return mlr.Pos
}

// Build trains and calibrates the model of one language from the splits
// of that language and returns it in mlr's format.
func Build(ctx context.Context, splits []Split, opts Options) ([]byte, error) {
	opts.defaults()
	x, err := sentiment.NewExtractor(opts.Bits)
	if err != nil {
		return nil, err
	}
	var trainSet, dev []Vec
	for si, sp := range splits {
		if sp.Source.Lang != opts.Lang {
			continue
		}
		for _, r := range sp.Train {
			fs, _ := x.Features(r.Text, opts.Lang, r.Terms)
			trainSet = append(trainSet, Vec{Feats: fs, Class: class(r.Label), Weight: sp.Source.Weight})
		}
		for _, r := range sp.Dev {
			fs, c := x.Features(r.Text, opts.Lang, r.Terms)
			dev = append(dev, Vec{Feats: fs, Class: class(r.Label), Weight: sp.Source.Cal, Source: si, Compound: c})
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	m, err := Fit(ctx, trainSet, opts)
	if err != nil {
		return nil, err
	}
	m.FeatVersion = sentiment.FeatureVersion
	if err := Calibrate(m, dev); err != nil {
		return nil, err
	}
	opts.Logger.Info().Str("lang", opts.Lang).Int("train", len(trainSet)).Int("dev", len(dev)).
		Float32("temperature", m.Temp).Float32("band", m.Band).Float32("prior", m.Prior).Msg("calibrated")
	return mlr.Encode(m)
}
