package sentiment

import (
	"math"
	"strings"
	"testing"
)

// The figures that gate sentiment quality, on inputs small enough to work
// out by hand. A metric that flatters (absolute r, neutral counted as a
// hit, F1 averaged over fewer classes) fails here even when the real data
// sets still pass their thresholds.

func near(got, want float64) bool { return math.Abs(got-want) < 1e-9 }

func TestPearsonHandComputed(t *testing.T) {
	// x = 1..4, y = 2,4,5,9: means 2.5 and 5; Σdxdy = 11, Σdx² = 5,
	// Σdy² = 26; r = 11/√130.
	r := 11 / math.Sqrt(130)
	tests := []struct {
		name string
		x, y []float64
		want float64
	}{
		{"positive", []float64{1, 2, 3, 4}, []float64{2, 4, 5, 9}, r},
		{"negative", []float64{1, 2, 3, 4}, []float64{9, 5, 4, 2}, -r},
		{"perfect", []float64{-1, 0, 1}, []float64{-4, -2, 0}, 1},
		{"perfect negative", []float64{-1, 0, 1}, []float64{3, 2, 1}, -1},
		// x = -1,0,1 and y = 1,0,1: Σdxdy = 0.
		{"uncorrelated", []float64{-1, 0, 1}, []float64{1, 0, 1}, 0},
		{"constant side", []float64{1, 2, 3}, []float64{5, 5, 5}, 0},
		{"empty", nil, nil, 0},
	}
	for _, tt := range tests {
		if got := pearson(tt.x, tt.y); !near(got, tt.want) {
			t.Errorf("%s: pearson = %.12f, want %.12f", tt.name, got, tt.want)
		}
		if got := pearson(tt.y, tt.x); !near(got, tt.want) {
			t.Errorf("%s: pearson is not symmetric: %.12f", tt.name, got)
		}
	}
}

func TestAccuracyAndMacroF1HandComputed(t *testing.T) {
	// rows: gold negative, neutral, positive; columns: predicted.
	conf := [][3]int{
		{3, 1, 0},
		{1, 2, 1},
		{0, 1, 4},
	}
	// 9 of 13 on the diagonal. Per class P = R: negative 3/4, neutral 2/4,
	// positive 4/5, so F1 = P and macro F1 = (0.75 + 0.5 + 0.8) / 3.
	acc, f1 := accuracyF1(conf)
	if !near(acc, 9.0/13) || !near(f1, 2.05/3) {
		t.Errorf("accuracyF1 = %.6f, %.6f; want %.6f, %.6f", acc, f1, 9.0/13, 2.05/3)
	}
	// A class never predicted has F1 0 and still counts in the average.
	acc, f1 = accuracyF1([][3]int{{2, 0, 0}, {1, 0, 0}, {0, 0, 1}})
	// negative P 2/3 R 1 → F1 0.8; neutral 0; positive 1.
	if !near(acc, 3.0/4) || !near(f1, 1.8/3) {
		t.Errorf("with an empty class: %.6f, %.6f; want %.6f, %.6f", acc, f1, 3.0/4, 1.8/3)
	}
	if acc, f1 := accuracyF1(make([][3]int, 3)); acc != 0 || f1 != 0 {
		t.Errorf("no data: %v, %v", acc, f1)
	}
}

// EvalKorean's counting on ten texts whose predictions are checked first.
func TestEvalKoreanHandComputed(t *testing.T) {
	a := newTestAnalyzer(t)
	const (
		pos     = "I love it, a great and wonderful phone!"
		neg     = "Terrible, awful phone. I hate it."
		neutral = "The box arrived on Tuesday."
	)
	for text, want := range map[string]string{pos: Positive, neg: Negative, neutral: Neutral} {
		r := a.Analyze(text, Context{})
		if r.Label != want || (want == Positive) != (r.Score > 0) {
			t.Fatalf("precondition: %q scores %v (%s), want %s", text, r.Score, r.Label, want)
		}
	}
	var data []Rated
	add := func(text string, gold float64, n int) {
		for range n {
			data = append(data, Rated{Text: text, Rating: gold})
		}
	}
	add(pos, 1, 3)     // true positives
	add(pos, 0, 1)     // false positive
	add(neg, 1, 2)     // false negatives
	add(neg, 0, 3)     // true negatives
	add(neutral, 0, 1) // Score 0 is "not positive": a true negative, and neutral
	f := EvalKorean(a, data)
	want := KoreanFigures{
		N: 10, Accuracy: 0.7,
		PrecPos: 0.75, RecPos: 0.6, // 3/4, 3/5
		PrecNeg: 4.0 / 6, RecNeg: 0.8, // 4/6, 4/5
		NeutralShare: 0.1, AccuracyExclNeutrals: 6.0 / 9,
	}
	if f.N != want.N || !near(f.Accuracy, want.Accuracy) || !near(f.PrecPos, want.PrecPos) || !near(f.RecPos, want.RecPos) ||
		!near(f.PrecNeg, want.PrecNeg) || !near(f.RecNeg, want.RecNeg) || !near(f.NeutralShare, want.NeutralShare) ||
		!near(f.AccuracyExclNeutrals, want.AccuracyExclNeutrals) {
		t.Errorf("EvalKorean = %+v\nwant          %+v", f, want)
	}
}

// EvalEnglish puts the rating on the compound's scale (÷4) before banding.
func TestEvalEnglishHandComputed(t *testing.T) {
	a := newTestAnalyzer(t)
	data := []Rated{
		{"I love it, a great and wonderful phone!", 3.2},
		{"Terrible, awful phone. I hate it.", -2.9},
		{"The box arrived on Tuesday.", 0.1}, // 0.1/4 is inside the ±0.05 band
		{"I love it, a great and wonderful phone!", -0.1},
	}
	f := EvalEnglish(a, data)
	pred := make([]float64, len(data))
	gold := make([]float64, len(data))
	for i, d := range data {
		pred[i], gold[i] = a.Analyze(d.Text, Context{}).Score, d.Rating
	}
	// Classes (gold, predicted): (+,+), (−,−), (0,0), (0,+): 3 of 4 right.
	// F1: negative 1; neutral P 1 R 1/2 → 2/3; positive P 1/2 R 1 → 2/3.
	if f.N != 4 || !near(f.Accuracy, 0.75) || !near(f.MacroF1, (1+4.0/3)/3) || !near(f.Pearson, pearson(pred, gold)) {
		t.Errorf("EvalEnglish = %+v, want n=4 acc=0.75 F1=%.4f r=%.4f", f, (1+4.0/3)/3, pearson(pred, gold))
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
