package reddit

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

// chain is one listing followed newest-first: a search or an account's
// submissions or comments.
type chain struct {
	key     string // cursor key: "q:<query>", "submitted:<user>", "comments:<user>"
	path    string // API path, e.g. "/search"
	params  url.Values
	account string // lowercased username for account chains
}

// chainState is a chain's saved position.
type chainState struct {
	// Since is the newest created_utc second done; IDs were returned at it.
	Since int64    `json:"since"`
	IDs   []string `json:"ids,omitempty"`
	// Gap is an interrupted walk still to finish, nil when none.
	Gap *gap `json:"gap,omitempty"`
}

// gap: items older than the listing item After and newer than Since are
// still to read; Top and TopIDs become Since and IDs once they are.
type gap struct {
	After  string   `json:"after"`
	Top    int64    `json:"top"`
	TopIDs []string `json:"top_ids,omitempty"`
}

// item is a mapped post with its whole-second time.
type item struct {
	post    listener.Post
	created int64
}

// walk pages the chain from after (the newest page when "") down to floor,
// skipping the ids already returned at the floor second and, when ceil > 0,
// anything newer than ceil. It returns the items found, the after token of
// the last page read, whether the chain reached its end, the number of pages
// read, and an error that interrupted it (rate limit, HTTP, decoding).
func (s *Source) walk(ctx context.Context, c chain, after string, floor int64, floorIDs []string, ceil int64, pages int) (items []item, last string, done bool, read int, err error) {
	skip := toSet(floorIDs)
	last = after
	for read < pages {
		u := s.listingURL(c, last)
		resp, err := s.get(ctx, u)
		if err != nil {
			return items, last, false, read, err
		}
		read++
		l, derr := decodeListing(resp.Body)
		if derr != nil {
			return items, last, false, read - 1, fmt.Errorf("decode %s: %w", u, derr)
		}
		for i := range l.Data.Children {
			p, created, ok := l.Data.Children[i].toPost()
			if !ok {
				if cr, ok := l.Data.Children[i].Data.created(); ok && cr < floor {
					done = true
				}
				continue
			}
			if created < floor {
				done = true
				break
			}
			if (created == floor && skip[p.NativeID]) || (ceil > 0 && created > ceil) {
				continue
			}
			items = append(items, item{p, created})
		}
		next := ""
		if l.Data.After != nil {
			next = *l.Data.After
		}
		if !done && (next == "" || next == last || len(l.Data.Children) == 0) {
			done = true
		}
		if !done {
			last = next
		}
		if rl := spent(u, resp); rl != nil {
			return items, last, done, read, rl
		}
		if done {
			return items, last, true, read, nil
		}
	}
	return items, last, false, read, nil
}

// run advances one chain from st: it finishes a pending gap first, then
// reads what is new. progressed is false when nothing could be read.
func (s *Source) run(ctx context.Context, c chain, st chainState) (items []item, next chainState, progressed bool, err error) {
	next = st
	horizon := s.clock().Add(maxClockSkew).Unix()
	advance := func(since int64, ids []string, items []item) (int64, []string) {
		return advanceTo(since, ids, items, horizon)
	}
	pages := s.cfg.MaxPages
	if st.Gap != nil {
		got, last, done, read, err := s.walk(ctx, c, st.Gap.After, st.Since, st.IDs, st.Gap.Top, pages)
		items = append(items, got...)
		progressed = read > 0
		g := *st.Gap
		g.Top, g.TopIDs = advance(g.Top, g.TopIDs, got)
		if !done {
			g.After = last
			next.Gap = &g
			return items, next, progressed, err
		}
		next = chainState{Since: g.Top, IDs: g.TopIDs}
		if err != nil {
			return items, next, progressed, err
		}
		pages -= read
		if pages <= 0 {
			return items, next, progressed, nil
		}
	}
	got, last, done, read, err := s.walk(ctx, c, "", next.Since, next.IDs, 0, pages)
	items = append(items, got...)
	if read > 0 {
		progressed = true
		if done {
			next.Since, next.IDs = advance(next.Since, next.IDs, got)
		} else {
			top, topIDs := advance(next.Since, next.IDs, got)
			next.Gap = &gap{After: last, Top: top, TopIDs: topIDs}
		}
	}
	return items, next, progressed, err
}

// maxClockSkew is how far past the fetch time an item's created_utc may lie
// and still move a chain's boundary; a later time is bad data (a clock, a
// parser) and would skip every item posted until then.
const maxClockSkew = 10 * time.Minute

// advanceTo moves a (second, ids at that second) boundary over items; items
// created after horizon (Unix seconds) are dated in the future and do not
// move it.
func advanceTo(since int64, ids []string, items []item, horizon int64) (int64, []string) {
	set := toSet(ids)
	for _, it := range items {
		switch {
		case it.created > horizon:
			// dated in the future: returned, the boundary stays
		case it.created > since:
			since, set = it.created, map[string]bool{it.post.NativeID: true}
		case it.created == since:
			set[it.post.NativeID] = true
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	if len(out) > maxBoundaryIDs {
		out = out[len(out)-maxBoundaryIDs:]
	}
	return since, out
}

func toSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// chains lists the configured chains: accounts first, then queries.
func (s *Source) chains() []chain {
	var out []chain
	seen := map[string]bool{}
	for _, a := range s.cfg.Accounts {
		name := strings.ToLower(cleanHandle(a.Handle))
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		for _, kind := range []string{"submitted", "comments"} {
			out = append(out, chain{
				key: kind + ":" + name, path: "/user/" + url.PathEscape(name) + "/" + kind,
				params: url.Values{"sort": {"new"}}, account: name,
			})
		}
	}
	for _, q := range s.cfg.Queries {
		c := chain{key: "q:" + q, path: "/search", params: url.Values{"q": {q}, "sort": {"new"}, "type": {"link"}}}
		if len(s.cfg.Subreddits) > 0 {
			c.path = "/r/" + strings.Join(s.cfg.Subreddits, "+") + "/search"
			c.params.Set("restrict_sr", "1")
		}
		out = append(out, c)
	}
	return out
}

func (s *Source) listingURL(c chain, after string) string {
	v := url.Values{}
	for k, vs := range c.params {
		v[k] = vs
	}
	v.Set("limit", strconv.Itoa(s.cfg.PageSize))
	v.Set("raw_json", "1")
	if after != "" {
		v.Set("after", after)
	}
	return s.cfg.BaseURL + c.path + "?" + v.Encode()
}
