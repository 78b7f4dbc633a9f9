package earshot

import "embed"

// Fixtures holds the recorded network responses under testdata/hackernews and testdata/rss, served by listener/replay in the demo.
//
//go:embed testdata/hackernews testdata/rss
var Fixtures embed.FS
