package httpx

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps a server-requested wait; anything longer is treated as
// this long so a hostile header cannot park a source for years.
const maxRetryAfter = 24 * time.Hour

// retryAfter returns the wait the response asks for, zero when none.
func retryAfter(resp *http.Response, now time.Time) time.Duration {
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		return d
	}
	if resp.StatusCode != http.StatusTooManyRequests {
		return 0
	}
	// Header lookup is canonicalised: X-RateLimit-Reset and X-Ratelimit-Reset
	// are the same key. Reddit and Mastodon send X-RateLimit-Reset, X sends
	// x-rate-limit-reset, Bluesky (IETF draft) ratelimit-reset.
	for _, h := range []string{"X-Ratelimit-Reset", "X-Rate-Limit-Reset", "Ratelimit-Reset"} {
		if d, ok := parseReset(resp.Header.Get(h), now); ok {
			return d
		}
	}
	return 0
}

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return clampSeconds(float64(secs)), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	if d > maxRetryAfter {
		d = maxRetryAfter
	}
	return d, true
}

// parseReset reads X-RateLimit-Reset: seconds to wait (Reddit, possibly
// fractional) or, when the number is larger than a day's worth of seconds
// and looks like a Unix time, the reset instant.
func parseReset(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != f {
		if t, err := time.Parse(time.RFC3339, v); err == nil { // Mastodon sends an ISO time
			d := t.Sub(now)
			if d < 0 {
				d = 0
			}
			return min(d, maxRetryAfter), true
		}
		return 0, false
	}
	if f > 1e9 { // a Unix timestamp
		d := time.Unix(int64(f), 0).Sub(now)
		if d < 0 {
			d = 0
		}
		return min(d, maxRetryAfter), true
	}
	return clampSeconds(f), true
}

func clampSeconds(s float64) time.Duration {
	if s > maxRetryAfter.Seconds() {
		return maxRetryAfter
	}
	return time.Duration(s * float64(time.Second))
}
