package youtube

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/earshot/earshot/listener"
)

// lookupBatch is how many ids one videos or comments call names.
const lookupBatch = 50

// LookupBatch implements listener.Lookup.
func (s *Source) LookupBatch() int { return lookupBatch }

// LookupCounts implements listener.Lookup: videos with
// videos?part=statistics&id=… ("views", "likes", "comments", as Fetch
// reads them) and comments (refs that are replies) with
// comments?part=snippet&id=… ("likes"), 50 ids a call, CostList (1 quota
// unit) from b per call. An id the answer leaves out is gone (nil).
func (s *Source) LookupCounts(ctx context.Context, refs []listener.Ref, b listener.Budget) (map[string]map[string]int64, error) {
	if s.f == nil {
		return nil, errors.New("youtube: no fetcher")
	}
	if s.cfg.APIKey == "" {
		return nil, fmt.Errorf("youtube %s: no api key (set api_key_env)", s.cfg.Name)
	}
	out := make(map[string]map[string]int64, len(refs))
	var vids, comments []string
	for _, r := range refs {
		switch {
		case !validID(r.NativeID):
			out[r.NativeID] = nil
		case r.IsReply:
			comments = append(comments, r.NativeID)
		default:
			vids = append(vids, r.NativeID)
		}
	}
	for len(vids) > 0 {
		batch := vids[:min(lookupBatch, len(vids))]
		vids = vids[len(batch):]
		var resp videoListResponse
		params := url.Values{"part": {"statistics"}, "id": {strings.Join(batch, ",")}, "maxResults": {"50"}}
		if err := s.callFrom(ctx, b, CostList, "videos", params, &resp); err != nil {
			return out, fmt.Errorf("youtube %s: lookup videos: %w", s.cfg.Name, err)
		}
		for _, id := range batch {
			out[id] = nil
		}
		for i := range resp.Items {
			var p listener.Post
			applyVideo(&p, &resp.Items[i])
			if _, asked := out[resp.Items[i].ID]; asked {
				out[resp.Items[i].ID] = orEmpty(p.Engagement)
			}
		}
	}
	for len(comments) > 0 {
		batch := comments[:min(lookupBatch, len(comments))]
		comments = comments[len(batch):]
		var resp struct {
			Items []comment `json:"items"`
		}
		params := url.Values{"part": {"snippet"}, "id": {strings.Join(batch, ",")}, "maxResults": {"50"}, "textFormat": {"plainText"}}
		if err := s.callFrom(ctx, b, CostList, "comments", params, &resp); err != nil {
			return out, fmt.Errorf("youtube %s: lookup comments: %w", s.cfg.Name, err)
		}
		for _, id := range batch {
			out[id] = nil
		}
		for _, c := range resp.Items {
			if _, asked := out[c.ID]; asked {
				out[c.ID] = map[string]int64{"likes": max(c.Snippet.LikeCount, 0)}
			}
		}
	}
	return out, nil
}

func orEmpty(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	return m
}
