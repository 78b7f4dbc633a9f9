package reddit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/earshot/earshot/listener"
)

// lookupBatch is the most things one /api/info call names.
const lookupBatch = 100

// LookupBatch implements listener.Lookup.
func (s *Source) LookupBatch() int { return lookupBatch }

// LookupCounts implements listener.Lookup with one authenticated
// GET {BaseURL}/api/info?id=t3_…,t1_…&raw_json=1 per batch of 100 (a reply
// is a t1_ comment, anything else a t3_ submission): "score" and, for
// submissions, "num_comments", as Fetch reads them. A thing missing from the
// answer is gone (nil). One unit of b per request.
func (s *Source) LookupCounts(ctx context.Context, refs []listener.Ref, b listener.Budget) (map[string]map[string]int64, error) {
	if s.f == nil {
		return nil, errors.New("reddit: no fetcher")
	}
	out := make(map[string]map[string]int64, len(refs))
	for start := 0; start < len(refs); start += lookupBatch {
		chunk := refs[start:min(start+lookupBatch, len(refs))]
		var names []string
		asked := map[string]string{} // fullname → NativeID
		for _, r := range chunk {
			if !idRe.MatchString(r.NativeID) {
				out[r.NativeID] = nil
				continue
			}
			full := "t3_" + r.NativeID
			if r.IsReply {
				full = "t1_" + r.NativeID
			}
			names, asked[full] = append(names, full), r.NativeID
		}
		if len(names) == 0 {
			continue
		}
		if b != nil {
			if err := b.Take(1); err != nil {
				return out, err
			}
		}
		u := s.cfg.BaseURL + "/api/info?" + url.Values{"id": {strings.Join(names, ",")}, "raw_json": {"1"}}.Encode()
		resp, err := s.get(ctx, u)
		if err != nil {
			return out, fmt.Errorf("reddit %s: lookup: %w", s.cfg.Name, err)
		}
		l, err := decodeListing(resp.Body)
		if err != nil {
			return out, fmt.Errorf("reddit %s: lookup: decode %s: %w", s.cfg.Name, u, err)
		}
		for _, full := range names {
			out[asked[full]] = nil
		}
		for _, t := range l.Data.Children {
			id, ok := asked[t.Kind+"_"+t.Data.ID]
			if !ok {
				continue
			}
			counts := map[string]int64{}
			if t.Data.Score != nil {
				counts["score"] = *t.Data.Score
			}
			if t.Kind == "t3" && t.Data.NumComments != nil {
				counts["num_comments"] = *t.Data.NumComments
			}
			out[id] = counts
		}
		if err := spent(u, resp); err != nil {
			return out, err
		}
	}
	return out, nil
}
