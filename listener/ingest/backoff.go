package ingest

import (
	"errors"
	"github.com/earshot/earshot/listener"
	"time"
)

// Defaults for Options.
const (
	DefaultJitter     = 0.1
	DefaultMinBackoff = 30 * time.Second
	DefaultMaxBackoff = time.Hour
	// MaxJitter bounds Options.Jitter so that a wait never shrinks to zero.
	MaxJitter = 0.5
	// MaxRetryAfter bounds a server's Retry-After (a hostile or broken
	// server may name years); waits longer than MaxBackoff up to this are
	// honoured.
	MaxRetryAfter = 24 * time.Hour
)

// policy computes waits between fetches. rnd returns values in [0, 1).
type policy struct {
	jitter     float64
	minBackoff time.Duration
	maxBackoff time.Duration
	rnd        func() float64
	clock      func() time.Time // for budget resets; nil = time.Now
}

// jittered spreads d uniformly over d ± jitter·d.
func (p policy) jittered(d time.Duration) time.Duration {
	if p.jitter <= 0 || d <= 0 {
		return d
	}
	r := p.rnd()
	if r < 0 || r >= 1 || r != r { // a broken source of randomness
		r = 0.5
	}
	f := 1 + p.jitter*(2*r-1)
	return time.Duration(float64(d) * f)
}

// backoff is the wait after the n-th consecutive failure (n >= 1): MinBackoff
// doubled n-1 times, jittered, kept within [MinBackoff, MaxBackoff].
func (p policy) backoff(n int) time.Duration {
	b := p.minBackoff
	for i := 1; i < n && b < p.maxBackoff; i++ {
		b *= 2
	}
	b = p.jittered(min(b, p.maxBackoff))
	return min(max(b, p.minBackoff), p.maxBackoff)
}

// next returns the wait before the next fetch of a job polled every `every`.
//
// failures is the number of consecutive full failures (0 after a success or a
// partial success). The normal schedule is every ± jitter; a failure waits
// for the backoff instead when it is longer; an *listener.HTTPError's RetryAfter
// (capped at MaxRetryAfter) is honoured whenever err carries one, also on a
// partial success. Backoff never makes the wait shorter than the schedule.
func (p policy) next(every time.Duration, failures int, err error) time.Duration {
	wait := p.jittered(every)
	if failures > 0 {
		wait = max(wait, p.backoff(failures))
	}
	if ra := retryAfter(err); ra > 0 {
		wait = max(wait, min(ra, MaxRetryAfter))
	}
	var be *listener.BudgetError
	if errors.As(err, &be) && be != nil {
		now := time.Now
		if p.clock != nil {
			now = p.clock
		}
		if until := be.Resets.Sub(now()); until > 0 {
			wait = max(wait, min(until, MaxRetryAfter)) // spent: wait for the new budget day
		}
	}
	return wait
}

// retryAfter is the largest RetryAfter of the *HTTPErrors in err's tree
// (errors.Join of several endpoints' failures included).
func retryAfter(err error) time.Duration {
	var best time.Duration
	var walk func(error)
	walk = func(err error) {
		for err != nil {
			if he, ok := err.(*listener.HTTPError); ok && he != nil && he.RetryAfter > best {
				best = he.RetryAfter
			}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					walk(e)
				}
				return
			}
			err = errors.Unwrap(err)
		}
	}
	walk(err)
	var he *listener.HTTPError
	if best == 0 && errors.As(err, &he) && he != nil && he.RetryAfter > 0 {
		best = he.RetryAfter // a wrapper with its own As method
	}
	return best
}
