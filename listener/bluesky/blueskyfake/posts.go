package blueskyfake

import (
	"encoding/json"
	"net/http"

	"github.com/earshot/earshot/listener/fakecount"
)

// getPosts: app.bsky.feed.getPosts?uris=… (1 to 25 uris): the PostViews of
// the recorded posts named, in the order asked, unknown uris left out (as
// for deleted posts); likeCount, repostCount, replyCount and quoteCount
// grow with the fake's clock by fakecount.Grow.
func (s *server) getPosts(w http.ResponseWriter, r *http.Request) {
	if s.unusable(w) {
		return
	}
	uris := r.URL.Query()["uris"]
	if len(uris) == 0 || len(uris) > 25 {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "uris must name 1 to 25 posts")
		return
	}
	now := s.opts.Clock()
	posts := []any{}
	for _, u := range uris {
		p := s.pool.byURI[u]
		if p == nil || p.sortAt.After(now) {
			continue
		}
		v := s.refView(u)
		for _, k := range []string{"likeCount", "repostCount", "replyCount", "quoteCount"} {
			var n int64
			switch x := v[k].(type) {
			case float64:
				n = int64(x)
			case json.Number:
				n, _ = x.Int64()
			default:
				continue
			}
			v[k] = fakecount.Grow(n, p.sortAt, now)
		}
		posts = append(posts, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"posts": posts})
}
