package daum

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/earshot/earshot/listener"
)

// search pages through one query of one kind, newest first, until it meets
// a URL already returned, a result older than the floor, the end of the
// results or MaxPages. old is nil on the first fetch. On error nothing of
// this search is returned and its state does not move.
func (s *Source) search(ctx context.Context, kind, q string, old *searchState) ([]listener.Post, *searchState, error) {
	now := s.clock().UTC()
	known := map[string]bool{} // returned by earlier fetches
	seen := map[string]bool{}  // taken in this search
	floor := now.Add(-s.cfg.Lookback)
	// A search that has never returned anything is read like a first one.
	if old == nil || (len(old.Seen) == 0 && old.Newest.IsZero()) {
		old = nil
	} else {
		for _, l := range old.Seen {
			known[l] = true
		}
		if !old.Newest.IsZero() {
			floor = old.Newest.Add(-overlap)
		}
	}
	st := &searchState{}
	if old != nil {
		st.Newest = old.Newest
	}
	lim := limits[kind]
	size := min(s.cfg.Size, lim.size)
	var posts []listener.Post
	var fresh []string // newest first
	for page := 1; page <= min(s.cfg.MaxPages, lim.page); page++ {
		u := s.searchURL(kind, q, page, size)
		if s.budget != nil {
			if err := s.budget.Take(1); err != nil {
				return nil, nil, err
			}
		}
		resp, err := s.f.Get(ctx, u, s.header())
		if err != nil {
			return nil, nil, explain(err)
		}
		env, err := decodeEnvelope(resp.Body)
		if err != nil {
			return nil, nil, fmt.Errorf("decode %s: %w", u, err)
		}
		stop := false
		for i := range env.Documents {
			m, ok := env.Documents[i].toPost(kind, now)
			if !ok {
				continue
			}
			id := m.post.NativeID
			if known[id] {
				stop = true
				continue
			}
			if seen[id] {
				continue
			}
			if !m.latest.IsZero() && m.latest.Before(floor) {
				stop = true
				continue
			}
			seen[id] = true
			fresh = append(fresh, id)
			if m.latest.After(st.Newest) {
				st.Newest = m.latest
			}
			s.markOwned(&m.post)
			posts = append(posts, m.post)
		}
		if stop || env.Meta.IsEnd || len(env.Documents) < size {
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

// markOwned flags results from a configured brand blog or café.
func (s *Source) markOwned(p *listener.Post) {
	a := strings.ToLower(p.Author)
	for h, brand := range s.owned {
		if a == h || strings.HasSuffix(a, "/"+h) {
			p.Owned, p.OwnedBrand = true, brand
			return
		}
	}
}

func (s *Source) searchURL(kind, q string, page, size int) string {
	v := url.Values{}
	v.Set("query", q)
	v.Set("sort", "recency")
	v.Set("page", strconv.Itoa(page))
	v.Set("size", strconv.Itoa(size))
	return s.cfg.BaseURL + "/v2/search/" + kind + "?" + v.Encode()
}

func (s *Source) header() http.Header {
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set("Authorization", "KakaoAK "+strings.TrimSpace(s.cfg.APIKey))
	return h
}
