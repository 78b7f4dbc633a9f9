package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/earshot/earshot/listener"
)

// instanceInfo is the part of /api/v2/instance Earshot reads (Mastodon
// 4.5+: configuration.timelines_access; older servers omit it).
type instanceInfo struct {
	Configuration struct {
		TimelinesAccess *struct {
			HashtagFeeds struct {
				Local  string `json:"local"`
				Remote string `json:"remote"`
			} `json:"hashtag_feeds"`
		} `json:"timelines_access"`
	} `json:"configuration"`
}

// hashtagAccess returns who may read hashtag timelines: "public",
// "authenticated" or "disabled" (the most open of local and remote), ""
// when the instance does not say.
func (i *instanceInfo) hashtagAccess() string {
	ta := i.Configuration.TimelinesAccess
	if ta == nil {
		return ""
	}
	rank := map[string]int{"disabled": 1, "authenticated": 2, "public": 3}
	best := ""
	for _, v := range []string{ta.HashtagFeeds.Local, ta.HashtagFeeds.Remote} {
		if rank[v] > rank[best] {
			best = v
		}
	}
	return best
}

// checkHashtagAccess is called when a hashtag timeline came back empty: an
// instance whose admin disabled hashtag feeds answers with an empty list,
// which must not pass for "no posts". The instance configuration is read
// once per Source; failures to read it are not errors (older servers).
func (s *Source) checkHashtagAccess(ctx context.Context) error {
	s.mu.Lock()
	seen, access := s.instanceSeen, s.hashtagFeeds
	s.mu.Unlock()
	if !seen {
		resp, err := s.f.Get(ctx, s.cfg.BaseURL+"/api/v2/instance", s.header())
		if err != nil {
			var he *listener.HTTPError
			if errors.As(err, &he) && he.StatusCode == http.StatusNotFound {
				s.setInstance("")
			}
			return nil
		}
		var info instanceInfo
		if json.Unmarshal(resp.Body, &info) != nil {
			s.setInstance("")
			return nil
		}
		access = info.hashtagAccess()
		s.setInstance(access)
	}
	switch {
	case access == "disabled":
		return fmt.Errorf("%w on %s (instance configuration: hashtag_feeds disabled); use another instance", ErrHashtagTimelinesDisabled, s.host)
	case access == "authenticated" && s.cfg.Token == "":
		return fmt.Errorf("%w on %s (instance configuration: hashtag_feeds need a login); configure token_env or use another instance", ErrHashtagTimelinesDisabled, s.host)
	}
	return nil
}

func (s *Source) setInstance(access string) {
	s.mu.Lock()
	s.instanceSeen, s.hashtagFeeds = true, access
	s.mu.Unlock()
}

// lookupAccount resolves a handle to its account id on this instance, once
// per Source.
func (s *Source) lookupAccount(ctx context.Context, handle string) (string, error) {
	s.mu.Lock()
	id, ok := s.accountIDs[handle]
	s.mu.Unlock()
	if ok {
		return id, nil
	}
	u := s.cfg.BaseURL + "/api/v1/accounts/lookup?" + url.Values{"acct": {handle}}.Encode()
	resp, err := s.f.Get(ctx, u, s.header())
	if err != nil {
		var he *listener.HTTPError
		if errors.As(err, &he) && he.StatusCode == http.StatusNotFound {
			return "", fmt.Errorf("account %q not found on %s: check the brand's mastodon handle: %w", handle, s.host, err)
		}
		return "", s.explain(job{kind: kindAccount}, err)
	}
	a, err := decodeAccount(resp.Body)
	if err != nil {
		return "", fmt.Errorf("decode %s: %w", u, err)
	}
	s.mu.Lock()
	if len(s.accountIDs) < 10000 {
		s.accountIDs[handle] = a.ID
	}
	s.mu.Unlock()
	return a.ID, nil
}
