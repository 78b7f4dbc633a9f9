package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/earshot/earshot/listener"
)

// lookupBatch is the most ids one tweet lookup names.
const lookupBatch = 100

// LookupBatch implements listener.Lookup.
func (s *Source) LookupBatch() int { return lookupBatch }

// LookupCounts implements listener.Lookup with the tweet lookup,
// GET {BaseURL}/2/tweets?ids=…&tweet.fields=public_metrics (100 ids a
// call): likes, reposts, replies, quotes, bookmarks and impressions, as
// Fetch reads them. X bills the posts a lookup returns: before the call at
// most what is left of b is asked for (none left: *listener.BudgetError),
// after it the posts returned are taken from b. An id the answer leaves
// out (deleted, protected, suspended) is gone (nil).
func (s *Source) LookupCounts(ctx context.Context, refs []listener.Ref, b listener.Budget) (map[string]map[string]int64, error) {
	if s.f == nil {
		return nil, errors.New("x: no fetcher")
	}
	out := make(map[string]map[string]int64, len(refs))
	var ids []string
	for _, r := range refs {
		if validID(r.NativeID) {
			ids = append(ids, r.NativeID)
		} else {
			out[r.NativeID] = nil
		}
	}
	for len(ids) > 0 {
		n := min(lookupBatch, len(ids))
		if b != nil {
			u := b.Usage()
			if u.Limit-u.Used < 1 {
				return out, &listener.BudgetError{Used: u.Used, Limit: u.Limit, Resets: u.Resets}
			}
			n = min(n, u.Limit-u.Used)
		}
		batch := ids[:n]
		ids = ids[n:]
		v := url.Values{"ids": {strings.Join(batch, ",")}, "tweet.fields": {"public_metrics"}}
		u := s.cfg.BaseURL + "/2/tweets?" + v.Encode()
		resp, err := s.f.Get(ctx, u, http.Header{"Accept": {"application/json"}, "Authorization": {"Bearer " + s.cfg.BearerToken}})
		if err != nil {
			return out, fmt.Errorf("x %s: lookup: %w", s.cfg.Name, classify(err))
		}
		var page struct {
			Data []tweet `json:"data"`
		}
		if err := json.Unmarshal(resp.Body, &page); err != nil {
			return out, fmt.Errorf("x %s: lookup: decode %s: %w", s.cfg.Name, u, err)
		}
		if b != nil && len(page.Data) > 0 {
			if err := b.Take(len(page.Data)); err != nil {
				return out, err
			}
		}
		for _, id := range batch {
			out[id] = nil
		}
		for i := range page.Data {
			t := &page.Data[i]
			if _, asked := out[t.ID]; !asked || t.PublicMetrics == nil {
				continue
			}
			m := t.PublicMetrics
			out[t.ID] = map[string]int64{"likes": m.Likes, "reposts": m.Retweets, "replies": m.Replies,
				"quotes": m.Quotes, "bookmarks": m.Bookmarks, "impressions": m.Impressions}
		}
	}
	return out, nil
}
