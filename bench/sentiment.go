package bench

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/earshot/earshot/analysis/sentiment"
)

// Sentiment prints the analyzer's accuracy on the human-labelled data in
// dir (en/ VADER ground truth, ko/ NSMC test split) next to the published
// figures.
func Sentiment(dir string, stdout io.Writer) error {
	a, err := sentiment.New(sentiment.Options{})
	if err != nil {
		return err
	}
	load := func(name string, read func(io.Reader) ([]sentiment.Rated, error)) ([]sentiment.Rated, error) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		d, err := read(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(d) == 0 {
			return nil, errors.New(name + ": no rows")
		}
		return d, nil
	}
	fmt.Fprintf(stdout, "%-34s %8s %8s %8s %s\n", "dataset", "n", "r", "acc3", "macroF1   published (VADER paper)")
	for _, ds := range []struct{ file, published string }{
		{"en/tweets_groundtruth.tsv", "r 0.881, F1 0.96"},
		{"en/movieReviewSnippets_groundtruth.tsv", "r 0.451, F1 0.61"},
	} {
		d, err := load(ds.file, sentiment.ReadVADERTruth)
		if err != nil {
			return err
		}
		f := sentiment.EvalEnglish(a, d)
		fmt.Fprintf(stdout, "%-34s %8d %8.3f %8.3f %8.3f  %s\n", ds.file, f.N, f.Pearson, f.Accuracy, f.MacroF1, ds.published)
	}
	d, err := load("ko/test.tsv", sentiment.ReadNSMC)
	if err != nil {
		return err
	}
	k := sentiment.EvalKorean(a, d)
	fmt.Fprintf(stdout, "\n%-34s %8s %8s %9s %9s %9s %9s\n", "dataset", "n", "acc", "P(pos)", "R(pos)", "P(neg)", "R(neg)")
	fmt.Fprintf(stdout, "%-34s %8d %8.4f %9.3f %9.3f %9.3f %9.3f\n", "ko/test.tsv", k.N, k.Accuracy, k.PrecPos, k.RecPos, k.PrecNeg, k.RecNeg)
	fmt.Fprintf(stdout, "3-class label: %.1f%% neutral; accuracy on the rest %.4f\n", 100*k.NeutralShare, k.AccuracyExclNeutrals)
	fmt.Fprintln(stdout, "published on NSMC: char n-gram naive Bayes 0.84-0.86, CNN 0.825, KoBERT ~0.90")
	return nil
}
