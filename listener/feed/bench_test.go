package feed

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/earshot/earshot/listener/replay"
	"github.com/mmcdole/gofeed"
)

// BenchmarkParse compares parse (gofeed + original feed kept + mapping to
// posts) with a baseline of plain gofeed parsing of the same feed.
func BenchmarkParse(b *testing.B) {
	body, err := fs.ReadFile(replay.Recordings(), replay.FeedDir+"/googlenews_ko.xml")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := parse(body, "https://news.google.com/rss/search", now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline_gofeed", func(b *testing.B) {
		for b.Loop() {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
