package xfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/earshot/earshot/listener/fakecount"
)

// serveLookup answers the tweet lookup, GET /2/tweets?ids=… (1 to 100
// ids): the recorded tweets named, in the order asked, with public_metrics
// grown with the fake's clock by fakecount.Grow; unknown ids are
// "Not Found Error" entries of errors, as on X.
func (s *server) serveLookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := strings.Split(q.Get("ids"), ",")
	if q.Get("ids") == "" || len(ids) > 100 {
		invalid(w, "ids", q.Get("ids"), "The `ids` query parameter value [%s] must name 1 to 100 ids", q.Get("ids"))
		return
	}
	now := s.opts.Clock()
	var data []map[string]json.RawMessage
	var errs []map[string]any
	for _, id := range ids {
		var found *poolTweet
		for _, t := range s.pool.tweets {
			if strconv.FormatUint(t.id, 10) == id && !t.created.After(now) {
				found = t
				break
			}
		}
		if found == nil {
			errs = append(errs, notFoundError("tweet", "ids", id, "Could not find tweet with ids: ["+id+"]."))
			continue
		}
		d := project(found.raw, tweetDefaults, q.Get("tweet.fields"))
		if raw, ok := d["public_metrics"]; ok {
			var m map[string]int64
			if json.Unmarshal(raw, &m) == nil {
				for k, v := range m {
					m[k] = fakecount.Grow(v, found.created, now)
				}
				if b, err := json.Marshal(m); err == nil {
					d["public_metrics"] = b
				}
			}
		}
		data = append(data, d)
	}
	body := map[string]any{}
	if len(data) > 0 {
		body["data"] = data
	}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	writeJSON(w, http.StatusOK, body)
}
