package listenertest

import (
	"net/http"
	"strings"
	"sync"
)

// Recorder passes every request to Next after keeping a copy of it.
type Recorder struct {
	Next http.Handler

	mu   sync.Mutex
	reqs []*http.Request
}

// ServeHTTP implements http.Handler.
func (rc *Recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, r.Clone(r.Context()))
	rc.mu.Unlock()
	rc.Next.ServeHTTP(w, r)
}

// Requests returns the requests seen so far, in order.
func (rc *Recorder) Requests() []*http.Request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*http.Request(nil), rc.reqs...)
}

// Count returns how many requests had every sub in their path?query (the
// path as Next saw it). With no sub it counts every request.
func (rc *Recorder) Count(subs ...string) int {
	n := 0
	for _, r := range rc.Requests() {
		target := r.URL.Path + "?" + r.URL.RawQuery
		all := true
		for _, sub := range subs {
			all = all && strings.Contains(target, sub)
		}
		if all {
			n++
		}
	}
	return n
}
