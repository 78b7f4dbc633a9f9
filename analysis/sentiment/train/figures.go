package train

import (
	"fmt"
	"io"

	"github.com/earshot/earshot/analysis/sentiment"
)

// PrintFigures writes one row per source: n, accuracy, macro-F1 and
// precision/recall per class of a on the named split ("dev" or "test").
func PrintFigures(w io.Writer, a *sentiment.Analyzer, splits []Split, split string) {
	fmt.Fprintf(w, "%-14s %6s %6s %6s %6s  %-11s %-11s %-11s\n", "source", "n", "acc", "mF1", "bin", "neg P/R", "neu P/R", "pos P/R")
	for _, sp := range splits {
		rows := sp.Dev
		if split == sentiment.SplitTest {
			rows = sp.Test
		}
		if len(rows) == 0 {
			continue
		}
		f := sentiment.EvalLabelled(a, rows)
		fmt.Fprintf(w, "%-14s %6d %6.3f %6.3f %6.3f ", sp.Source.Name, f.N, f.Accuracy, f.MacroF1, f.Binary)
		for c := 0; c < 3; c++ {
			fmt.Fprintf(w, " %.2f/%.2f  ", f.Precision[c], f.Recall[c])
		}
		fmt.Fprintln(w)
	}
}
