package match

// Input is the part of a post the matcher looks at: only what its author
// wrote. A reply's parent title (listener.Post.ParentTitle) is context
// written by someone else and is never passed here, so a brand named only
// in the thread's title is not attributed to the reply.
type Input struct {
	Network string // config network name ("hackernews", "rss", ...)
	Author  string // the post author's handle, as the network gives it
	Title   string // the author's own title; "" for a reply
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
