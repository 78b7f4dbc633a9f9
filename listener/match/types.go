package match

// Input is the part of a post the matcher looks at.
type Input struct {
	Network string // config network name ("hackernews", "rss", ...)
	Author  string // the post author's handle, as the network gives it
	Title   string
	Text    string // plain text
}

// Result says what a post mentions. A post is kept when Matched is true.
type Result struct {
	Brands  []string // brand names whose terms or handles occur (config order)
	Topics  []string // topic names whose query matches (config order)
	OwnedBy string   // brand whose handle on Network authored the post, or ""
}

// Matched reports whether the post mentions any brand or topic, or was
// published by a brand's own account.
func (r Result) Matched() bool {
	return len(r.Brands) > 0 || len(r.Topics) > 0 || r.OwnedBy != ""
}
