package kosearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

const (
	// MaxSeen is how many ids the cursor keeps per query and kind.
	MaxSeen = 2000
	// Overlap is how far before the newest date already seen a later poll
	// still reads, for results indexed late.
	Overlap = 48 * time.Hour
)

// Cursor is the saved state: per kind, per query.
type Cursor struct {
	Searches map[string]map[string]*State `json:"searches"`
}

// State is the saved state of one search.
type State struct {
	// Newest is the latest publication instant seen (zero when none is
	// known, as for undated results).
	Newest time.Time `json:"newest,omitzero"`
	// Seen are the ids already returned, oldest first, at most MaxSeen.
	Seen []string `json:"seen,omitempty"`
}

// SearchFunc runs one search of kind for q from its old state (nil on the
// first fetch) and returns its posts and new state.
type SearchFunc func(ctx context.Context, kind, q string, old *State) ([]listener.Post, *State, error)

// Fetch runs search for every query and kind and assembles the posts, the
// next cursor and the errors (see the package contract). label names the
// source in errors ("naver acme"); stop says whether an error ends the
// Fetch.
func Fetch(ctx context.Context, label string, queries, kinds []string, raw []byte, search SearchFunc, stop func(error) bool) ([]listener.Post, []byte, error) {
	var cur Cursor
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cur); err != nil {
			return nil, nil, fmt.Errorf("%s: bad cursor: %w", label, err)
		}
	}
	next := Cursor{Searches: map[string]map[string]*State{}}
	keep := func(kind, q string, st *State) {
		if st == nil {
			return
		}
		if next.Searches[kind] == nil {
			next.Searches[kind] = map[string]*State{}
		}
		next.Searches[kind][q] = st
	}
	var batch listener.Batch // returns a URL found by several searches once
	stopped := false
	for _, q := range CleanList(queries) {
		for _, kind := range CleanList(kinds) {
			old := cur.Searches[kind][q]
			if stopped {
				keep(kind, q, old)
				continue
			}
			got, st, err := search(ctx, kind, q, old)
			if err != nil {
				batch.Fail(fmt.Errorf("%s: %s %q: %w", label, kind, q, err))
				keep(kind, q, old)
				stopped = stop(err)
				continue
			}
			keep(kind, q, st)
			batch.Add(got)
		}
	}
	return batch.Result(label, next)
}

// StopAfter reports whether an error should end a Fetch: the server asked
// us to slow down or the quota is spent, the credentials are refused
// (every call would fail), the daily budget is spent, or the caller gave
// up.
func StopAfter(err error) bool {
	var he *listener.HTTPError
	if errors.As(err, &he) {
		switch he.StatusCode {
		case http.StatusTooManyRequests, http.StatusUnauthorized, http.StatusForbidden:
			return true
		}
		if he.RetryAfter > 0 {
			return true
		}
	}
	var be *listener.BudgetError
	if errors.As(err, &be) {
		return true
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// CleanList trims, drops empty and duplicate entries, keeping order.
func CleanList(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
