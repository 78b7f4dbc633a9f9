package listener

import (
	"context"
	"fmt"
	"time"
)

// Budget is a persisted daily allowance of calls or quota units for one
// source (Naver's 25,000 calls, YouTube's quota units, X's billed reads).
// Take reserves n units before a request is sent; when fewer than n remain
// it returns a *BudgetError and reserves nothing. A nil Budget is unlimited:
// sources must check for nil.
type Budget interface {
	Take(n int) error
	Usage() BudgetUsage
}

// BudgetUsage is what a Budget has spent today.
type BudgetUsage struct {
	Used, Limit int
	Resets      time.Time // start of the next budget day
}

// BudgetError says a source's daily budget is spent; the scheduler waits
// until Resets.
type BudgetError struct {
	Used, Limit int
	Resets      time.Time
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("daily budget spent: %d of %d used; resets at %s", e.Used, e.Limit, e.Resets.UTC().Format(time.RFC3339))
}

// Post is one item fetched from a network, normalised: Text is plain text
// (HTML removed, entities decoded), times are UTC.
type Post struct {
	Network  string
	NativeID string // the network's id; the canonical link where it has none
	URL      string // permalink to the original
	Title    string // the author's own title; "" for a reply that has none
	Text     string
	// ParentTitle is the title of the thread, story or video a reply belongs
	// to: context written by someone else. It is never matched against
	// brands or topics (attribution comes only from what the author wrote).
	ParentTitle string

	Author          string // handle
	AuthorName      string
	AuthorFollowers int64

	Published time.Time
	Lang      string // as declared by the network, if any

	Engagement map[string]int64 // as the network names the counts
	// Owned is true when the post was fetched from a brand's own account.
	Owned      bool
	OwnedBrand string

	// ReplyTo is the NativeID of the post this one answers (same network),
	// "" when it answers nothing or the parent is unknown.
	ReplyTo string
	// Links are the absolute URLs the post carries (outbound links), deduplicated.
	Links []string
	// PublishedEstimated is true when the network gives no date and
	// Published is the time Earshot first saw the post.
	PublishedEstimated bool
	// LegacyNativeID is the NativeID an earlier version gave the post
	// when it differs ("" otherwise): a post already stored under it is
	// not stored again.
	LegacyNativeID string
}

// Account is a brand's own account on a network; sources fetch what it
// publishes and mark those posts Owned.
type Account struct {
	Brand  string // brand name from the config
	Handle string // as written in the config (leading @ removed)
}

// Source fetches new posts from one configured source.
//
// Fetch returns posts published after the state in cursor (nil on the first
// run) and the cursor to save once those posts are stored. A Source must be
// safe to call again with the same cursor after a failure: nothing is saved
// until the caller commits. Errors that carry a wait (429, Retry-After) are
// returned as (or wrap) *HTTPError.
//
// Partial success: a source that polls several endpoints (several feed URLs)
// may return posts, a next cursor AND a non-nil error when some endpoints
// failed. The caller commits posts and next (next must then only advance
// the endpoints that succeeded) and records the error in the source's health.
// When next is nil the caller commits nothing.
type Source interface {
	Name() string
	Network() string
	Fetch(ctx context.Context, cursor []byte) (posts []Post, next []byte, err error)
}

// HTTPError is a non-2xx answer from a network.
type HTTPError struct {
	URL        string
	StatusCode int
	// RetryAfter is the wait the server asked for (Retry-After, rate-limit
	// reset headers); zero when it named none.
	RetryAfter time.Duration
	// Body is the start of the response body, for the health report.
	Body string
}

func (e *HTTPError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s: http %d (retry after %s): %s", e.URL, e.StatusCode, e.RetryAfter, e.Body)
	}
	return fmt.Sprintf("%s: http %d: %s", e.URL, e.StatusCode, e.Body)
}
