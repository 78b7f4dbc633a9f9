package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

const (
	refreshMargin = 5 * time.Minute
	minTokenLife  = time.Minute
	maxTokenLife  = 7 * 24 * time.Hour
)

// tokenResponse is the access_token answer; on some failures Reddit answers
// 200 with only "error" set.
type tokenResponse struct {
	AccessToken string          `json:"access_token"`
	TokenType   string          `json:"token_type"`
	ExpiresIn   json.Number     `json:"expires_in"`
	Scope       string          `json:"scope"`
	Error       json.RawMessage `json:"error"`
}

// take reserves one request from the budget, if any.
func (s *Source) take() error {
	if s.budget == nil {
		return nil
	}
	return s.budget.Take(1)
}

// accessToken returns the cached token or fetches a new one.
func (s *Source) accessToken(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	if s.token != "" && now.Before(s.expiry.Add(-refreshMargin)) {
		return s.token, nil
	}
	s.token = ""
	if err := s.take(); err != nil {
		return "", err
	}
	u := s.cfg.AuthURL + "/api/v1/access_token"
	req, _ := http.NewRequest(http.MethodPost, u, nil) // only to format Basic auth
	req.SetBasicAuth(s.cfg.ClientID, s.cfg.ClientSecret)
	h := http.Header{
		"Authorization": {req.Header.Get("Authorization")},
		"Content-Type":  {"application/x-www-form-urlencoded"},
		"Accept":        {"application/json"},
		"User-Agent":    {s.ua},
	}
	resp, err := s.f.Do(ctx, http.MethodPost, u, h, []byte("grant_type=client_credentials"))
	if err != nil {
		var he *listener.HTTPError
		if errors.As(err, &he) && (he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusForbidden) {
			return "", fmt.Errorf("%w: %w", ErrCredentials, err)
		}
		return "", fmt.Errorf("reddit: token: %w", err)
	}
	var tr tokenResponse
	if err := json.Unmarshal(resp.Body, &tr); err != nil {
		return "", fmt.Errorf("reddit: token: decode %s: %w", u, err)
	}
	if (len(tr.Error) > 0 && string(tr.Error) != "null") || tr.AccessToken == "" {
		reason := strings.Trim(string(tr.Error), `"`)
		if reason == "" {
			reason = "no access_token in answer"
		}
		if reason == "invalid_grant" || reason == "unauthorized_client" || reason == "401" {
			return "", fmt.Errorf("%w: %s: %s", ErrCredentials, u, reason)
		}
		return "", fmt.Errorf("reddit: token: %s: %s", u, reason)
	}
	if tt := strings.ToLower(tr.TokenType); tt != "" && tt != "bearer" {
		return "", fmt.Errorf("reddit: token: %s: unsupported token_type %q", u, tr.TokenType)
	}
	life := time.Hour
	if secs, err := tr.ExpiresIn.Float64(); err == nil && secs > 0 && secs < maxTokenLife.Seconds() {
		life = time.Duration(secs * float64(time.Second))
	}
	life = max(life, minTokenLife)
	s.token, s.expiry = tr.AccessToken, now.Add(life)
	return s.token, nil
}

// dropToken forgets tok if it is still the cached token.
func (s *Source) dropToken(tok string) {
	s.mu.Lock()
	if s.token == tok {
		s.token = ""
	}
	s.mu.Unlock()
}

// get performs an authenticated API GET, re-authenticating once on 401,
// and stops (errRateLimited) when the answer says the rate limit is spent.
func (s *Source) get(ctx context.Context, u string) (*httpx.Response, error) {
	for attempt := 0; ; attempt++ {
		tok, err := s.accessToken(ctx)
		if err != nil {
			return nil, err
		}
		if err := s.take(); err != nil {
			return nil, err
		}
		h := http.Header{
			"Authorization": {"bearer " + tok},
			"Accept":        {"application/json"},
			"User-Agent":    {s.ua},
		}
		resp, err := s.f.Get(ctx, u, h)
		var he *listener.HTTPError
		if errors.As(err, &he) && he.StatusCode == http.StatusUnauthorized {
			s.dropToken(tok)
			if attempt == 0 {
				continue
			}
			return nil, fmt.Errorf("%w: a fresh token was refused: %w", ErrCredentials, err)
		}
		return resp, err
	}
}

// spent returns a rate-limit error when resp says no request is left in
// the current window, nil otherwise.
func spent(u string, resp *httpx.Response) error {
	rem := strings.TrimSpace(resp.Header.Get("X-Ratelimit-Remaining"))
	if rem == "" {
		return nil
	}
	left, err := strconv.ParseFloat(rem, 64)
	if err != nil || left >= 1 {
		return nil
	}
	wait := time.Duration(0)
	if reset, err := strconv.ParseFloat(strings.TrimSpace(resp.Header.Get("X-Ratelimit-Reset")), 64); err == nil && reset > 0 {
		wait = time.Duration(min(reset, maxTokenLife.Seconds()) * float64(time.Second))
	}
	return &listener.HTTPError{
		URL: u, StatusCode: http.StatusTooManyRequests, RetryAfter: wait,
		Body: fmt.Sprintf("rate limit spent (X-Ratelimit-Remaining %s, used %s)", rem, resp.Header.Get("X-Ratelimit-Used")),
	}
}

// stops reports whether err should end the whole Fetch.
func stops(err error) bool {
	var he *listener.HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusTooManyRequests || he.RetryAfter > 0) {
		return true
	}
	var be *listener.BudgetError
	return errors.As(err, &be) || errors.Is(err, ErrCredentials) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
