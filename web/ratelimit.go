package web

import (
	"math"
	"net/netip"
	"sync"
	"time"
)

// Failed-authentication limits, per client address: a burst of
// authBurst failures, then one more every authRefill. Another address is
// never affected, so a guesser cannot lock the real user out.
const (
	authBurst      = 10
	authRefill     = 6 * time.Second // 10 a minute after the burst
	authMaxClients = 10000           // addresses tracked before full buckets are swept
)

// failLimiter is a token bucket per client address that only failures
// drain. IPv6 addresses are bucketed by /64, the block one host usually
// gets, so rotating addresses inside it does not buy more guesses.
type failLimiter struct {
	mu      sync.Mutex
	clock   func() time.Time
	buckets map[netip.Addr]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newFailLimiter(clock func() time.Time) *failLimiter {
	return &failLimiter{clock: clock, buckets: map[netip.Addr]*bucket{}}
}

func limitKey(a netip.Addr) netip.Addr {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a
}

// refill brings b up to date; callers hold mu.
func (l *failLimiter) refill(b *bucket, now time.Time) {
	b.tokens = math.Min(authBurst, b.tokens+float64(now.Sub(b.at))/float64(authRefill))
	b.at = now
}

// wait is how long a, having failed too often, must wait before its next
// attempt; 0 when it may try now.
func (l *failLimiter) wait(a netip.Addr) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[limitKey(a)]
	if b == nil {
		return 0
	}
	now := l.clock()
	l.refill(b, now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(authRefill))
}

// fail takes one token from a's bucket.
func (l *failLimiter) fail(a netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	k := limitKey(a)
	b := l.buckets[k]
	if b == nil {
		if len(l.buckets) >= authMaxClients {
			l.sweep(now)
		}
		b = &bucket{tokens: authBurst, at: now}
		l.buckets[k] = b
	}
	l.refill(b, now)
	b.tokens = math.Max(0, b.tokens-1)
}

// sweep forgets addresses whose bucket is full again (they are the same as
// unseen ones); callers hold mu.
func (l *failLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if l.refill(b, now); b.tokens >= authBurst {
			delete(l.buckets, k)
		}
	}
}
