// Package listener defines the contract every source implements: a Source
// fetches the Posts published after a cursor and returns the next cursor,
// which is saved only once those posts are stored. Errors that ask for a
// wait (429, Retry-After) are *HTTPError values.
//
// The package has no dependencies of its own so that sources (listener/
// hackernews, listener/feed, ...) stay light; the scheduler and ingest
// pipeline that drive sources into the store live in listener/ingest, the
// matcher in listener/match.
package listener
