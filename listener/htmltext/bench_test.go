package htmltext

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// benchInput is a typical HN comment repeated to about 4 KB.
var benchInput = strings.Repeat(`<p>We&#x27;ve had three P1 tickets open with <a href="https:&#x2F;&#x2F;initech.com">Initech</a> for 9 days.<pre><code>  x := 1
</code></pre>`, 25)

// BenchmarkToText compares ToText with a baseline that only builds the DOM
// with html.Parse (no text extraction at all).
func BenchmarkToText(b *testing.B) {
	b.Run("ToText", func(b *testing.B) {
		b.SetBytes(int64(len(benchInput)))
		for b.Loop() {
			_ = ToText(benchInput)
		}
	})
	b.Run("baseline_html.Parse", func(b *testing.B) {
		b.SetBytes(int64(len(benchInput)))
		for b.Loop() {
			_, _ = html.Parse(strings.NewReader(benchInput))
		}
	})
}
