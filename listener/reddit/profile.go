package reddit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// profileTTL is how long an account's followers and name are reused.
const profileTTL = 24 * time.Hour

// profile is what /user/NAME/about tells about a brand account.
type profile struct {
	Followers   int64
	DisplayName string
	Fetched     time.Time
}

// aboutResponse is the t2 (account) thing.
type aboutResponse struct {
	Kind string `json:"kind"`
	Data struct {
		Name      string `json:"name"`
		Subreddit *struct {
			Title       string `json:"title"`
			Subscribers *int64 `json:"subscribers"`
		} `json:"subreddit"`
	} `json:"data"`
}

// loadProfile fetches name's profile unless a fresh one is cached.
func (s *Source) loadProfile(ctx context.Context, name string) error {
	now := s.clock()
	s.mu.Lock()
	pr, ok := s.about[name]
	s.mu.Unlock()
	if ok && now.Sub(pr.Fetched) < profileTTL && !now.Before(pr.Fetched) {
		return nil
	}
	u := s.cfg.BaseURL + "/user/" + url.PathEscape(name) + "/about?raw_json=1"
	resp, err := s.get(ctx, u)
	if err != nil {
		return err
	}
	var a aboutResponse
	if err := json.Unmarshal(resp.Body, &a); err != nil {
		return fmt.Errorf("decode %s: %w", u, err)
	}
	if a.Kind != "t2" || !strings.EqualFold(a.Data.Name, name) {
		return fmt.Errorf("decode %s: kind %q name %q, want t2 %q", u, a.Kind, a.Data.Name, name)
	}
	pr = profile{Fetched: now}
	if sr := a.Data.Subreddit; sr != nil {
		pr.DisplayName = strings.TrimSpace(sr.Title)
		if sr.Subscribers != nil && *sr.Subscribers >= 0 {
			pr.Followers = *sr.Subscribers
		}
	}
	s.mu.Lock()
	s.about[name] = pr
	s.mu.Unlock()
	return spent(u, resp)
}
