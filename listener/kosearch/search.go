package kosearch

import (
	"context"
	"time"

	"github.com/earshot/earshot/listener"
)

// Item is one usable result of a page.
type Item struct {
	Post listener.Post
	// Latest is the result's publication instant, zero when undated (an
	// undated result never stops paging nor moves State.Newest).
	Latest time.Time
}

// Search is one query of one kind.
type Search struct {
	Old *State // nil on the first fetch
	// FirstFloor is the floor of a search that has never returned
	// anything; LaterFloor that of a later one with no newest date.
	FirstFloor, LaterFloor time.Time
	// Pages and FirstPages are the most calls of a later and of a first
	// read.
	Pages, FirstPages int
	Budget            listener.Budget // charged one unit per call; nil: unlimited
	// Page fetches page (0-based) and returns its usable results, newest
	// first, and whether a next page may have more.
	Page func(ctx context.Context, page int) (items []Item, more bool, err error)
	// Mark, when set, is applied to every post returned (owned accounts).
	Mark func(*listener.Post)
}

// Run pages through the search (see the package contract).
func (s Search) Run(ctx context.Context) ([]listener.Post, *State, error) {
	known := map[string]bool{} // returned by earlier fetches
	seen := map[string]bool{}  // taken in this search
	old := s.Old
	floor, pages := s.LaterFloor, s.Pages
	// A search that has never returned anything is read like a first one.
	if old == nil || (len(old.Seen) == 0 && old.Newest.IsZero()) {
		old = nil
		floor, pages = s.FirstFloor, s.FirstPages
	} else {
		for _, l := range old.Seen {
			known[l] = true
		}
		if !old.Newest.IsZero() {
			floor = old.Newest.Add(-Overlap)
		}
	}
	st := &State{}
	if old != nil {
		st.Newest = old.Newest
	}
	var posts []listener.Post
	var fresh []string // newest first
	for page := 0; page < pages; page++ {
		if s.Budget != nil {
			if err := s.Budget.Take(1); err != nil {
				return nil, nil, err
			}
		}
		items, more, err := s.Page(ctx, page)
		if err != nil {
			return nil, nil, err
		}
		stop := false
		for _, m := range items {
			id := m.Post.NativeID
			if known[id] {
				stop = true
				continue
			}
			if seen[id] {
				continue
			}
			if !m.Latest.IsZero() && m.Latest.Before(floor) {
				stop = true
				continue
			}
			seen[id] = true
			fresh = append(fresh, id)
			if m.Latest.After(st.Newest) {
				st.Newest = m.Latest
			}
			if s.Mark != nil {
				s.Mark(&m.Post)
			}
			posts = append(posts, m.Post)
		}
		if stop || !more {
			break
		}
	}
	if old != nil {
		st.Seen = append(st.Seen, old.Seen...)
	}
	for i := len(fresh) - 1; i >= 0; i-- {
		st.Seen = append(st.Seen, fresh[i])
	}
	if n := len(st.Seen); n > MaxSeen {
		st.Seen = append([]string(nil), st.Seen[n-MaxSeen:]...)
	}
	return posts, st, nil
}
