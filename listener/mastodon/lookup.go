package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/earshot/earshot/listener"
)

// lookupBatch is how many statuses one LookupCounts call reads (one
// request each: the instance's rate limit is shared with polling).
const lookupBatch = 10

// LookupBatch implements listener.Lookup.
func (s *Source) LookupBatch() int { return lookupBatch }

// LookupCounts implements listener.Lookup with GET
// {BaseURL}/api/v1/statuses/{id} per status (the token is sent when one is
// configured): replies, reblogs and favourites, as Fetch reads them. A 404
// (deleted, or no longer visible) is gone (nil); a spent rate limit ends
// the call. One unit of b per request.
func (s *Source) LookupCounts(ctx context.Context, refs []listener.Ref, b listener.Budget) (map[string]map[string]int64, error) {
	if s.f == nil {
		return nil, errors.New("mastodon: no fetcher")
	}
	out := make(map[string]map[string]int64, len(refs))
	for _, r := range refs {
		if !validID(r.NativeID) {
			out[r.NativeID] = nil
			continue
		}
		if b != nil {
			if err := b.Take(1); err != nil {
				return out, err
			}
		}
		u := s.cfg.BaseURL + "/api/v1/statuses/" + url.PathEscape(r.NativeID)
		resp, err := s.f.Get(ctx, u, s.header())
		var he *listener.HTTPError
		if errors.As(err, &he) && (he.StatusCode == http.StatusNotFound || he.StatusCode == http.StatusGone) {
			out[r.NativeID] = nil
			continue
		}
		if err != nil {
			return out, fmt.Errorf("mastodon %s: lookup: %w", s.cfg.Name, err)
		}
		var st status
		if err := json.Unmarshal(resp.Body, &st); err != nil {
			return out, fmt.Errorf("mastodon %s: lookup: decode %s: %w", s.cfg.Name, u, err)
		}
		out[r.NativeID] = map[string]int64{
			"replies": max(st.RepliesCount, 0), "reblogs": max(st.ReblogsCount, 0), "favourites": max(st.FavouritesCount, 0),
		}
		if err := s.rateLimitSpent(u, resp); err != nil {
			return out, err
		}
	}
	return out, nil
}
