package sentiment

import (
	"os"
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
