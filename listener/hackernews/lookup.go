package hackernews

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/earshot/earshot/listener"
)

// lookupBatch is how many items one LookupCounts call reads (one request
// each: Algolia has no multi-item endpoint).
const lookupBatch = 20

// maxCommentDepth bounds the walk of a hostile comment tree.
const maxCommentDepth = 200

// LookupBatch implements listener.Lookup.
func (s *Source) LookupBatch() int { return lookupBatch }

// lookupItem is what LookupCounts reads of Algolia's items/{id}.
type lookupItem struct {
	Type     string        `json:"type"`
	Points   *int64        `json:"points"`
	Children []*lookupItem `json:"children"`
}

// LookupCounts implements listener.Lookup with GET {BaseURL}/api/v1/items/{id},
// one request per item: a story's "points" and "num_comments" (the comments
// in its tree); a comment has no counts on Algolia and maps to an empty
// set. A 404 is a deleted item (nil). Hacker News has no budget.
func (s *Source) LookupCounts(ctx context.Context, refs []listener.Ref, b listener.Budget) (map[string]map[string]int64, error) {
	if s.f == nil {
		return nil, errors.New("hackernews: no fetcher")
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
		u := s.cfg.BaseURL + "/api/v1/items/" + url.PathEscape(r.NativeID)
		resp, err := s.f.Get(ctx, u, http.Header{"Accept": {"application/json"}})
		var he *listener.HTTPError
		if errors.As(err, &he) && he.StatusCode == http.StatusNotFound {
			out[r.NativeID] = nil
			continue
		}
		if err != nil {
			return out, fmt.Errorf("hackernews %s: lookup: %w", s.cfg.Name, err)
		}
		var it lookupItem
		if err := json.Unmarshal(resp.Body, &it); err != nil {
			return out, fmt.Errorf("hackernews %s: decode %s: %w", s.cfg.Name, u, err)
		}
		counts := map[string]int64{}
		if it.Type != "comment" {
			if it.Points != nil {
				counts["points"] = *it.Points
			}
			counts["num_comments"] = countComments(it.Children, 0)
		}
		out[r.NativeID] = counts
	}
	return out, nil
}

// countComments counts the comments in a tree.
func countComments(cs []*lookupItem, depth int) int64 {
	if depth > maxCommentDepth {
		return 0
	}
	var n int64
	for _, c := range cs {
		if c == nil {
			continue
		}
		if c.Type == "comment" {
			n++
		}
		n += countComments(c.Children, depth+1)
	}
	return n
}
