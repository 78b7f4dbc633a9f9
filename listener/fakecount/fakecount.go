package fakecount

import (
	"math"
	"time"
)

// Horizon is the age after which counts stop growing.
const Horizon = 7 * 24 * time.Hour

// Grow is the count a fake serves at now for a post published at pub whose
// recording says n: n + n·h/24 + h, h the whole hours since publication
// (0 before it, at most Horizon). A post recorded with 0 likes has 1 after
// an hour, 24 after a day; one recorded with 10 has 20 + 24 after a day.
// Negative n (Reddit scores) is served as recorded.
func Grow(n int64, pub, now time.Time) int64 {
	if n < 0 {
		return n
	}
	h := int64(min(max(now.Sub(pub), 0), Horizon) / time.Hour)
	if n > (math.MaxInt64-h)/(1+h) {
		return math.MaxInt64
	}
	return n + n*h/24 + h
}
