package faults

import (
	"net/http"
	"time"
)

// Kind is one fault.
type Kind int

// The faults a Plan can inject.
const (
	// None passes every request through.
	None Kind = iota
	// Reset closes the connection without an answer (the client sees EOF
	// or a reset). For "connection refused" take a Server Down.
	Reset
	// Hang sends nothing until the client gives up.
	Hang
	// Trickle sends the real answer one byte every Plan.Every (default
	// 100 ms).
	Trickle
	// Truncate sends the first Plan.Keep (default half) of the real body
	// as a complete 200 answer: cut JSON or XML.
	Truncate
	// HTMLPage answers 200 with a proxy's HTML error page where JSON or XML
	// was promised.
	HTMLPage
	// ErrorBody answers 200 with Plan.Body (default a JSON error object).
	ErrorBody
	// RateLimited answers 429 with Retry-After: Plan.RetryAfter in seconds
	// (no header when it is zero).
	RateLimited
	// Storm answers every request with a 5xx, cycling 500, 502, 503, 504.
	Storm
	// GzipBomb answers 200 with Content-Encoding gzip: a ~100 KB stream
	// that inflates to Plan.Size (default 100 MB) of zeros.
	GzipBomb
	// HugeBody answers 200 with the start of the real body followed by
	// filler up to Plan.Size (default 100 MB), streamed, no Content-Length.
	HugeBody
	// Rewrite serves the real answer with its body passed through
	// Plan.Rewrite (invalid UTF-8, moved timestamps, item lists changed).
	Rewrite
)

var kindNames = [...]string{"none", "reset", "hang", "trickle", "truncate", "html-page", "error-body",
	"rate-limited", "5xx-storm", "gzip-bomb", "huge-body", "rewrite"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// DefaultSize is the size of HugeBody and of a GzipBomb's inflated stream.
const DefaultSize = 100 << 20

// DefaultEvery is Trickle's gap between bytes.
const DefaultEvery = 100 * time.Millisecond

// Mutator rewrites a response body; ctype is its Content-Type. It returns
// the body unchanged when it does not apply.
type Mutator func(body []byte, ctype string) []byte

// Plan is what a Handler does with requests. The zero Plan passes them
// through.
type Plan struct {
	Kind Kind
	// Match selects the requests the fault applies to; nil = all.
	Match func(r *http.Request) bool
	// RetryAfter is sent with RateLimited (whole seconds; zero = no header).
	RetryAfter time.Duration
	// Size is HugeBody's length and a GzipBomb's inflated length.
	Size int64
	// Every is Trickle's gap between bytes.
	Every time.Duration
	// Keep is the fraction of the body Truncate keeps, in (0, 1).
	Keep float64
	// Body and ContentType are ErrorBody's answer; ContentType is also the
	// GzipBomb's (default application/json).
	Body, ContentType string
	// Rewrite is Rewrite's mutator (apply several with Chain).
	Rewrite Mutator
}

// Chain applies mutators in order.
func Chain(ms ...Mutator) Mutator {
	return func(body []byte, ctype string) []byte {
		for _, m := range ms {
			if m != nil {
				body = m(body, ctype)
			}
		}
		return body
	}
}
