package sentiment

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkNew measures the load of the lexicons and the Korean model
// (target: under 300 ms).
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/load")
}

func benchTexts(b *testing.B, name string, read func(f *os.File) ([]Rated, error), n int) []string {
	d := readData(b, name, read)
	out := make([]string, 0, n)
	for _, r := range d[:min(n, len(d))] {
		out = append(out, r.Text)
	}
	return out
}

func benchAnalyze(b *testing.B, texts []string) {
	a := newTestAnalyzer(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a.Analyze(texts[i%len(texts)], Context{Terms: []string{"acme"}})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
}

// Per-core throughput: run with -cpu 1.
func BenchmarkAnalyzeEnglishTweets(b *testing.B) {
	benchAnalyze(b, benchTexts(b, "en/tweets_groundtruth.tsv", vaderFile, 4200))
}

func BenchmarkAnalyzeKorean(b *testing.B) {
	benchAnalyze(b, benchTexts(b, "ko/test.tsv", nsmcFile, 5000))
}

// The embedded models stay within the budget of 16 MB.
func TestEmbeddedModelSize(t *testing.T) {
	if n := len(enModelBytes) + len(koModelBytes); n > 16<<20 {
		t.Errorf("embedded models are %d bytes, want <= 16 MiB", n)
	}
}

// BenchmarkAnalyzeBrands is AnalyzeBrands on two-brand comparisons.
func BenchmarkAnalyzeBrands(b *testing.B) {
	a := newTestAnalyzer(b)
	bs := []BrandTerms{{Name: "Acme", Terms: []string{"Acme", "아크미"}}, {Name: "Globex", Terms: []string{"Globex", "글로벡스"}}}
	texts := []string{"switched from Acme to Globex, so much better", "Acme's app is slow but Globex loads instantly", "글로벡스보다 아크미가 훨씬 나음"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a.AnalyzeBrands(texts[i%len(texts)], Context{}, bs)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
}

// docs/report.md states the fitted bands and priors of the embedded
// models; retraining must update them.
func TestDocsStateCalibration(t *testing.T) {
	a := newTestAnalyzer(t)
	b, err := os.ReadFile("../../docs/report.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(b)), " ")
	for _, want := range []string{
		fmt.Sprintf("English %.2f, Korean %.2f", a.enModel.Band, a.koModel.Band),
		fmt.Sprintf("it chose %g for English and %g for Korean", a.enModel.Prior, a.koModel.Prior),
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/report.md does not say %q", want)
		}
	}
}
