package youtube

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // quota day in America/Los_Angeles even without system zoneinfo

	"github.com/earshot/earshot/listener"
)

// Quota costs of the calls this source makes, in YouTube quota units.
const (
	CostSearch = 100
	CostList   = 1 // videos, channels, playlistItems, commentThreads
)

// QuotaZone is the time zone of YouTube's quota day: the daily quota resets
// at midnight Pacific time. A Budget for this source should use it.
const QuotaZone = "America/Los_Angeles"

// ErrCommentsDisabled is returned (wrapped) for a video whose comments are off.
var ErrCommentsDisabled = errors.New("comments disabled")

// AuthError says the API key was refused.
type AuthError struct {
	Err error
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("api key refused (check api_key_env / the key's YouTube Data API v3 access): %v", e.Err)
}

func (e *AuthError) Unwrap() error { return e.Err }

var reasonRe = regexp.MustCompile(`"reason"\s*:\s*"([A-Za-z_]{1,64})"`)

// reasons extracts the error reasons of a Google API error body. It works
// on the truncated body an HTTPError carries, where JSON decoding may fail.
func reasons(body string) map[string]bool {
	out := map[string]bool{}
	for _, m := range reasonRe.FindAllStringSubmatch(body, 8) {
		out[m[1]] = true
	}
	return out
}

// classify turns a non-2xx answer into the error Fetch acts on.
func classify(err error, now time.Time) error {
	var he *listener.HTTPError
	if !errors.As(err, &he) {
		return err
	}
	r := reasons(he.Body)
	switch {
	case r["quotaExceeded"] || r["dailyLimitExceeded"]:
		cp := *he
		cp.RetryAfter = quotaReset(now).Sub(now)
		return fmt.Errorf("daily quota exceeded, resets at midnight Pacific: %w", &cp)
	case r["commentsDisabled"]:
		return fmt.Errorf("%w: %w", ErrCommentsDisabled, err)
	case r["API_KEY_INVALID"] || r["keyInvalid"] || r["API_KEY_SERVICE_BLOCKED"] || r["accessNotConfigured"] ||
		r["SERVICE_DISABLED"] || r["ipRefererBlocked"] || r["API_KEY_HTTP_REFERRER_BLOCKED"] ||
		he.StatusCode == http.StatusUnauthorized:
		return &AuthError{Err: err}
	case he.StatusCode == http.StatusBadRequest && r["badRequest"] && len(r) == 1 && containsAPIKey(he.Body):
		return &AuthError{Err: err}
	}
	return err
}

func containsAPIKey(s string) bool {
	return strings.Contains(strings.ToLower(s), "api key")
}

// quotaReset returns the next midnight in America/Los_Angeles after now.
func quotaReset(now time.Time) time.Time {
	loc, err := time.LoadLocation(QuotaZone)
	if err != nil {
		loc = time.FixedZone("PST", -8*3600)
	}
	t := now.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)
}

// stopAfter reports whether err must end the whole Fetch: the budget or
// quota is spent, the key is refused, the server asked us to wait, or the
// caller gave up.
func stopAfter(err error) bool {
	var be *listener.BudgetError
	var ae *AuthError
	var he *listener.HTTPError
	switch {
	case errors.As(err, &be), errors.As(err, &ae):
		return true
	case errors.As(err, &he) && (he.StatusCode == http.StatusTooManyRequests || he.RetryAfter > 0):
		return true
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// call spends cost units of the budget, GETs endpoint with params and the
// key, and decodes the body into v. Errors name the URL (without the key).
func (s *Source) call(ctx context.Context, cost int, endpoint string, params url.Values, v any) error {
	return s.callFrom(ctx, s.budget, cost, endpoint, params, v)
}

// callFrom is call spending from b (nil = unlimited).
func (s *Source) callFrom(ctx context.Context, b listener.Budget, cost int, endpoint string, params url.Values, v any) error {
	if b != nil {
		if err := b.Take(cost); err != nil {
			return err
		}
	}
	shown := s.cfg.BaseURL + "/youtube/v3/" + endpoint + "?" + params.Encode()
	params.Set("key", s.cfg.APIKey)
	u := s.cfg.BaseURL + "/youtube/v3/" + endpoint + "?" + params.Encode()
	resp, err := s.f.Get(ctx, u, http.Header{"Accept": {"application/json"}})
	if err != nil {
		return classify(redact(err, u, shown), s.clock())
	}
	if err := decode(resp.Body, v); err != nil {
		return fmt.Errorf("decode %s: %w", shown, err)
	}
	return nil
}

// redact replaces the keyed URL in an error by the URL without the key, so
// the key never reaches logs or the health report.
func redact(err error, keyed, shown string) error {
	var he *listener.HTTPError
	if errors.As(err, &he) {
		cp := *he
		cp.URL = shown
		return &cp
	}
	return &redacted{msg: strings.ReplaceAll(err.Error(), keyed, shown), err: err}
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
