package sentiment

import (
	"os"
	"testing"
)

func readComparative(t *testing.T) []Comparative {
	t.Helper()
	f, err := os.Open("testdata/brandtalk/comparative.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadComparative(f)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAnalyzeBrandsRules(t *testing.T) {
	a := newTestAnalyzer(t)
	acme, globex := BrandTerms{Name: "Acme", Terms: []string{"Acme", "아크미"}}, BrandTerms{Name: "Globex", Terms: []string{"Globex", "글로벡스"}}
	tests := []struct {
		text, acme, globex, rule string
	}{
		{"switched from Acme to Globex, so much better", Negative, Positive, "comparison"},
		{"Globex is way better than Acme", Negative, Positive, "comparison"},
		{"Acme is way better than Globex", Positive, Negative, "comparison"},
		{"Globex is slower than Acme", Positive, Negative, "comparison"},
		{"Acme > Globex", Positive, Negative, "comparison"},
		{"글로벡스보다 아크미가 훨씬 나음", Positive, Negative, "comparison"},
		{"아크미보다 글로벡스가 배송이 느려요", Positive, Negative, "comparison"},
		{"아크미에서 글로벡스로 갈아탔는데 완전 만족", Negative, Positive, "comparison"},
		{"Acme's app is painfully slow and crashes constantly. Globex is fast and wonderful, I love it!", Negative, Positive, "clause"},
		{"Acme and Globex both raised prices again. ridiculous", Negative, Negative, "clause"},
	}
	for _, tt := range tests {
		_, per := a.AnalyzeBrands(tt.text, Context{}, []BrandTerms{acme, globex})
		if per[0].Label != tt.acme || per[1].Label != tt.globex || per[0].Rule != tt.rule {
			t.Errorf("%q: Acme %s, Globex %s (%s); want %s, %s (%s)", tt.text, per[0].Label, per[1].Label, per[0].Rule, tt.acme, tt.globex, tt.rule)
		}
	}
	// One brand, or a brand the text does not name: the post's label.
	whole, per := a.AnalyzeBrands("Acme support left me hanging for 9 days", Context{}, []BrandTerms{acme, globex})
	if per[0].Label != whole.Label || per[1].Label != whole.Label || per[1].Rule != "whole" {
		t.Errorf("one brand named: post %s, per brand %+v", whole.Label, per)
	}
	// The post's own result is Analyze's with every brand masked.
	if want := a.Analyze("Acme support left me hanging for 9 days", Context{Terms: []string{"Acme", "아크미", "Globex", "글로벡스"}}); whole != want {
		t.Errorf("AnalyzeBrands' post result %+v, Analyze %+v", whole, want)
	}
}

// The acceptance figure for per-brand labels, on the test cut of
// the comparative set; the post's label for every brand is the baseline
// it must beat.
func TestComparativeFigures(t *testing.T) {
	a := newTestAnalyzer(t)
	var held []Comparative
	all := readComparative(t)
	if len(all) < 200 {
		t.Fatalf("comparative set has %d posts, want >= 200", len(all))
	}
	for _, c := range all {
		if SplitOf(c.Text, true) == SplitTest {
			held = append(held, c)
		}
	}
	f := EvalComparative(a, held)
	t.Logf("comparative test cut: %d posts, %d labels, accuracy %.3f (post's label for every brand %.3f)", f.Posts, f.Pairs, f.Accuracy, f.WholeLabel)
	if f.Accuracy < 0.70 || f.Accuracy < f.WholeLabel+0.2 {
		t.Errorf("per-brand accuracy %.3f, want >= 0.70 and 0.2 above the post's label (%.3f)", f.Accuracy, f.WholeLabel)
	}
}

// Brand talk: the held-out test cut of each language's set, against the
// figures measured once when the models were chosen (docs/report.md).
func TestBrandTalkFigures(t *testing.T) {
	a := newTestAnalyzer(t)
	for _, lang := range []string{"en", "ko"} {
		f, err := os.Open("testdata/brandtalk/" + lang + ".tsv")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := ReadLabelled(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 300 {
			t.Fatalf("%s brand talk: %d rows, want >= 300", lang, len(rows))
		}
		var held []Labelled
		for _, r := range rows {
			if SplitOf(r.Text, true) == SplitTest {
				held = append(held, r)
			}
		}
		fig, vader := EvalLabelled(a, held), EvalLabelledVADER(a, held)
		t.Logf("%s brand talk test cut: n=%d acc=%.3f macroF1=%.3f P/R neg %.2f/%.2f neu %.2f/%.2f pos %.2f/%.2f (VADER alone %.3f)", lang, fig.N, fig.Accuracy, fig.MacroF1,
			fig.Precision[0], fig.Recall[0], fig.Precision[1], fig.Recall[1], fig.Precision[2], fig.Recall[2], vader.Accuracy)
		if fig.Accuracy < 0.78 || fig.MacroF1 < 0.75 {
			t.Errorf("%s brand talk: accuracy %.3f macro-F1 %.3f, want >= 0.78 and 0.75", lang, fig.Accuracy, fig.MacroF1)
		}
	}
}

func TestReadLabelledErrors(t *testing.T) {
	for _, in := range []string{"happy\ttext\n", "positive\t\n", "positive\ta\tb\tc\n", "nolabel\n"} {
		if _, err := ReadLabelled(stringsReader(in)); err == nil {
			t.Errorf("ReadLabelled(%q) accepted bad input", in)
		}
	}
	for _, in := range []string{"Acme\ttext\n", "Acme=great\ttext\n", "=positive\ttext\n", "Acme=positive\n"} {
		if _, err := ReadComparative(stringsReader(in)); err == nil {
			t.Errorf("ReadComparative(%q) accepted bad input", in)
		}
	}
	d, err := ReadComparative(stringsReader("# comment\nAcme|acmeair=negative;Globex=positive\tswitched\n"))
	if err != nil || len(d) != 1 || d[0].Brands[0].Brand != "Acme" || len(d[0].Brands[0].Terms) != 2 || d[0].Brands[1].Label != Positive {
		t.Errorf("ReadComparative: %+v, %v", d, err)
	}
}

// Figures on labels worked by hand.
func TestFiguresHandComputed(t *testing.T) {
	gold := []string{Negative, Negative, Negative, Neutral, Neutral, Positive, Positive, Positive}
	pred := []string{Negative, Negative, Neutral, Neutral, Positive, Positive, Positive, Negative}
	f := Figures(gold, pred)
	// 5 of 8 right. Negative P 2/3 R 2/3; neutral P 1/2 R 1/2; positive
	// P 2/3 R 2/3.
	if f.N != 8 || !near(f.Accuracy, 5.0/8) || !near(f.Precision[0], 2.0/3) || !near(f.Recall[1], 0.5) || !near(f.Precision[2], 2.0/3) ||
		!near(f.MacroF1, (2.0/3+0.5+2.0/3)/3) {
		t.Errorf("Figures = %+v", f)
	}
}
