package mastodonfake

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/earshot/earshot/listener/fakecount"
)

// serveStatus answers GET /api/v1/statuses/:id for a recorded status (or
// the original a recorded boost wraps): the status with replies_count,
// reblogs_count and favourites_count grown with the fake's clock by
// fakecount.Grow; an unknown id is Mastodon's 404. Private and direct
// statuses are 404 too, as for an anonymous caller.
func (h *handler) serveStatus(w http.ResponseWriter, id string) {
	var found map[string]any
	for _, e := range h.pool.entries {
		for _, m := range []map[string]any{e.raw, asMap(e.raw["reblog"])} {
			if m != nil && str(m["id"]) == id {
				found = m
			}
		}
	}
	if found == nil || str(found["visibility"]) == "private" || str(found["visibility"]) == "direct" {
		h.fail(w, http.StatusNotFound, "not_found")
		return
	}
	pub, err := time.Parse(time.RFC3339Nano, str(found["created_at"]))
	if err != nil || pub.After(h.opts.Clock()) {
		h.fail(w, http.StatusNotFound, "not_found")
		return
	}
	out := make(map[string]any, len(found))
	for k, v := range found {
		out[k] = v
	}
	for _, k := range []string{"replies_count", "reblogs_count", "favourites_count"} {
		if n, ok := out[k].(json.Number); ok {
			if v, err := n.Int64(); err == nil {
				out[k] = fakecount.Grow(v, pub, h.opts.Clock())
			}
		}
	}
	writeJSON(w, out)
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
