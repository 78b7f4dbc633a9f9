package redditfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/earshot/earshot/listener/fakecount"
)

// serveInfo answers GET /api/info?id=t3_a,t1_b (at most 100 fullnames, as on
// Reddit): a Listing of the recorded things named, in the order asked,
// unknown names left out; "score", "ups" and "num_comments" grow with the
// fake's clock by fakecount.Grow.
func (s *Server) serveInfo(w http.ResponseWriter, r *http.Request) {
	names := strings.Split(r.URL.Query().Get("id"), ",")
	if len(names) > 100 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Bad Request", "error": 400})
		return
	}
	now := s.opts.Clock()
	children := []any{}
	for _, n := range names {
		for i := range s.pool {
			e := &s.pool[i]
			if e.name != n || e.created.After(now) {
				continue
			}
			d := make(map[string]any, len(e.data))
			for k, v := range e.data {
				d[k] = v
			}
			for _, k := range []string{"score", "ups", "num_comments"} {
				if c, ok := d[k].(json.Number); ok {
					if v, err := c.Int64(); err == nil {
						d[k] = json.Number(strconv.FormatInt(fakecount.Grow(v, e.created, now), 10))
					}
				}
			}
			children = append(children, map[string]any{"kind": e.kind, "data": d})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "Listing", "data": map[string]any{
		"after": nil, "dist": len(children), "modhash": "", "geo_filter": "", "children": children, "before": nil,
	}})
}
