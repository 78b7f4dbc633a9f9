package youtubefake

import (
	"net/http"
	"strconv"
	"time"

	"github.com/earshot/earshot/listener/fakecount"
)

// grown returns a copy of a video's statistics whose counts (strings, as
// the API sends them) grew with the fake's clock; st itself when no Clock
// is set.
func (f *Fake) grown(st obj, published string) obj {
	pub, err := time.Parse(time.RFC3339, published)
	if f.opts.Clock == nil || err != nil {
		return st
	}
	out := make(obj, len(st))
	for k, v := range st {
		out[k] = v
		if s, ok := v.(string); ok && k != "favoriteCount" {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				out[k] = strconv.FormatInt(fakecount.Grow(n, pub, f.opts.Clock()), 10)
			}
		}
	}
	return out
}

// commentsList answers comments?part=snippet&id=… (at most 50 ids): the
// recorded top-level comments and replies named, likeCount grown with the
// fake's clock when one is set.
func (f *Fake) commentsList(w http.ResponseWriter, r *http.Request) {
	ids := splitIDs(r.URL.Query().Get("id"))
	if len(ids) == 0 || len(ids) > 50 {
		f.fail(w, "missingRequiredParameter", http.StatusBadRequest)
		return
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	items := []obj{}
	for _, th := range f.threads {
		var cs []obj
		if sn, ok := th["snippet"].(obj); ok {
			if c, ok := sn["topLevelComment"].(obj); ok {
				cs = append(cs, c)
			}
		}
		if rep, ok := th["replies"].(obj); ok {
			if list, ok := rep["comments"].([]any); ok {
				for _, c := range list {
					if c, ok := c.(obj); ok {
						cs = append(cs, c)
					}
				}
			}
		}
		for _, c := range cs {
			id, _ := c["id"].(string)
			if !want[id] {
				continue
			}
			sn, _ := c["snippet"].(obj)
			cp := make(obj, len(sn))
			for k, v := range sn {
				cp[k] = v
			}
			if n, ok := cp["likeCount"].(interface{ Int64() (int64, error) }); ok && f.opts.Clock != nil {
				if v, err := n.Int64(); err == nil {
					if pub, err := time.Parse(time.RFC3339, str(c, "snippet", "publishedAt")); err == nil {
						cp["likeCount"] = fakecount.Grow(v, pub, f.opts.Clock())
					}
				}
			}
			items = append(items, obj{"kind": "youtube#comment", "etag": c["etag"], "id": id, "snippet": cp})
		}
	}
	writeJSON(w, http.StatusOK, listResponse("youtube#commentListResponse", items, len(items), 0, len(items), ""))
}
