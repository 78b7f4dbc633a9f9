package sentiment

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Rated is one text with a human rating: VADER ground truth uses the mean
// rating -4..+4; NSMC uses 0 (negative) or 1 (positive).
type Rated struct {
	Text   string
	Rating float64
}

// ReadVADERTruth reads VADER's ground-truth files: "id<TAB>rating<TAB>text".
func ReadVADERTruth(r io.Reader) ([]Rated, error) {
	return readRated(r, func(cols []string) (Rated, bool, error) {
		if len(cols) != 3 {
			return Rated{}, false, fmt.Errorf("%d columns, want id, rating, text", len(cols))
		}
		v, err := strconv.ParseFloat(cols[1], 64)
		if err != nil {
			return Rated{}, false, err
		}
		return Rated{Text: cols[2], Rating: v}, true, nil
	})
}

// ReadNSMC reads "id<TAB>document<TAB>label" with a header row.
func ReadNSMC(r io.Reader) ([]Rated, error) {
	return readRated(r, func(cols []string) (Rated, bool, error) {
		if len(cols) != 3 {
			return Rated{}, false, fmt.Errorf("%d columns, want id, document, label", len(cols))
		}
		switch cols[2] {
		case "0", "1":
			return Rated{Text: cols[1], Rating: float64(cols[2][0] - '0')}, true, nil
		case "label":
			return Rated{}, false, nil
		}
		return Rated{}, false, fmt.Errorf("label %q, want 0 or 1", cols[2])
	})
}

func readRated(r io.Reader, parse func([]string) (Rated, bool, error)) ([]Rated, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var out []Rated
	for line := 1; sc.Scan(); line++ {
		row := strings.TrimRight(sc.Text(), "\r")
		if row == "" {
			continue
		}
		x, ok, err := parse(strings.SplitN(row, "\t", 3))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if ok {
			out = append(out, x)
		}
	}
	return out, sc.Err()
}

// EnglishFigures compares the analyzer with mean human ratings as the
// VADER paper does: Pearson r of Score against rating, and 3-class
// accuracy and macro F1 of Label against the rating's class (±0.05 band
// on rating/4).
type EnglishFigures struct {
	N        int
	Pearson  float64
	Accuracy float64
	MacroF1  float64
}

// EvalEnglish scores each text with a and computes EnglishFigures.
func EvalEnglish(a *Analyzer, data []Rated) EnglishFigures {
	pred := make([]float64, len(data))
	gold := make([]float64, len(data))
	var conf [3][3]int
	for i, d := range data {
		res := a.Analyze(d.Text, Context{})
		pred[i], gold[i] = res.Score, d.Rating
		conf[class(d.Rating/4)][classIndex(res.Label)]++
	}
	f := EnglishFigures{N: len(data), Pearson: pearson(pred, gold)}
	f.Accuracy, f.MacroF1 = accuracyF1(conf[:])
	return f
}

// RatingLabel is the 3-class label of a VADER ground-truth rating (-4..+4):
// the ±0.05 band on rating/4.
func RatingLabel(rating float64) string {
	return [3]string{Negative, Neutral, Positive}[class(rating/4)]
}

func class(x float64) int {
	switch {
	case x >= EnglishNeutral:
		return 2
	case x <= -EnglishNeutral:
		return 0
	}
	return 1
}

// KoreanFigures are binary accuracy and per-class precision and recall.
type KoreanFigures struct {
	N                    int
	Accuracy             float64
	PrecPos, RecPos      float64
	PrecNeg, RecNeg      float64
	NeutralShare         float64 // share the 3-class label calls neutral
	AccuracyExclNeutrals float64 // accuracy on the rest
}

// EvalKorean labels each text positive when Score > 0 (P > 0.5).
func EvalKorean(a *Analyzer, data []Rated) KoreanFigures {
	var tp, fp, tn, fn, neutral, confident, confidentOK int
	for _, d := range data {
		res := a.Analyze(d.Text, Context{})
		pos, gold := res.Score > 0, d.Rating == 1
		switch {
		case pos && gold:
			tp++
		case pos:
			fp++
		case gold:
			fn++
		default:
			tn++
		}
		if res.Label == Neutral {
			neutral++
		} else {
			confident++
			if pos == gold {
				confidentOK++
			}
		}
	}
	n := len(data)
	return KoreanFigures{
		N: n, Accuracy: ratio(tp+tn, n),
		PrecPos: ratio(tp, tp+fp), RecPos: ratio(tp, tp+fn),
		PrecNeg: ratio(tn, tn+fn), RecNeg: ratio(tn, tn+fp),
		NeutralShare: ratio(neutral, n), AccuracyExclNeutrals: ratio(confidentOK, confident),
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func accuracyF1(conf [][3]int) (acc, macroF1 float64) {
	var total, correct int
	for g := range conf {
		for p, n := range conf[g] {
			total += n
			if g == p {
				correct += n
			}
		}
	}
	var f1s float64
	for c := 0; c < 3; c++ {
		tp := conf[c][c]
		var predC, goldC int
		for k := 0; k < 3; k++ {
			predC += conf[k][c]
			goldC += conf[c][k]
		}
		p, r := ratio(tp, predC), ratio(tp, goldC)
		if p+r > 0 {
			f1s += 2 * p * r / (p + r)
		}
	}
	return ratio(correct, total), f1s / 3
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	if n == 0 {
		return 0
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// EvalVADER is EvalEnglish for VADER alone (the English scorer before the
// learned models): compound against rating, labels at ±0.05.
func EvalVADER(a *Analyzer, data []Rated) EnglishFigures {
	pred := make([]float64, len(data))
	gold := make([]float64, len(data))
	var conf [3][3]int
	for i, d := range data {
		res := a.Analyze(d.Text, Context{})
		pred[i], gold[i] = res.Compound, d.Rating
		conf[class(d.Rating/4)][class(res.Compound)]++
	}
	f := EnglishFigures{N: len(data), Pearson: pearson(pred, gold)}
	f.Accuracy, f.MacroF1 = accuracyF1(conf[:])
	return f
}
