package listener

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Batch gathers what a fetch over several endpoints (queries, accounts,
// feed URLs) got, for the partial-success rule of Source.Fetch: each post
// once (by NativeID, first endpoint wins), and every endpoint's error.
// The zero value is ready to use.
type Batch struct {
	posts []Post
	seen  map[string]bool
	ok    int
	errs  []error
	warns []error
}

// Add records an endpoint that succeeded and its posts.
func (b *Batch) Add(posts []Post) {
	b.ok++
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	for _, p := range posts {
		if !b.seen[p.NativeID] {
			b.seen[p.NativeID] = true
			b.posts = append(b.posts, p)
		}
	}
}

// Warn records something the user should see that is not a failure
// (items left for the next fetch): a *Warning in Result's error.
func (b *Batch) Warn(msg string) { b.warns = append(b.warns, &Warning{Msg: msg}) }

// Fail records an endpoint that failed.
func (b *Batch) Fail(err error) { b.errs = append(b.errs, err) }

// Result is the fetch's answer: when no endpoint succeeded, no posts and
// no cursor (nothing is committed) with the joined errors; otherwise the
// posts, the encoded cursor and the joined errors and warnings (nil when
// there are none).
func (b *Batch) Result(source string, cursor any) ([]Post, []byte, error) {
	if b.ok == 0 {
		return nil, nil, errors.Join(b.errs...)
	}
	c, err := json.Marshal(cursor)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: encode cursor: %w", source, err)
	}
	return b.posts, c, errors.Join(append(b.errs, b.warns...)...)
}
