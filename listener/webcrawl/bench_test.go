package webcrawl

import (
	"bytes"
	"io/fs"
	"net/url"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/earshot/earshot/listener/webcrawl/sitefake"
	"github.com/rs/zerolog"
)

// BenchmarkParsePage measures the item decoder on the forum's first page;
// the goquery sub-benchmark (HTML parsing alone) is the baseline.
func BenchmarkParsePage(b *testing.B) {
	body, err := fs.ReadFile(sitefake.Recordings(), "testdata/site/index.html")
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(forumConfig("https://forum.example"), clock, zerolog.Nop()).compile()
	if err != nil {
		b.Fatal(err)
	}
	pageURL, _ := url.Parse("https://forum.example/")
	b.Run("goquery", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := goquery.NewDocumentFromReader(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parsePage", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if pg, err := parsePage(body, pageURL, &p.sel, now); err != nil || len(pg.items) != 6 {
				b.Fatal(err)
			}
		}
	})
}
