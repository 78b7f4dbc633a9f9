package naver

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

// search pages through one query of one kind, newest first, until it meets
// a link already returned, a result older than the floor, the end of the
// results or MaxPages. old is nil on the first fetch. On error nothing of
// this search is returned and its state does not move.
func (s *Source) search(ctx context.Context, kind, q string, old *searchState) ([]listener.Post, *searchState, error) {
	now := s.clock().UTC()
	known := map[string]bool{} // returned by earlier fetches
	seen := map[string]bool{}  // taken in this search
	var floor time.Time
	pages := s.cfg.MaxPages
	// A search that has never returned anything is read like a first one.
	if old == nil || (len(old.Seen) == 0 && old.Newest.IsZero()) {
		old = nil
		floor = now.Add(-s.cfg.Lookback)
		if kind == KindCafe {
			// No dates to stop at: the first fetch reads one page only.
			pages = 1
		}
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
	var posts []listener.Post
	var fresh []string // newest first
	for page := 0; page < pages; page++ {
		start := 1 + page*s.cfg.Display
		if start > maxStart {
			break
		}
		u := s.searchURL(kind, q, start)
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
		for i := range env.Items {
			m, ok := env.Items[i].toPost(kind, now)
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
		if stop || len(env.Items) < s.cfg.Display || int64(start-1+len(env.Items)) >= env.Total {
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

// markOwned flags results from a configured brand blog.
func (s *Source) markOwned(p *listener.Post) {
	if len(s.owned) == 0 {
		return
	}
	id, ok := strings.CutPrefix(p.Author, "blog.naver.com/")
	if !ok {
		return
	}
	if brand, ok := s.owned[strings.ToLower(id)]; ok {
		p.Owned, p.OwnedBrand = true, brand
	}
}

func (s *Source) searchURL(kind, q string, start int) string {
	v := url.Values{}
	v.Set("query", q)
	v.Set("display", strconv.Itoa(s.cfg.Display))
	v.Set("start", strconv.Itoa(start))
	v.Set("sort", "date")
	return s.cfg.BaseURL + strings.Replace(s.cfg.PathTemplate, "{kind}", kind, 1) + "?" + v.Encode()
}

func (s *Source) header() http.Header {
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set(s.cfg.IDHeader, s.cfg.ClientID)
	h.Set(s.cfg.SecretHeader, s.cfg.ClientSecret)
	return h
}
