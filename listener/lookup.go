package listener

import "context"

// Ref names one stored post whose counts a Lookup re-reads.
type Ref struct {
	NativeID string // Post.NativeID as first fetched
	URL      string
	// IsReply is true when the post answers another (Reddit comments are
	// t1_ things, submissions t3_).
	IsReply bool
}

// Lookup is implemented by sources whose network can re-read the
// engagement counts of posts already fetched (Hacker News items, Reddit
// /api/info, YouTube videos.list, X tweet lookup, Bluesky getPosts,
// Mastodon statuses). The refresher (listener/refresh) calls it for the
// mentions whose refresh is due.
type Lookup interface {
	// LookupBatch is the most refs one LookupCounts call takes.
	LookupBatch() int
	// LookupCounts returns the current counts of the posts named by refs,
	// keyed by NativeID, under the same names as Post.Engagement. A post
	// the network answered for but no longer serves (deleted, removed)
	// maps to nil; a ref absent from the map was not looked up (the error
	// says why). Each request's cost is taken from b first (nil =
	// unlimited); a *BudgetError or a failed request ends the call with
	// what was read so far and the error.
	LookupCounts(ctx context.Context, refs []Ref, b Budget) (map[string]map[string]int64, error)
}
