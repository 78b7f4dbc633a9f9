package ingest

import (
	"errors"
	"fmt"
	"github.com/earshot/earshot/listener"
	"reflect"
	"testing"
	"time"
)

func TestJitterBounds(t *testing.T) {
	const every = 10 * time.Minute
	src := okSource("hn")
	h := newHarness(t, 300, []Job{{Source: src, Every: every}}, Options{Jitter: 0.2})
	h.run(t)
	lo, hi := 8*time.Minute, 12*time.Minute
	seen := map[time.Duration]bool{}
	for _, w := range h.sl.Waits() {
		if w < lo || w > hi {
			t.Fatalf("wait %v outside [%v, %v]", w, lo, hi)
		}
		seen[w] = true
	}
	if len(seen) < 100 {
		t.Errorf("only %d distinct waits in 300: jitter not applied", len(seen))
	}

	for _, tc := range []struct {
		r    float64
		want time.Duration
	}{{0, lo}, {0.5, every}, {0.75, 11 * time.Minute}, {-1, every}, {7, every}} {
		p := newPolicy(Options{Jitter: 0.2, Rand: func() float64 { return tc.r }})
		if got := p.next(every, 0, nil); got != tc.want {
			t.Errorf("rand %v: wait %v, want %v", tc.r, got, tc.want)
		}
	}
	if p := newPolicy(Options{Jitter: 3}); p.jitter != MaxJitter {
		t.Errorf("jitter not capped: %v", p.jitter)
	}
	if p := newPolicy(Options{}); p.jitter != DefaultJitter || p.minBackoff != DefaultMinBackoff || p.maxBackoff != DefaultMaxBackoff {
		t.Errorf("defaults: %+v", p)
	}
}

// scriptSource fails or succeeds per call as script says ("ok", "fail", a
// *listener.HTTPError), the last entry repeating.
func scriptSource(name string, script ...error) *fakeSource {
	fs := &fakeSource{name: name, network: "rss"}
	for _, err := range script {
		if err != nil {
			fs.script = append(fs.script, fetchResult{err: err})
		} else {
			fs.script = append(fs.script, fetchResult{next: []byte("c")})
		}
	}
	return fs
}

func TestBackoffDoublesCapsAndResets(t *testing.T) {
	fail := errors.New("dial tcp: connection refused")
	src := scriptSource("feeds", fail, fail, fail, fail, fail, nil, fail, nil)
	h := newHarness(t, 8, []Job{{Source: src, Every: 10 * time.Second}},
		Options{MinBackoff: 30 * time.Second, MaxBackoff: 4 * time.Minute})
	h.run(t)
	want := []time.Duration{
		30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 4 * time.Minute, // doubles, caps
		10 * time.Second, // success: back on schedule
		30 * time.Second, // backoff starts over
		10 * time.Second,
	}
	if got := h.sl.Waits(); !reflect.DeepEqual(got, want) {
		t.Errorf("waits = %v\nwant    %v", got, want)
	}
}

func TestBackoffNeverBeforeSchedule(t *testing.T) {
	src := scriptSource("feeds", errors.New("boom"))
	h := newHarness(t, 4, []Job{{Source: src, Every: time.Minute}},
		Options{MinBackoff: 20 * time.Second, MaxBackoff: 10 * time.Minute})
	h.run(t)
	want := []time.Duration{time.Minute, time.Minute, 80 * time.Second, 160 * time.Second}
	if got := h.sl.Waits(); !reflect.DeepEqual(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

func TestBackoffJitterWithinCap(t *testing.T) {
	p := newPolicy(Options{Jitter: 0.5, MinBackoff: 30 * time.Second, MaxBackoff: time.Hour})
	for n := 1; n < 40; n++ {
		for range 50 {
			b := p.backoff(n)
			base := min(30*time.Second<<min(n-1, 20), time.Hour)
			if b < 30*time.Second || b > time.Hour || b < base/2 || b > base*3/2 {
				t.Fatalf("backoff(%d) = %v", n, b)
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	const every = 10 * time.Second
	opts := Options{MinBackoff: 30 * time.Second, MaxBackoff: time.Hour}
	cases := []struct {
		name string
		err  error
		want time.Duration
	}{
		{"honoured", &listener.HTTPError{StatusCode: 429, RetryAfter: 7 * time.Minute}, 7 * time.Minute},
		{"wrapped", fmt.Errorf("search: %w", &listener.HTTPError{StatusCode: 503, RetryAfter: 2 * time.Minute}), 2 * time.Minute},
		{"shorter than backoff", &listener.HTTPError{StatusCode: 429, RetryAfter: 5 * time.Second}, 30 * time.Second},
		{"429 without retry-after", &listener.HTTPError{StatusCode: 429}, 30 * time.Second},
		{"absurd retry-after capped", &listener.HTTPError{StatusCode: 429, RetryAfter: 1000 * time.Hour}, MaxRetryAfter},
		{"largest of joined", errors.Join(&listener.HTTPError{RetryAfter: time.Minute}, errors.New("x"), &listener.HTTPError{RetryAfter: 3 * time.Minute}), 3 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 1, []Job{{Source: scriptSource("s", tc.err), Every: every}}, opts)
			h.run(t)
			if got := h.sl.Waits(); len(got) != 1 || got[0] != tc.want {
				t.Errorf("waits = %v, want %v", got, tc.want)
			}
			if hs := h.s.Health()[0]; !hs.NextRun.Equal(t0.Add(tc.want)) || hs.Healthy {
				t.Errorf("health = %+v", hs)
			}
		})
	}
}

func TestPartialSuccessHealthAndSchedule(t *testing.T) {
	partial := fetchResult{
		posts: []listener.Post{{Network: "rss", NativeID: "https://a.example/1", Text: "acme"}},
		next:  []byte("n1"),
		err:   &listener.HTTPError{URL: "https://b.example/feed", StatusCode: 429, RetryAfter: 3 * time.Minute, Body: "slow down"},
	}
	src := &fakeSource{name: "feeds", network: "rss", script: []fetchResult{partial, {err: errors.New("boom")}}}
	h := newHarness(t, 2, []Job{{Source: src, Every: time.Minute}}, Options{MinBackoff: 2 * time.Minute})
	h.run(t)
	// Partial: committed, unhealthy, Retry-After honoured but no backoff
	// streak; then a full failure starts backoff at its first step.
	if got, want := h.sl.Waits(), []time.Duration{3 * time.Minute, 2 * time.Minute}; !reflect.DeepEqual(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	cs := h.sink.Commits()
	if len(cs) != 1 || cs[0].cursor != "n1" || len(cs[0].ms) != 1 {
		t.Fatalf("commits = %+v", cs)
	}
	hs := h.s.Health()[0]
	if hs.Healthy || hs.ConsecutiveFailures != 2 || hs.MentionsStored != 1 || hs.PostsFetched != 1 || hs.LastError != "fetch: boom" {
		t.Errorf("health = %+v", hs)
	}
}
