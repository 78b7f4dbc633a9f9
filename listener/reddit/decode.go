package reddit

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/query"
)

const (
	maxChildren = 100
	permalinkTo = "https://www.reddit.com"
)

// listing is Reddit's paging envelope.
type listing struct {
	Kind string `json:"kind"`
	Data struct {
		After    *string `json:"after"`
		Before   *string `json:"before"`
		Dist     *int    `json:"dist"`
		Children []thing `json:"children"`
	} `json:"data"`
}

type thing struct {
	Kind string    `json:"kind"`
	Data thingData `json:"data"`
}

// thingData holds the fields of t3 (submission) and t1 (comment) we use.
// Fields Reddit sends with varying types ("edited": false or a time) are
// not decoded.
type thingData struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	Title             string   `json:"title"`
	Selftext          string   `json:"selftext"`
	Body              string   `json:"body"`
	Author            string   `json:"author"`
	Subreddit         string   `json:"subreddit"`
	Score             *int64   `json:"score"`
	NumComments       *int64   `json:"num_comments"`
	Permalink         string   `json:"permalink"`
	URL               string   `json:"url"`
	CreatedUTC        *float64 `json:"created_utc"`
	IsSelf            bool     `json:"is_self"`
	RemovedByCategory *string  `json:"removed_by_category"`
	LinkTitle         string   `json:"link_title"`
	LinkID            string   `json:"link_id"`
	ParentID          string   `json:"parent_id"`
}

// decodeListing parses a listing body.
func decodeListing(b []byte) (*listing, error) {
	var l listing
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, err
	}
	if l.Kind != "Listing" {
		return nil, fmt.Errorf("kind %q, want Listing", l.Kind)
	}
	if len(l.Data.Children) > maxChildren {
		l.Data.Children = l.Data.Children[:maxChildren]
	}
	return &l, nil
}

var idRe = regexp.MustCompile(`^[0-9a-z]{1,13}$`)

// created returns the thing's time in whole Unix seconds.
func (d *thingData) created() (int64, bool) {
	if d.CreatedUTC == nil || math.IsNaN(*d.CreatedUTC) || *d.CreatedUTC <= 0 || *d.CreatedUTC > 1e11 {
		return 0, false
	}
	return int64(*d.CreatedUTC), true
}

// gone reports whether a text or title was deleted or removed.
func gone(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "[deleted]", "[removed]", "[ Removed by Reddit ]":
		return true
	}
	return false
}

func cleanText(s string) string {
	if s = strings.TrimSpace(s); gone(s) || strings.HasPrefix(s, "[ Removed by Reddit") {
		return ""
	}
	return s
}

// toPost maps a t3 or t1 thing; ok is false when it is unusable or gone.
func (t *thing) toPost() (listener.Post, int64, bool) {
	d := &t.Data
	created, ok := d.created()
	if !ok || !idRe.MatchString(d.ID) || (t.Kind != "t3" && t.Kind != "t1") {
		return listener.Post{}, 0, false
	}
	p := listener.Post{
		Network:   Network,
		NativeID:  d.ID,
		URL:       permalink(d.Permalink, d.ID),
		Published: time.Unix(created, 0).UTC(),
	}
	if a := strings.TrimSpace(d.Author); a != "[deleted]" {
		p.Author = a
	}
	eng := map[string]int64{}
	if d.Score != nil {
		eng["score"] = *d.Score
	}
	switch t.Kind {
	case "t3":
		if gone(d.Title) {
			return listener.Post{}, 0, false
		}
		p.Title = strings.TrimSpace(d.Title)
		p.Text = cleanText(d.Selftext)
		if d.NumComments != nil {
			eng["num_comments"] = *d.NumComments
		}
		if !d.IsSelf {
			p.Links = appendLink(p.Links, d.URL)
		}
	case "t1":
		if p.Text = cleanText(d.Body); p.Text == "" {
			return listener.Post{}, 0, false
		}
		if lt := strings.TrimSpace(d.LinkTitle); lt != "" {
			p.ParentTitle = lt
		}
		p.ReplyTo = parentID(d.ParentID)
	}
	for _, u := range query.URLsIn(p.Text, 50) {
		p.Links = appendLink(p.Links, strings.TrimRight(u, ".,;:!?*_~"))
	}
	if len(eng) > 0 {
		p.Engagement = eng
	}
	return p, created, true
}

// permalink builds the web URL from a relative permalink, falling back to
// the short form when the permalink is missing or not a Reddit path.
func permalink(rel, id string) string {
	if strings.HasPrefix(rel, "/") && !strings.HasPrefix(rel, "//") && !strings.ContainsAny(rel, " \\\n\r\t") && len(rel) < 1024 {
		return permalinkTo + rel
	}
	return permalinkTo + "/comments/" + id + "/"
}

// parentID strips the t1_/t3_ prefix of a parent fullname.
func parentID(full string) string {
	for _, pre := range []string{"t1_", "t3_"} {
		if id, ok := strings.CutPrefix(full, pre); ok && idRe.MatchString(id) {
			return id
		}
	}
	return ""
}

// appendLink adds raw when it is an absolute http(s) URL not yet present.
func appendLink(links []string, raw string) []string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2048 {
		return links
	}
	for _, l := range links {
		if l == raw {
			return links
		}
	}
	return append(links, raw)
}
