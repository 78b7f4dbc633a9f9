package earshot

import "embed"

// Fixtures holds the recorded network responses under testdata/<network>,
// replayed on loopback by `earshot demo` (listener/replay and each
// network's fake).
//
//go:embed testdata/hackernews testdata/rss testdata/mastodon testdata/bluesky testdata/x testdata/reddit testdata/youtube testdata/naver testdata/webcrawl
var Fixtures embed.FS
