package x

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

// page is the envelope of search/recent and users/:id/tweets. data is
// absent when nothing matched; errors may accompany data (partial errors,
// e.g. an author that could not be expanded).
type page struct {
	Data     []tweet `json:"data"`
	Includes struct {
		Users []user `json:"users"`
	} `json:"includes"`
	Meta struct {
		NewestID    string `json:"newest_id"`
		OldestID    string `json:"oldest_id"`
		ResultCount int    `json:"result_count"`
		NextToken   string `json:"next_token"`
	} `json:"meta"`
	Errors []apiError `json:"errors"`
}

// userPage is the users/by/username/:username envelope.
type userPage struct {
	Data   *user      `json:"data"`
	Errors []apiError `json:"errors"`
}

type tweet struct {
	ID            string `json:"id"`
	Text          string `json:"text"`
	CreatedAt     string `json:"created_at"`
	AuthorID      string `json:"author_id"`
	Lang          string `json:"lang"`
	PublicMetrics *struct {
		Retweets    int64 `json:"retweet_count"`
		Replies     int64 `json:"reply_count"`
		Likes       int64 `json:"like_count"`
		Quotes      int64 `json:"quote_count"`
		Bookmarks   int64 `json:"bookmark_count"`
		Impressions int64 `json:"impression_count"`
	} `json:"public_metrics"`
	Referenced []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"referenced_tweets"`
	Entities  *entities `json:"entities"`
	NoteTweet *struct {
		Text     string    `json:"text"`
		Entities *entities `json:"entities"`
	} `json:"note_tweet"`
}

type entities struct {
	URLs []urlEntity `json:"urls"`
}

type urlEntity struct {
	URL         string `json:"url"`
	ExpandedURL string `json:"expanded_url"`
	UnwoundURL  string `json:"unwound_url"`
	MediaKey    string `json:"media_key"`
}

type user struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Username      string `json:"username"`
	PublicMetrics *struct {
		Followers int64 `json:"followers_count"`
	} `json:"public_metrics"`
}

// apiError is one entry of a response's errors array (partial errors and
// the 400 invalid-request shape share it).
type apiError struct {
	Value      string              `json:"value"`
	Detail     string              `json:"detail"`
	Title      string              `json:"title"`
	Type       string              `json:"type"`
	Message    string              `json:"message"`
	Parameter  string              `json:"parameter"`
	Parameters map[string][]string `json:"parameters"`
}

func (e apiError) String() string {
	for _, s := range []string{e.Message, e.Detail, e.Title} {
		if s != "" {
			return s
		}
	}
	return e.Type
}

// decodePage parses a tweets response.
func decodePage(b []byte) (*page, error) {
	var p page
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	if p.Meta.ResultCount < 0 {
		return nil, fmt.Errorf("negative result_count %d", p.Meta.ResultCount)
	}
	if p.Data == nil && p.Meta.ResultCount == 0 && len(p.Errors) > 0 {
		return nil, fmt.Errorf("no data: %s", p.Errors[0])
	}
	return &p, nil
}

// validID reports whether s is a tweet or user id: a decimal uint64.
func validID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// idNum is a valid id's numeric value; 0 for "" or an invalid id.
func idNum(s string) uint64 {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || len(s) > 20 {
		return 0
	}
	return n
}

func (t *tweet) isRetweet() bool {
	for _, r := range t.Referenced {
		if r.Type == "retweeted" {
			return true
		}
	}
	return false
}

// undatedBefore: a created_at at or before it is not a real tweet date (X
// began in 2006).
var undatedBefore = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// toPost maps a tweet; authors are the page's users by id.
func (t *tweet) toPost(authors map[string]*user, now time.Time) listener.Post {
	p := listener.Post{Network: Network, NativeID: t.ID}
	text, ents := t.Text, t.Entities
	if t.NoteTweet != nil && strings.TrimSpace(t.NoteTweet.Text) != "" {
		text, ents = t.NoteTweet.Text, t.NoteTweet.Entities
	}
	p.Text, p.Links = expand(html.UnescapeString(text), ents)
	if u := authors[t.AuthorID]; u != nil && u.Username != "" {
		p.Author, p.AuthorName = u.Username, strings.TrimSpace(u.Name)
		if u.PublicMetrics != nil {
			p.AuthorFollowers = u.PublicMetrics.Followers
		}
		p.URL = "https://x.com/" + url.PathEscape(u.Username) + "/status/" + t.ID
	} else {
		p.URL = "https://x.com/i/web/status/" + t.ID
	}
	if ts, err := time.Parse(time.RFC3339, t.CreatedAt); err == nil && ts.After(undatedBefore) {
		p.Published = ts.UTC()
	} else {
		// No date, or one at or before 2000 (the Unix epoch a broken
		// serializer writes for "no date"): the post is new to us now.
		// Kept as 1970 it would fall before the lookback and be dropped
		// while since_id moves past it.
		p.Published, p.PublishedEstimated = now.UTC(), true
	}
	p.Lang = lang(t.Lang)
	if m := t.PublicMetrics; m != nil {
		p.Engagement = map[string]int64{
			"likes": m.Likes, "reposts": m.Retweets, "replies": m.Replies,
			"quotes": m.Quotes, "bookmarks": m.Bookmarks, "impressions": m.Impressions,
		}
	}
	for _, r := range t.Referenced {
		if r.Type == "replied_to" && validID(r.ID) {
			p.ReplyTo = r.ID
		}
	}
	return p
}

// expand replaces t.co links in text by their expanded URLs (media links
// are removed) and returns the outbound links, absolute and deduplicated.
func expand(text string, ents *entities) (string, []string) {
	if ents == nil {
		return strings.TrimSpace(text), nil
	}
	var links []string
	seen := map[string]bool{}
	for _, e := range ents.URLs {
		target := e.UnwoundURL
		if target == "" {
			target = e.ExpandedURL
		}
		if e.MediaKey != "" {
			if e.URL != "" {
				text = strings.ReplaceAll(text, e.URL, "")
			}
			continue
		}
		u, err := url.Parse(target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		if e.URL != "" {
			text = strings.ReplaceAll(text, e.URL, target)
		}
		if !seen[target] {
			seen[target] = true
			links = append(links, target)
		}
	}
	return strings.TrimSpace(text), links
}

// lang drops X's pseudo-codes: und (undetermined), zxx (no text) and the
// q* codes (qme media only, qht hashtags only, ...).
func lang(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || s == "und" || s == "zxx" || (len(s) == 3 && s[0] == 'q') || len(s) > 35 {
		return ""
	}
	return s
}
