package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// fetchTimeline pages forward through j from minID: each request asks for
// the statuses immediately newer than min_id, and the next min_id is the
// newest id of the page (Link rel="prev" only when the page is empty). It
// stops at an empty or short page, or after MaxPages. newest is the cursor
// to save: the newest timeline entry id reached, minID when the timeline
// answered with nothing new, "" when not even the first request worked.
// Posts already returned before an error are kept and newest covers them.
func (s *Source) fetchTimeline(ctx context.Context, j job, minID string) (posts []listener.Post, newest string, err error) {
	var accountID string
	if j.kind == kindAccount {
		if accountID, err = s.lookupAccount(ctx, j.value); err != nil {
			return nil, "", err
		}
	}
	for page := 0; page < s.cfg.MaxPages; page++ {
		u := s.pageURL(j, accountID, minID)
		resp, err := s.f.Get(ctx, u, s.header())
		if err != nil {
			var he *listener.HTTPError
			if j.kind == kindTag && errors.As(err, &he) && he.StatusCode == http.StatusNotFound {
				return posts, minID, nil // a hashtag nobody has used yet
			}
			return posts, newest, s.explain(j, err)
		}
		var entries []status
		if j.kind == kindSearch {
			entries, err = decodeSearch(resp.Body)
		} else {
			entries, err = decodeStatuses(resp.Body)
		}
		if err != nil {
			return posts, newest, fmt.Errorf("decode %s: %w", u, err)
		}
		pageNewest := minID
		for i := range entries {
			e := &entries[i]
			if !validID(e.ID) || compareIDs(e.ID, minID) <= 0 {
				continue // not a status id, or not newer than asked for
			}
			if compareIDs(e.ID, pageNewest) > 0 {
				pageNewest = e.ID
			}
			o := e.original()
			if o.Visibility == "private" || o.Visibility == "direct" {
				continue
			}
			p, ok := o.toPost()
			if !ok {
				continue
			}
			mark(&p, j, e.Reblog != nil)
			posts = append(posts, p)
		}
		// Link rel="prev" names the page the server meant to send. It may
		// move the cursor only over a page that brought no status at all
		// (a server that filtered every status of it out): once the body
		// has statuses, the cursor is the newest one received, so statuses
		// the body lacks (a proxy cut or rewrote it) are asked for again
		// rather than skipped.
		if prev := linkMinID(resp.Header.Get("Link")); prev != "" && len(entries) == 0 && compareIDs(prev, pageNewest) > 0 {
			pageNewest = prev
		}
		newest = pageNewest
		if page == 0 && len(entries) == 0 && j.kind == kindTag {
			if err := s.checkHashtagAccess(ctx); err != nil {
				return nil, "", err // the timeline was not really read
			}
		}
		if err := s.rateLimitSpent(u, resp); err != nil {
			return posts, newest, err
		}
		if len(entries) < s.cfg.Limit || compareIDs(pageNewest, minID) <= 0 {
			break
		}
		minID = pageNewest
	}
	return posts, newest, nil
}

func (s *Source) header() http.Header {
	h := http.Header{"Accept": {"application/json"}}
	if s.cfg.Token != "" {
		h.Set("Authorization", "Bearer "+s.cfg.Token)
	}
	return h
}

// explain turns an HTTP error into one naming what to fix. The original
// error stays wrapped (RetryAfter included).
func (s *Source) explain(j job, err error) error {
	var he *listener.HTTPError
	if !errors.As(err, &he) {
		return err
	}
	msg := errorText(he.Body)
	switch {
	case he.StatusCode == http.StatusUnauthorized && s.cfg.Token != "":
		return fmt.Errorf("the access token was rejected by %s (%d %q): check token_env: %w", s.host, he.StatusCode, msg, err)
	case he.StatusCode == http.StatusForbidden && s.cfg.Token != "":
		return fmt.Errorf("the access token lacks a scope on %s (%d %q): it needs read:statuses, read:accounts and read:search: %w", s.host, he.StatusCode, msg, err)
	case j.kind == kindTag && (he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusUnprocessableEntity):
		return fmt.Errorf("%w on %s (%d); configure token_env or use another instance: %w", ErrHashtagTimelinesDisabled, s.host, he.StatusCode, err)
	case j.kind == kindSearch && he.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%w on %s (%d %q): %w", ErrSearchNeedsToken, s.host, he.StatusCode, msg, err)
	}
	return err
}

// rateLimitSpent returns an error carrying the wait when the response says
// no requests remain in the current window (X-RateLimit-Remaining: 0; on
// Mastodon X-RateLimit-Reset is an ISO 8601 time).
func (s *Source) rateLimitSpent(u string, resp *httpx.Response) error {
	if strings.TrimSpace(resp.Header.Get("X-RateLimit-Remaining")) != "0" {
		return nil
	}
	reset := strings.TrimSpace(resp.Header.Get("X-RateLimit-Reset"))
	t, err := time.Parse(time.RFC3339Nano, reset)
	if err != nil {
		return nil // no usable reset: let the next request meet the 429
	}
	wait := min(max(t.Sub(s.clock()), 0), 24*time.Hour)
	if wait == 0 {
		return nil
	}
	return fmt.Errorf("rate limit spent on %s (X-RateLimit-Remaining 0 until %s): %w", s.host, reset, &listener.HTTPError{
		URL: u, StatusCode: resp.StatusCode, RetryAfter: wait, Body: "X-RateLimit-Remaining: 0",
	})
}

// linkMinID returns the min_id of the Link header's rel="prev" URL, "" when
// there is none or it is not an id.
func linkMinID(h string) string {
	if h == "" || len(h) > 8192 {
		return ""
	}
	for _, part := range strings.Split(h, ",") {
		lt, gt := strings.IndexByte(part, '<'), strings.IndexByte(part, '>')
		if lt < 0 || gt < lt {
			continue
		}
		if !strings.Contains(strings.ReplaceAll(part[gt:], " ", ""), `rel="prev"`) {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(part[lt+1 : gt]))
		if err != nil {
			continue
		}
		if id := u.Query().Get("min_id"); validID(id) {
			return id
		}
	}
	return ""
}
