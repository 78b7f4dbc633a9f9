package web

import (
	"context"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot/query"
	"github.com/earshot/earshot/store"
)

// What makes a search expensive (the one definition; see expensive).
const (
	// shortPrefix: a wildcard on fewer letters than this matches a large
	// part of the vocabulary ("a*").
	shortPrefix = 3
	// manyWildcards: this many wildcard terms multiply the expansion.
	manyWildcards = 3
	// deepOffset: paging this far needs every earlier hit ranked first.
	deepOffset = 2000
	// broadFacets: counting more facets than this over every mention (no
	// query text) touches each mention once per facet.
	broadFacets = 2
)

// Defaults of the expensive-search limiter.
const (
	defaultMaxExpensive  = 2
	defaultExpensiveWait = 2 * time.Second
	expensiveRetryAfter  = 5 * time.Second
)

// expensive reports whether req is one of the searches whose cost grows
// with the size of the store rather than with the size of the answer:
// wildcard-heavy (a prefix shorter than shortPrefix, or manyWildcards
// prefixes), deep paging (an offset of deepOffset or more), or broad facets
// (more than broadFacets facets with no query text).
func expensive(req store.SearchRequest) bool {
	n, short := wildcards(req.Query)
	switch {
	case short || n >= manyWildcards:
		return true
	case (req.Page-1)*req.Size >= deepOffset:
		return true
	case req.Query == nil && len(req.Facets) > broadFacets:
		return true
	}
	return false
}

// wildcards counts the prefix terms of q and whether one is short.
func wildcards(q query.Node) (n int, short bool) {
	var walk func(query.Node)
	walk = func(q query.Node) {
		switch q := q.(type) {
		case query.And:
			for _, c := range q.Children {
				walk(c)
			}
		case query.Or:
			for _, c := range q.Children {
				walk(c)
			}
		case query.Not:
			walk(q.Child)
		case query.Near:
			walk(q.Left)
			walk(q.Right)
		case query.Term:
			if q.Prefix && !q.Phrase {
				n++
				short = short || utf8.RuneCountInString(q.Text) < shortPrefix
			}
		}
	}
	walk(q)
	return n, short
}

// heavyLimiter lets at most max expensive searches run at once; another
// waits up to wait for a slot. Simple searches never touch it.
type heavyLimiter struct {
	slots chan struct{}
	wait  time.Duration
}

func newHeavyLimiter(max int, wait time.Duration) *heavyLimiter {
	if max <= 0 {
		max = defaultMaxExpensive
	}
	if wait <= 0 {
		wait = defaultExpensiveWait
	}
	return &heavyLimiter{slots: make(chan struct{}, max), wait: wait}
}

// acquire takes a slot, waiting at most l.wait (or until ctx ends); the
// release func is nil when no slot came free.
func (l *heavyLimiter) acquire(ctx context.Context) func() {
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
}

// admit runs the limiter for req: a release func (a no-op for a simple
// search), or nil when no slot came free in time (see busy).
func (s *Server) admit(r *http.Request, req store.SearchRequest) func() {
	if !expensive(req) {
		return func() {}
	}
	return s.heavy.acquire(r.Context())
}

// busyMessage explains a 429 from the limiter.
const busyMessage = "Too many expensive searches (short or many wildcards, deep pages, or facets over everything) are running. " +
	"Try again in a few seconds, or narrow the query."

// busy sets Retry-After for a search admit refused.
func busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(expensiveRetryAfter.Seconds())))
}
