package bench

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/train"
)

// Sentiment prints the analyzer's accuracy on the human-labelled data in
// dir (analysis/sentiment/testdata: VADER's ground truth, the NSMC test
// file, the brand-talk and comparative sets), next to VADER alone (the
// English scorer before the learned models: compound, ±0.05) and to the
// post's own label for every brand; with shared (the shared data
// directory, ../shared/data/sentiment) it adds the held-out test cuts of
// every training source (package train).
func Sentiment(dir, shared string, stdout io.Writer) error {
	a, err := sentiment.New(sentiment.Options{})
	if err != nil {
		return err
	}
	open := func(name string) (*os.File, error) { return os.Open(filepath.Join(dir, name)) }
	fmt.Fprintf(stdout, "models %s\n\n", a.Version())
	fmt.Fprintf(stdout, "%-44s %6s %7s %7s %7s   %s\n", "VADER ground truth (3-class at ±0.05)", "n", "r", "acc", "mF1", "VADER alone: r / acc / mF1")
	for _, ds := range []struct {
		file, name string
		cut        bool
	}{
		{"en/tweets_groundtruth.tsv", "tweets, held-out test cut", true},
		{"en/tweets_groundtruth.tsv", "tweets, whole file (80% trained on)", false},
		{"en/movieReviewSnippets_groundtruth.tsv", "movie snippets (not trained on)", false},
	} {
		f, err := open(ds.file)
		if err != nil {
			return err
		}
		d, err := sentiment.ReadVADERTruth(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", ds.file, err)
		}
		if len(d) == 0 {
			return errors.New(ds.file + ": no rows")
		}
		if ds.cut {
			var held []sentiment.Rated
			for _, r := range d {
				if sentiment.SplitOf(r.Text, false) == sentiment.SplitTest {
					held = append(held, r)
				}
			}
			d = held
		}
		m, v := sentiment.EvalEnglish(a, d), sentiment.EvalVADER(a, d)
		fmt.Fprintf(stdout, "%-44s %6d %7.3f %7.3f %7.3f   %.3f / %.3f / %.3f\n", ds.name, m.N, m.Pearson, m.Accuracy, m.MacroF1, v.Pearson, v.Accuracy, v.MacroF1)
	}
	f, err := open("ko/test.tsv")
	if err != nil {
		return err
	}
	d, err := sentiment.ReadNSMC(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("ko/test.tsv: %w", err)
	}
	k := sentiment.EvalKorean(a, d)
	fmt.Fprintf(stdout, "\n%-44s %6s %7s %9s %9s %9s %9s\n", "NSMC test (binary: score > 0)", "n", "acc", "P(pos)", "R(pos)", "P(neg)", "R(neg)")
	fmt.Fprintf(stdout, "%-44s %6d %7.4f %9.3f %9.3f %9.3f %9.3f\n", "ko/test.tsv", k.N, k.Accuracy, k.PrecPos, k.RecPos, k.PrecNeg, k.RecNeg)

	fmt.Fprintf(stdout, "\n%-30s %5s %6s %6s  %-10s %-10s %-10s  %s\n", "brand talk (3-class)", "n", "acc", "mF1", "neg P/R", "neu P/R", "pos P/R", "VADER alone acc / mF1")
	for _, lang := range []string{"en", "ko"} {
		rows, err := readLabelled(filepath.Join(dir, "brandtalk", lang+".tsv"))
		if err != nil {
			return err
		}
		for _, cut := range []string{sentiment.SplitTest, ""} {
			var sel []sentiment.Labelled
			for _, r := range rows {
				if cut == "" || sentiment.SplitOf(r.Text, true) == cut {
					sel = append(sel, r)
				}
			}
			name := lang + ", held-out test cut"
			if cut == "" {
				name = lang + ", all (60% trained on)"
			}
			m, v := sentiment.EvalLabelled(a, sel), sentiment.EvalLabelledVADER(a, sel)
			fmt.Fprintf(stdout, "%-30s %5d %6.3f %6.3f ", name, m.N, m.Accuracy, m.MacroF1)
			for c := 0; c < 3; c++ {
				fmt.Fprintf(stdout, " %.2f/%.2f ", m.Precision[c], m.Recall[c])
			}
			if lang == "en" {
				fmt.Fprintf(stdout, "  %.3f / %.3f", v.Accuracy, v.MacroF1)
			}
			fmt.Fprintln(stdout)
		}
	}
	cf, err := open("brandtalk/comparative.tsv")
	if err != nil {
		return err
	}
	cmp, err := sentiment.ReadComparative(cf)
	cf.Close()
	if err != nil {
		return fmt.Errorf("comparative.tsv: %w", err)
	}
	var held []sentiment.Comparative
	for _, c := range cmp {
		if sentiment.SplitOf(c.Text, true) == sentiment.SplitTest {
			held = append(held, c)
		}
	}
	fmt.Fprintf(stdout, "\n%-30s %5s %6s %8s  %s\n", "per-brand labels", "posts", "pairs", "acc", "post's label for every brand")
	for _, x := range []struct {
		name string
		d    []sentiment.Comparative
	}{{"comparative, test cut", held}, {"comparative, all", cmp}} {
		b := sentiment.EvalComparative(a, x.d)
		fmt.Fprintf(stdout, "%-30s %5d %6d %8.3f  %.3f\n", x.name, b.Posts, b.Pairs, b.Accuracy, b.WholeLabel)
	}
	if shared == "" {
		return nil
	}
	splits, err := train.Load(shared, dir, train.Sources)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nheld-out test cuts of the training sources (bin: sign of the score on polar rows)\n")
	train.PrintFigures(stdout, a, splits, sentiment.SplitTest)
	return nil
}

func readLabelled(path string) ([]sentiment.Labelled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := sentiment.ReadLabelled(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}
