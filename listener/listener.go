package listener

import (
	"context"
	"fmt"
	"time"
)

// Post is one item fetched from a network, normalised: Text is plain text
// (HTML removed, entities decoded), times are UTC.
type Post struct {
	Network  string
	NativeID string // the network's id; the canonical link where it has none
	URL      string // permalink to the original
	Title    string
	Text     string

	Author          string // handle
	AuthorName      string
	AuthorFollowers int64

	Published time.Time
	Lang      string // as declared by the network, if any

	Engagement map[string]int64 // as the network names the counts
	// Owned is true when the post was fetched from a brand's own account.
	Owned      bool
	OwnedBrand string
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
