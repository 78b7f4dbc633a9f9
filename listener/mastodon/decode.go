package mastodon

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/htmltext"
)

// status is a Mastodon Status entity; fields Earshot does not use are
// ignored. Nullable fields are pointers.
type status struct {
	ID              string   `json:"id"`
	CreatedAt       string   `json:"created_at"`
	InReplyToID     *string  `json:"in_reply_to_id"`
	SpoilerText     string   `json:"spoiler_text"`
	Visibility      string   `json:"visibility"`
	Language        *string  `json:"language"`
	URI             string   `json:"uri"`
	URL             *string  `json:"url"`
	RepliesCount    int64    `json:"replies_count"`
	ReblogsCount    int64    `json:"reblogs_count"`
	FavouritesCount int64    `json:"favourites_count"`
	EditedAt        *string  `json:"edited_at"`
	Content         string   `json:"content"`
	Reblog          *status  `json:"reblog"`
	Account         *account `json:"account"`
	Mentions        []struct {
		URL string `json:"url"`
	} `json:"mentions"`
	Tags []struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"tags"`
	Card *struct {
		URL string `json:"url"`
	} `json:"card"`
}

// account is a Mastodon Account entity (the fields Earshot uses).
type account struct {
	ID             string `json:"id"`
	Username       string `json:"username"`
	Acct           string `json:"acct"`
	DisplayName    string `json:"display_name"`
	URL            string `json:"url"`
	FollowersCount int64  `json:"followers_count"`
}

// searchResults is the /api/v2/search envelope.
type searchResults struct {
	Statuses []status `json:"statuses"`
}

// apiError is Mastodon's error body.
type apiError struct {
	Error string `json:"error"`
}

// decodeStatuses parses a timeline body: a JSON array of statuses.
func decodeStatuses(b []byte) ([]status, error) {
	var out []status
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	if out == nil && strings.TrimSpace(string(b)) != "[]" {
		return nil, errors.New("not a json array of statuses")
	}
	return out, nil
}

// decodeSearch parses a /api/v2/search body.
func decodeSearch(b []byte) ([]status, error) {
	var r searchResults
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	return r.Statuses, nil
}

// decodeAccount parses /api/v1/accounts/lookup.
func decodeAccount(b []byte) (*account, error) {
	var a account
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, err
	}
	if !validID(a.ID) {
		return nil, errors.New("account without a valid id")
	}
	return &a, nil
}

// errorText returns the "error" field of a Mastodon error body, or the
// body itself.
func errorText(body string) string {
	var e apiError
	if json.Unmarshal([]byte(body), &e) == nil && e.Error != "" {
		return e.Error
	}
	return body
}

// original returns the status a timeline entry shows: the boosted status
// for a reblog, else s itself.
func (s *status) original() *status {
	if s.Reblog != nil {
		return s.Reblog
	}
	return s
}

// published parses created_at; ok is false when it is missing or bad.
func (s *status) published() (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s.CreatedAt)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// toPost maps a status (already unwrapped from any reblog) to a Post. ok is
// false when the status lacks an id, author or date.
func (s *status) toPost() (listener.Post, bool) {
	t, ok := s.published()
	if !ok || !validID(s.ID) || s.Account == nil || s.Account.Acct == "" {
		return listener.Post{}, false
	}
	p := listener.Post{
		Network:         Network,
		NativeID:        s.ID,
		URL:             s.URI,
		Title:           htmltext.ToText(s.SpoilerText),
		Text:            htmltext.ToText(s.Content),
		Author:          s.Account.Acct,
		AuthorName:      strings.TrimSpace(s.Account.DisplayName),
		AuthorFollowers: max(s.Account.FollowersCount, 0),
		Published:       t,
		Engagement: map[string]int64{
			"replies":    max(s.RepliesCount, 0),
			"reblogs":    max(s.ReblogsCount, 0),
			"favourites": max(s.FavouritesCount, 0),
		},
		Links: s.links(),
	}
	if s.URL != nil && isHTTP(*s.URL) {
		p.URL = *s.URL
	}
	if s.Language != nil {
		p.Lang = strings.TrimSpace(*s.Language)
	}
	if s.InReplyToID != nil && validID(*s.InReplyToID) {
		p.ReplyTo = *s.InReplyToID
	}
	return p, true
}

func isHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
