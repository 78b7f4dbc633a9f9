package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

// rateLimitWindow is the wait assumed after a 429 whose reset the fetcher
// could not read: Bluesky's limits run in 5-minute windows.
const rateLimitWindow = 5 * time.Minute

// fetchEndpoint polls one query or account from state st (nil: first run).
func (s *Source) fetchEndpoint(ctx context.Context, e endpoint, st *feedState) ([]listener.Post, *feedState, error) {
	c := s.newCollector(st)
	var err error
	if e.account != nil {
		err = s.fetchAccount(ctx, e.account, c)
	} else {
		err = s.fetchSearch(ctx, e.query, c)
	}
	if err != nil {
		var he *listener.HTTPError
		if errors.As(err, &he) && he.StatusCode == http.StatusTooManyRequests && he.RetryAfter == 0 {
			he.RetryAfter = rateLimitWindow
		}
		return nil, nil, err
	}
	return c.posts, c.state(s.cfg.Overlap), nil
}

// fetchSearch pages through searchPosts for q, newest first.
func (s *Source) fetchSearch(ctx context.Context, q string, c *collector) error {
	next := ""
	for page := 0; page < s.cfg.MaxPages; page++ {
		v := url.Values{}
		v.Set("q", q)
		v.Set("sort", "latest")
		v.Set("since", c.floor.Format("2006-01-02T15:04:05.000Z"))
		v.Set("limit", strconv.Itoa(s.cfg.PageSize))
		if next != "" {
			v.Set("cursor", next)
		}
		u := s.cfg.BaseURL + "/xrpc/app.bsky.feed.searchPosts?" + v.Encode()
		resp, err := s.get(ctx, u)
		if err != nil {
			return searchRefused(err)
		}
		r, err := decodeSearch(resp.Body)
		if err != nil {
			return fmt.Errorf("decode %s: %w", u, err)
		}
		older := false
		for i := range r.Posts {
			if c.add(&r.Posts[i], nil, nil) {
				older = true
			}
		}
		if r.Cursor == "" || r.Cursor == next || len(r.Posts) == 0 || older {
			return nil
		}
		next = r.Cursor
	}
	return nil
}

// searchRefused explains a 403 (or a 401 without a login): search needs a
// logged-in session.
func searchRefused(err error) error {
	var he *listener.HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusForbidden || he.StatusCode == http.StatusUnauthorized) {
		return fmt.Errorf("search refused: Bluesky answers searchPosts only to a logged-in account "+
			"(set identifier and password_env; base_url must be a PDS such as %s): %w", DefaultBaseURL, err)
	}
	return err
}

// fetchAccount reads the account's profile (followers, DID), then pages
// through its author feed until posts older than the floor. Reposts are
// skipped: their author is not the brand.
func (s *Source) fetchAccount(ctx context.Context, a *listener.Account, c *collector) error {
	v := url.Values{"actor": {a.Handle}}
	u := s.cfg.BaseURL + "/xrpc/app.bsky.actor.getProfile?" + v.Encode()
	resp, err := s.get(ctx, u)
	if err != nil {
		return err
	}
	var prof profileView
	if err := json.Unmarshal(resp.Body, &prof); err != nil {
		return fmt.Errorf("decode %s: %w", u, err)
	}
	if prof.DID == "" && prof.Handle == "" {
		return fmt.Errorf("decode %s: profile without did or handle", u)
	}
	next := ""
	for page := 0; page < s.cfg.MaxPages; page++ {
		v := url.Values{}
		v.Set("actor", a.Handle)
		v.Set("filter", "posts_with_replies")
		v.Set("limit", strconv.Itoa(s.cfg.PageSize))
		if next != "" {
			v.Set("cursor", next)
		}
		u := s.cfg.BaseURL + "/xrpc/app.bsky.feed.getAuthorFeed?" + v.Encode()
		resp, err := s.get(ctx, u)
		if err != nil {
			return err
		}
		r, err := decodeFeed(resp.Body)
		if err != nil {
			return fmt.Errorf("decode %s: %w", u, err)
		}
		older := false
		for i := range r.Feed {
			it := &r.Feed[i]
			if it.isRepost() || !sameActor(&it.Post.Author, &prof) {
				continue
			}
			if c.add(&it.Post, a, prof.FollowersCount) {
				older = true
			}
		}
		if r.Cursor == "" || r.Cursor == next || len(r.Feed) == 0 || older {
			return nil
		}
		next = r.Cursor
	}
	return nil
}

func sameActor(a, prof *profileView) bool {
	if a.DID != "" && prof.DID != "" {
		return a.DID == prof.DID
	}
	return a.Handle != "" && strings.EqualFold(a.Handle, prof.Handle)
}

// maxClockSkew is how far past the fetch time a post's time may lie and
// still advance an endpoint's Since; a later time is bad data (a clock, a
// client writing any createdAt it likes) and would skip every post
// published until then.
const maxClockSkew = 10 * time.Minute

// collector gathers one endpoint's new posts and its next state.
type collector struct {
	floor   time.Time        // posts before this are old
	since   time.Time        // newest post time seen
	horizon time.Time        // posts after this do not move since
	seen    map[string]int64 // URIs returned before or in this Fetch
	posts   []listener.Post
}

func (s *Source) newCollector(st *feedState) *collector {
	c := &collector{seen: map[string]int64{}, horizon: s.clock().Add(maxClockSkew).UTC()}
	if st == nil || st.Since.IsZero() {
		c.floor = s.clock().Add(-s.cfg.Lookback).UTC()
		c.since = c.floor
		return c
	}
	c.since = st.Since.UTC()
	c.floor = c.since.Add(-s.cfg.Overlap)
	for k, v := range st.Seen {
		c.seen[k] = v
	}
	return c
}

// add takes a post view; it reports true when the post is older than the
// floor (the rest of a newest-first listing is older too). Unusable posts
// are skipped.
func (c *collector) add(pv *postView, owner *listener.Account, followers *int64) bool {
	rec, at, err := pv.decode()
	if err != nil {
		return false
	}
	if at.Before(c.floor) {
		return true
	}
	if _, dup := c.seen[pv.URI]; dup {
		return false
	}
	p := pv.toPost(rec, at)
	if owner != nil {
		p.Owned, p.OwnedBrand = true, owner.Brand
		if followers != nil {
			p.AuthorFollowers = max(*followers, 0)
		}
	}
	c.posts = append(c.posts, p)
	c.seen[pv.URI] = at.UnixMilli()
	if at.After(c.horizon) {
		return false // dated in the future: must not move since past unseen posts
	}
	if at.After(c.since) {
		c.since = at
	}
	return false
}

// state is the next feedState: URIs within overlap of the newest time,
// at most maxSeen of them, newest kept.
func (c *collector) state(overlap time.Duration) *feedState {
	// Posts dated past the horizon are not remembered: they would stay
	// the newest for years and crowd the real ones out of maxSeen.
	keep, limit := c.since.Add(-overlap).UnixMilli(), c.horizon.UnixMilli()
	type entry struct {
		uri string
		ms  int64
	}
	var es []entry
	for u, ms := range c.seen {
		if ms >= keep && ms <= limit {
			es = append(es, entry{u, ms})
		}
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].ms != es[j].ms {
			return es[i].ms > es[j].ms
		}
		return es[i].uri < es[j].uri
	})
	if len(es) > maxSeen {
		es = es[:maxSeen]
	}
	st := &feedState{Since: c.since}
	if len(es) > 0 {
		st.Seen = make(map[string]int64, len(es))
		for _, e := range es {
			st.Seen[e.uri] = e.ms
		}
	}
	return st
}
