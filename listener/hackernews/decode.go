package hackernews

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/htmltext"
)

// response is the search_by_date envelope; fields we do not use are ignored.
type response struct {
	Hits        []hit `json:"hits"`
	NbHits      int   `json:"nbHits"`
	Page        int   `json:"page"`
	NbPages     int   `json:"nbPages"`
	HitsPerPage int   `json:"hitsPerPage"`
}

// hit is one search result. Every field but objectID may be null.
type hit struct {
	ObjectID    string   `json:"objectID"`
	Author      *string  `json:"author"`
	CreatedAt   *string  `json:"created_at"`
	CreatedAtI  *int64   `json:"created_at_i"`
	Tags        []string `json:"_tags"`
	Title       *string  `json:"title"`
	URL         *string  `json:"url"`
	StoryText   *string  `json:"story_text"`
	CommentText *string  `json:"comment_text"`
	StoryTitle  *string  `json:"story_title"`
	StoryURL    *string  `json:"story_url"`
	Points      *int64   `json:"points"`
	NumComments *int64   `json:"num_comments"`
}

// decodeResponse parses a search_by_date body.
func decodeResponse(b []byte) (*response, error) {
	var r response
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	if r.Hits == nil {
		return nil, errors.New("not a search response: no hits array")
	}
	if r.NbPages < 0 || r.Page < 0 {
		return nil, fmt.Errorf("negative page numbers (page %d, nbPages %d)", r.Page, r.NbPages)
	}
	return &r, nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// created returns the hit's time in Unix seconds, from created_at_i or,
// failing that, created_at; ok is false when neither is usable.
func (h *hit) created() (int64, bool) {
	if h.CreatedAtI != nil && *h.CreatedAtI > 0 {
		return *h.CreatedAtI, true
	}
	if h.CreatedAt != nil {
		if t, err := time.Parse(time.RFC3339, *h.CreatedAt); err == nil {
			return t.Unix(), true
		}
	}
	return 0, false
}

func (h *hit) isComment() bool {
	if h.CommentText != nil {
		return true
	}
	for _, t := range h.Tags {
		if t == "comment" {
			return true
		}
	}
	return false
}

// validID reports whether an objectID is usable: Algolia's HN ids are
// decimal item numbers.
func validID(id string) bool {
	if id == "" || len(id) > 20 {
		return false
	}
	_, err := strconv.ParseUint(id, 10, 64)
	return err == nil
}

// toPost maps a hit to a Post.
func (h *hit) toPost(created int64) listener.Post {
	p := listener.Post{
		Network:   Network,
		NativeID:  h.ObjectID,
		URL:       "https://news.ycombinator.com/item?id=" + url.QueryEscape(h.ObjectID),
		Author:    strings.TrimSpace(str(h.Author)),
		Published: time.Unix(created, 0).UTC(),
	}
	if h.isComment() {
		if st := htmltext.ToText(str(h.StoryTitle)); st != "" {
			p.ParentTitle = st
		}
		p.Text = htmltext.ToText(str(h.CommentText))
	} else {
		p.Title = htmltext.ToText(str(h.Title))
		p.Text = htmltext.ToText(str(h.StoryText))
		if p.Text == "" {
			p.Text = strings.TrimSpace(str(h.URL))
		}
	}
	eng := map[string]int64{}
	if h.Points != nil {
		eng["points"] = *h.Points
	}
	if h.NumComments != nil {
		eng["num_comments"] = *h.NumComments
	}
	if len(eng) > 0 {
		p.Engagement = eng
	}
	return p
}
