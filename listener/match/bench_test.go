package match

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
)

// BenchmarkMatch: 1,000 brands × 5 terms (mixed English/Korean) over
// ~500-byte mixed-language posts. Reports MB/s and, measured in the same
// run, how many times faster Match is than the naive per-term loop.
func BenchmarkMatch(b *testing.B) { benchMatch(b, 1000, 5) }

// BenchmarkMatchSmall: 3 brands, the common small configuration.
func BenchmarkMatchSmall(b *testing.B) { benchMatch(b, 3, 5) }

func benchMatch(b *testing.B, nBrands, terms int) {
	r := rand.New(rand.NewPCG(7, 11))
	brands := genBrands(r, nBrands, terms)
	topics := []config.Topic{{Name: "battery", Query: "배터리 OR batter*"}, {Name: "price", Query: "price NEAR/3 new"}}
	m, err := New(brands, topics)
	if err != nil {
		b.Fatal(err)
	}
	ref := newNaive(brands)
	posts := make([]Input, 64)
	size := 0
	for i := range posts {
		posts[i] = Input{Network: "rss", Title: genPost(r, brands, 40), Text: genPost(r, brands, 460)}
		size += len(posts[i].Title) + len(posts[i].Text)
	}
	b.SetBytes(int64(size / len(posts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Match(posts[i%len(posts)])
	}
	b.StopTimer()
	perOp := float64(b.Elapsed()) / float64(b.N)

	// The naive baseline, timed here so the ratio compares runs on the
	// same machine state: at least one pass over the posts, ~200ms.
	start := time.Now()
	n := 0
	for n < len(posts) || time.Since(start) < 200*time.Millisecond {
		ref.match(posts[n%len(posts)])
		n++
	}
	naivePerOp := float64(time.Since(start)) / float64(n)
	b.ReportMetric(naivePerOp/perOp, "x-vs-naive")
}
