package sentiment

import (
	"fmt"
	"hash/fnv"
	"io"
	"strings"
)

// Labelled is one text with a human 3-class label and the brand terms it
// names (masked when scoring, as at ingest).
type Labelled struct {
	Text  string
	Label string // positive, neutral, negative
	Terms []string
}

// ReadLabelled reads "label<TAB>text" rows (the shared training files) or
// "label<TAB>terms<TAB>text" rows (the brand-talk sets in testdata, terms
// comma-separated, may be empty). Lines starting with # are comments.
func ReadLabelled(r io.Reader) ([]Labelled, error) {
	var out []Labelled
	_, err := readRows(r, func(cols []string) error {
		l := Labelled{Label: cols[0], Text: cols[len(cols)-1]}
		if !validLabel(l.Label) {
			return fmt.Errorf("label %q, want positive, neutral or negative", l.Label)
		}
		if len(cols) == 3 {
			l.Terms = splitTerms(cols[1], ",")
		}
		if strings.TrimSpace(l.Text) == "" {
			return fmt.Errorf("empty text")
		}
		out = append(out, l)
		return nil
	}, 2, 3)
	return out, err
}

// BrandLabel is the gold label of one brand in a post.
type BrandLabel struct {
	Brand string
	Terms []string // the name first, then aliases
	Label string
}

// Comparative is a post naming several brands, with a label per brand.
type Comparative struct {
	Text   string
	Brands []BrandLabel
}

// ReadComparative reads "brand=label;brand|alias=label<TAB>text" rows.
func ReadComparative(r io.Reader) ([]Comparative, error) {
	var out []Comparative
	_, err := readRows(r, func(cols []string) error {
		c := Comparative{Text: cols[1]}
		for _, spec := range strings.Split(cols[0], ";") {
			names, lab, ok := strings.Cut(spec, "=")
			terms := splitTerms(names, "|")
			if !ok || len(terms) == 0 || !validLabel(lab) {
				return fmt.Errorf("brand label %q, want name[|alias...]=positive|neutral|negative", spec)
			}
			c.Brands = append(c.Brands, BrandLabel{Brand: terms[0], Terms: terms, Label: lab})
		}
		out = append(out, c)
		return nil
	}, 2, 2)
	return out, err
}

func readRows(r io.Reader, row func([]string) error, minCols, maxCols int) (int, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return 0, err
	}
	n := 0
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < minCols || len(cols) > maxCols {
			return n, fmt.Errorf("line %d: %d columns, want %d to %d", i+1, len(cols), minCols, maxCols)
		}
		if err := row(cols); err != nil {
			return n, fmt.Errorf("line %d: %w", i+1, err)
		}
		n++
	}
	return n, nil
}

func splitTerms(s, sep string) []string {
	var out []string
	for _, t := range strings.Split(s, sep) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func validLabel(l string) bool { return l == Positive || l == Neutral || l == Negative }

// Splits of a labelled set: every set is cut the same way by SplitOf.
const (
	SplitTrain = "train"
	SplitDev   = "dev"  // calibration and model selection
	SplitTest  = "test" // measured once, for the figures in docs
)

// SplitOf assigns a text to a split by the FNV-1a hash of its bytes:
// hash % 10 == 0 is test, == 1 is dev, the rest train (for the brand-talk
// sets, which are small, < 2 is test and < 4 dev: 20% each). The split
// of a text never depends on the file it is in or on its neighbours.
func SplitOf(text string, small bool) string {
	h := fnv.New32a()
	h.Write([]byte(text))
	k := h.Sum32() % 10
	test, dev := uint32(1), uint32(2)
	if small {
		test, dev = 2, 4
	}
	switch {
	case k < test:
		return SplitTest
	case k < dev:
		return SplitDev
	}
	return SplitTrain
}

// ClassFigures are 3-class accuracy, macro-F1 and per-class precision and
// recall (index 0 negative, 1 neutral, 2 positive) of labels against gold.
type ClassFigures struct {
	N         int
	Accuracy  float64
	MacroF1   float64
	Precision [3]float64
	Recall    [3]float64
	Conf      [3][3]int // [gold][predicted]
	// Binary is the accuracy on the rows with a polar gold label of the
	// sign of the score (positive when Score > 0), as NSMC is measured.
	Binary float64
}

// classIndex maps a label to its index in ClassFigures.
func classIndex(label string) int {
	switch label {
	case Negative:
		return 0
	case Neutral:
		return 1
	}
	return 2
}

// Figures computes ClassFigures from gold and predicted labels.
func Figures(gold, pred []string) ClassFigures {
	f := ClassFigures{N: len(gold)}
	for i := range gold {
		f.Conf[classIndex(gold[i])][classIndex(pred[i])]++
	}
	f.Accuracy, f.MacroF1 = accuracyF1(f.Conf[:])
	for c := 0; c < 3; c++ {
		var predC, goldC int
		for k := 0; k < 3; k++ {
			predC += f.Conf[k][c]
			goldC += f.Conf[c][k]
		}
		f.Precision[c], f.Recall[c] = ratio(f.Conf[c][c], predC), ratio(f.Conf[c][c], goldC)
	}
	return f
}

// EvalLabelled labels each text with a (its terms masked) and compares.
func EvalLabelled(a *Analyzer, data []Labelled) ClassFigures {
	gold := make([]string, len(data))
	pred := make([]string, len(data))
	polar, right := 0, 0
	for i, d := range data {
		r := a.Analyze(d.Text, Context{Terms: d.Terms})
		gold[i], pred[i] = d.Label, r.Label
		if d.Label != Neutral {
			polar++
			if (r.Score > 0) == (d.Label == Positive) {
				right++
			}
		}
	}
	f := Figures(gold, pred)
	f.Binary = ratio(right, polar)
	return f
}

// BrandFigures compare per-brand labels with the gold labels of a
// comparative set: accuracy of AnalyzeBrands, and of giving every brand
// the post's own label (what Earshot did before per-brand sentiment).
type BrandFigures struct {
	Posts, Pairs int // posts, and (post, brand) labels
	Accuracy     float64
	WholeLabel   float64 // accuracy of the post's label for every brand
	Fig          ClassFigures
}

// EvalComparative labels every brand of every post with AnalyzeBrands.
func EvalComparative(a *Analyzer, data []Comparative) BrandFigures {
	var gold, pred, whole []string
	for _, d := range data {
		bs := make([]BrandTerms, len(d.Brands))
		for i, b := range d.Brands {
			bs[i] = BrandTerms{Name: b.Brand, Terms: b.Terms}
		}
		w, per := a.AnalyzeBrands(d.Text, Context{}, bs)
		for i, b := range d.Brands {
			gold = append(gold, b.Label)
			pred = append(pred, per[i].Label)
			whole = append(whole, w.Label)
		}
	}
	f := Figures(gold, pred)
	return BrandFigures{Posts: len(data), Pairs: len(gold), Accuracy: f.Accuracy, WholeLabel: Figures(gold, whole).Accuracy, Fig: f}
}

// EvalLabelledVADER is EvalLabelled for VADER alone: the compound of the
// masked text, labelled at ±0.05.
func EvalLabelledVADER(a *Analyzer, data []Labelled) ClassFigures {
	gold := make([]string, len(data))
	pred := make([]string, len(data))
	for i, d := range data {
		gold[i] = d.Label
		pred[i] = label(a.Analyze(d.Text, Context{Terms: d.Terms}).Compound, EnglishNeutral)
	}
	return Figures(gold, pred)
}
