package train

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/earshot/earshot/analysis/sentiment"
	"github.com/earshot/earshot/analysis/sentiment/internal/mlr"
)

// small loads the test sources: 3,000 NSMC-style reviews
// (testdata/train-sample.tsv) and the brand-talk sets.
func small(t *testing.T) []Split {
	t.Helper()
	srcs := []Source{
		{Name: "nsmc-sample", Lang: "ko", Path: "testdata/train-sample.tsv", NSMC: true, Weight: 1, Cal: 1},
		{Name: "brandtalk-ko", Lang: "ko", Path: "brandtalk/ko.tsv", Small: true, Weight: 8, Cal: 2},
		{Name: "brandtalk-en", Lang: "en", Path: "brandtalk/en.tsv", Small: true, Weight: 8, Cal: 2},
	}
	sp, err := Load("../testdata", "testdata", srcs)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sp[0].Train) + len(sp[0].Dev); n != 3000 {
		t.Fatalf("nsmc sample: %d rows, want 3000", n)
	}
	return sp
}

// Two trainings on the same data write the same bytes; another seed
// writes others. The model is calibrated and labels held-out reviews.
func TestBuildIsReproducible(t *testing.T) {
	sp := small(t)
	ctx := context.Background()
	o := Options{Lang: "ko", Bits: 16, Epochs: 2}
	a, err := Build(ctx, sp, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(ctx, sp, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two trainings gave different bytes")
	}
	o.Seed = 2
	if c, _ := Build(ctx, sp, o); bytes.Equal(a, c) {
		t.Error("a different seed gave the same bytes: the seed is not used")
	}
	m, err := mlr.Decode(a)
	if err != nil {
		t.Fatal(err)
	}
	if m.Lang != "ko" || m.FeatVersion != sentiment.FeatureVersion || m.Temp <= 0 {
		t.Fatalf("model header %q v%d T=%v", m.Lang, m.FeatVersion, m.Temp)
	}
	x, err := sentiment.NewExtractor(16)
	if err != nil {
		t.Fatal(err)
	}
	right, n := 0, 0
	for _, r := range sp[0].Dev {
		fs, c := x.Features(r.Text, "ko", nil)
		p := m.Probs(m.AddPrior(m.Logits(fs), c))
		n++
		if (p[mlr.Pos] > p[mlr.Neg]) == (r.Label == sentiment.Positive) {
			right++
		}
	}
	acc := float64(right) / float64(n)
	t.Logf("dev accuracy %.3f on %d reviews (T=%.2f band=%.2f prior=%.1f)", acc, n, m.Temp, m.Band, m.Prior)
	if acc < 0.68 {
		t.Errorf("dev accuracy %.3f, want >= 0.68", acc)
	}
}

// Calibrate on a model that knows nothing but the lexicon prior: only a
// prior above 0 and a band above 0 label the three rows right.
func TestCalibrateHandComputed(t *testing.T) {
	m := &mlr.Model{Lang: "en", Bits: mlr.MinBits, Temp: 1, W: make([]float32, mlr.K<<mlr.MinBits)}
	dev := []Vec{
		{Class: mlr.Pos, Compound: 0.8, Weight: 1},
		{Class: mlr.Neg, Compound: -0.8, Weight: 1},
		{Class: mlr.Neu, Compound: 0, Weight: 1},
	}
	if err := Calibrate(m, dev); err != nil {
		t.Fatal(err)
	}
	if m.Prior <= 0 || m.Band <= 0 {
		t.Fatalf("prior %v band %v, want both > 0", m.Prior, m.Band)
	}
	for _, d := range dev {
		p := m.Probs(m.AddPrior(m.Logits(nil), d.Compound))
		if got := ClassOf(p[mlr.Pos]-p[mlr.Neg], float64(m.Band)); got != d.Class {
			t.Errorf("compound %v: class %d, want %d", d.Compound, got, d.Class)
		}
	}
	if err := Calibrate(m, nil); err == nil {
		t.Error("Calibrate accepted no dev rows")
	}
}

func TestMacroF1AndClassOfHandComputed(t *testing.T) {
	// rows gold neg, neu, pos; columns predicted. Per class P = R:
	// negative 3/4, neutral 2/4, positive 4/5 → (0.75+0.5+0.8)/3.
	conf := [mlr.K][mlr.K]float64{{3, 1, 0}, {1, 2, 1}, {0, 1, 4}}
	if got := MacroF1(conf); math.Abs(got-2.05/3) > 1e-12 {
		t.Errorf("MacroF1 = %v, want %v", got, 2.05/3)
	}
	// A class never predicted scores 0 and still counts.
	if got := MacroF1([mlr.K][mlr.K]float64{{2, 0, 0}, {1, 0, 0}, {0, 0, 1}}); math.Abs(got-1.8/3) > 1e-12 {
		t.Errorf("MacroF1 with an empty class = %v, want %v", got, 1.8/3)
	}
	for _, c := range []struct {
		score, band float64
		want        int
	}{{0.3, 0.3, mlr.Pos}, {0.29, 0.3, mlr.Neu}, {-0.3, 0.3, mlr.Neg}, {-0.29, 0.3, mlr.Neu}, {0, 0, mlr.Pos}} {
		if got := ClassOf(c.score, c.band); got != c.want {
			t.Errorf("ClassOf(%v, %v) = %d, want %d", c.score, c.band, got, c.want)
		}
	}
}

func TestFitErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Fit(ctx, nil, Options{}); err == nil {
		t.Error("Fit accepted no examples")
	}
	if _, err := Fit(ctx, []Vec{{Class: 3, Weight: 1}}, Options{}); err == nil {
		t.Error("Fit accepted class 3")
	}
	if _, err := Fit(ctx, []Vec{{Class: 1, Weight: 0}}, Options{}); err == nil {
		t.Error("Fit accepted weight 0")
	}
	if _, err := Load("nowhere", "testdata", Sources[:1]); err == nil {
		t.Error("Load read a missing file")
	}
}
