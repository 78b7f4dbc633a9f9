package replay

import (
	"net/http"
	"strconv"
	"time"

	"github.com/earshot/earshot/listener/fakecount"
)

// item is Algolia's items/{id} shape: the item with its comment tree.
type item struct {
	ID         int64   `json:"id"`
	CreatedAt  string  `json:"created_at"`
	CreatedAtI int64   `json:"created_at_i"`
	Type       string  `json:"type"`
	Author     any     `json:"author"`
	Title      any     `json:"title"`
	URL        any     `json:"url"`
	Text       any     `json:"text"`
	Points     *int64  `json:"points"`
	ParentID   any     `json:"parent_id"`
	StoryID    any     `json:"story_id"`
	Children   []*item `json:"children"`
	Options    []any   `json:"options"`
}

// serveItem answers GET /api/v1/items/{id} for a recorded hit: a story's
// points and its number of comments (as that many empty child comments)
// grow with the fake's clock by fakecount.Grow; comments have null points,
// as on Algolia. An unknown id is Algolia's 404.
func (s *Server) serveItem(w http.ResponseWriter, r *http.Request, id string) {
	var h *poolHit
	for i := range s.hits {
		if hid, _ := s.hits[i].raw["objectID"].(string); hid == id {
			h = &s.hits[i]
			break
		}
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if h == nil || err != nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"status": 404, "error": "Not Found"})
		return
	}
	pub, now := time.Unix(h.created, 0), s.clock()
	it := &item{ID: n, CreatedAt: time.Unix(h.created, 0).UTC().Format(algoliaTime), CreatedAtI: h.created,
		Type: "story", Author: h.raw["author"], Title: h.raw["title"], URL: h.raw["url"], Text: h.raw["story_text"],
		StoryID: n, Children: []*item{}, Options: []any{}}
	if h.tags["comment"] {
		it.Type, it.Text, it.Title, it.URL, it.ParentID, it.StoryID = "comment", h.raw["comment_text"], nil, nil, h.raw["parent_id"], h.raw["story_id"]
	}
	if p, ok := h.numbers["points"]; ok && !h.tags["comment"] {
		g := fakecount.Grow(p, pub, now)
		it.Points = &g
	}
	if c, ok := h.numbers["num_comments"]; ok {
		for i := range fakecount.Grow(c, pub, now) {
			it.Children = append(it.Children, &item{ID: n*1000 + i + 1, CreatedAtI: h.created, Type: "comment",
				ParentID: n, StoryID: n, Children: []*item{}, Options: []any{}})
		}
	}
	writeJSON(w, http.StatusOK, it)
}
