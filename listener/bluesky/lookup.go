package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/earshot/earshot/listener"
)

// lookupBatch is the most uris one getPosts call names.
const lookupBatch = 25

// LookupBatch implements listener.Lookup.
func (s *Source) LookupBatch() int { return lookupBatch }

// LookupCounts implements listener.Lookup with
// app.bsky.feed.getPosts?uris=…&uris=… (25 at:// uris a call, logged in
// like Fetch): likes, reposts, replies and quotes, as Fetch reads them. A
// post the answer leaves out (deleted) is gone (nil). One unit of b per
// call.
func (s *Source) LookupCounts(ctx context.Context, refs []listener.Ref, b listener.Budget) (map[string]map[string]int64, error) {
	if s.f == nil {
		return nil, errors.New("bluesky: no fetcher")
	}
	out := make(map[string]map[string]int64, len(refs))
	var uris []string
	for _, r := range refs {
		if u, ok := parseATURI(r.NativeID); ok && u.Collection == postNSID {
			uris = append(uris, r.NativeID)
		} else {
			out[r.NativeID] = nil
		}
	}
	for len(uris) > 0 {
		batch := uris[:min(lookupBatch, len(uris))]
		uris = uris[len(batch):]
		if b != nil {
			if err := b.Take(1); err != nil {
				return out, err
			}
		}
		u := s.cfg.BaseURL + "/xrpc/app.bsky.feed.getPosts?" + url.Values{"uris": batch}.Encode()
		resp, err := s.get(ctx, u)
		if err != nil {
			return out, fmt.Errorf("bluesky %s: lookup: %w", s.cfg.Name, err)
		}
		var r struct {
			Posts []postView `json:"posts"`
		}
		if err := json.Unmarshal(resp.Body, &r); err != nil {
			return out, fmt.Errorf("bluesky %s: lookup: decode %s: %w", s.cfg.Name, u, err)
		}
		for _, id := range batch {
			out[id] = nil
		}
		for i := range r.Posts {
			pv := &r.Posts[i]
			if _, asked := out[pv.URI]; !asked {
				continue
			}
			eng := map[string]int64{}
			for name, v := range map[string]*int64{"likes": pv.LikeCount, "reposts": pv.RepostCount, "replies": pv.ReplyCount, "quotes": pv.QuoteCount} {
				if v != nil {
					eng[name] = max(*v, 0)
				}
			}
			out[pv.URI] = eng
		}
	}
	return out, nil
}
