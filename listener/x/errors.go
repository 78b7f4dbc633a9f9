package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

// DefaultRateLimitWait is the wait reported for a 429 that names none: X's
// rate-limit windows are 15 minutes long.
const DefaultRateLimitWait = 15 * time.Minute

// ErrUnauthorized, ErrForbidden and ErrUsageCapped classify X's refusals;
// they are wrapped together with the *listener.HTTPError.
var (
	ErrUnauthorized = errors.New("x rejected the bearer token (check bearer_token_env)")
	ErrForbidden    = errors.New("x refused access: the app is not enrolled for this endpoint (check the project's access level)")
	ErrUsageCapped  = errors.New("x usage cap exceeded: no more reads until the cap resets")
	ErrInvalid      = errors.New("x rejected the request")
)

// problem is X's RFC 7807-style error body.
type problem struct {
	Title  string     `json:"title"`
	Detail string     `json:"detail"`
	Type   string     `json:"type"`
	Reason string     `json:"reason"`
	Errors []apiError `json:"errors"`
}

// classify turns a failed request into an error that says what to do,
// still wrapping the *listener.HTTPError (with a RetryAfter for a 429).
func classify(err error) error {
	var he *listener.HTTPError
	if !errors.As(err, &he) {
		return err
	}
	var pb problem
	_ = json.Unmarshal([]byte(he.Body), &pb) // Body may be truncated; fall back to substrings
	capped := strings.Contains(pb.Type, "usage-capped") || strings.Contains(he.Body, "usage-capped") || strings.Contains(he.Body, "UsageCapExceeded")
	switch {
	case capped:
		return fmt.Errorf("%w: %w", ErrUsageCapped, he)
	case he.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%w: %w", ErrUnauthorized, he)
	case he.StatusCode == http.StatusForbidden || he.StatusCode == http.StatusPaymentRequired:
		return fmt.Errorf("%w: %w", ErrForbidden, he)
	case he.StatusCode == http.StatusTooManyRequests:
		if he.RetryAfter <= 0 {
			he.RetryAfter = DefaultRateLimitWait
		}
		return err
	case he.StatusCode == http.StatusBadRequest:
		msg := pb.Detail
		if len(pb.Errors) > 0 {
			msgs := make([]string, 0, len(pb.Errors))
			for _, e := range pb.Errors {
				msgs = append(msgs, e.String())
			}
			msg = strings.Join(msgs, "; ")
		}
		if msg == "" {
			msg = "bad request"
		}
		return fmt.Errorf("%w: %s: %w", ErrInvalid, msg, he)
	}
	return err
}

// stopAll reports whether an error ends the whole Fetch rather than one
// query or account: a wait was asked for, the credentials or the plan are
// refused, the budget is spent, or the caller gave up.
func stopAll(err error) bool {
	var he *listener.HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusTooManyRequests || he.RetryAfter > 0) {
		return true
	}
	var be *listener.BudgetError
	return errors.As(err, &be) || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) ||
		errors.Is(err, ErrUsageCapped) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
