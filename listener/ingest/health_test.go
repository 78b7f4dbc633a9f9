package ingest

import (
	"context"
	"errors"
	"github.com/earshot/earshot/listener"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func TestHealthViaRunOnce(t *testing.T) {
	clock := newClock()
	src := &fakeSource{name: "hn", network: "hackernews", clock: clock, script: []fetchResult{
		{posts: hnPosts(), next: []byte("c1")},
		{err: &listener.HTTPError{URL: "https://hn.algolia.com/api/v1/search", StatusCode: 502, Body: strings.Repeat("<html>bad gateway</html>", 100)}},
		{err: errors.New("timeout")},
		{posts: hnPosts(), next: []byte("c2")},
	}}
	sink := newSink()
	s := NewScheduler([]Job{{Source: src, Every: time.Minute}, {Source: okSource("a-first")}}, Options{
		Clock: clock.Now, Matcher: wordMatcher{}, Sink: sink, Logger: zerolog.Nop(),
	})
	hs := s.Health()
	if len(hs) != 2 || hs[0].Name != "a-first" || hs[1].Name != "hn" || !hs[1].Healthy || !hs[1].LastAttempt.IsZero() {
		t.Fatalf("initial health = %+v", hs)
	}
	ctx := context.Background()
	if err := s.RunOnce(ctx, "hn"); err != nil {
		t.Fatal(err)
	}
	h := s.Health()[1]
	if !h.Healthy || !h.LastSuccess.Equal(t0) || !h.LastAttempt.Equal(t0) || h.PostsFetched != 3 || h.MentionsStored != 2 || h.LastError != "" {
		t.Errorf("after success: %+v", h)
	}

	clock.Advance(time.Minute)
	if err := s.RunOnce(ctx, "hn"); err == nil {
		t.Fatal("want the fetch error")
	}
	clock.Advance(time.Minute)
	_ = s.RunOnce(ctx, "hn")
	h = s.Health()[1]
	if h.Healthy || h.ConsecutiveFailures != 2 || !h.LastSuccess.Equal(t0) || !h.LastAttempt.Equal(t0.Add(2*time.Minute)) ||
		h.LastError != "fetch: timeout" || !h.LastErrorAt.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("after failures: %+v", h)
	}

	clock.Advance(time.Minute)
	if err := s.RunOnce(ctx, "hn"); err != nil {
		t.Fatal(err)
	}
	h = s.Health()[1]
	if !h.Healthy || h.ConsecutiveFailures != 0 || h.PostsFetched != 6 || h.MentionsStored != 2 || h.Duplicates != 2 ||
		h.LastError != "fetch: timeout" || !h.LastSuccess.Equal(t0.Add(3*time.Minute)) {
		t.Errorf("after recovery: %+v", h)
	}
	if err := s.RunOnce(ctx, "nope"); !errors.Is(err, errUnknownSource) {
		t.Errorf("unknown source: %v", err)
	}
}

func TestHealthErrorTruncated(t *testing.T) {
	src := scriptSource("s", &listener.HTTPError{URL: "u", StatusCode: 500, Body: strings.Repeat("é", 1000)})
	s := NewScheduler([]Job{{Source: src}}, Options{Matcher: wordMatcher{}, Sink: newSink(), Logger: zerolog.Nop()})
	_ = s.RunOnce(context.Background(), "s")
	e := s.Health()[0].LastError
	if len(e) > maxErrorLen+len("…") || !strings.HasSuffix(e, "é…") {
		t.Errorf("LastError not cut cleanly (%d bytes): ...%q", len(e), e[len(e)-10:])
	}
}

func TestHealthSilentAndThrottled(t *testing.T) {
	b := newHealthBook()
	b.add("hn", "hackernews")
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	// New mentions every 6 hours for a while: the typical gap is 6h.
	for i := 0; i < 8; i++ {
		b.record("hn", IngestResult{Started: t0.Add(time.Duration(i) * 6 * time.Hour), Committed: true, Added: 2}, nil, false)
	}
	last := t0.Add(7 * 6 * time.Hour)
	if h := b.snapshot(last.Add(23 * time.Hour))[0]; h.Silent || h.TypicalGap != 6*time.Hour {
		t.Errorf("23h after the last new mention: silent=%v gap=%v; want not silent (floor 24h), gap 6h", h.Silent, h.TypicalGap)
	}
	if h := b.snapshot(last.Add(25 * time.Hour))[0]; !h.Silent {
		t.Errorf("25h after (4×6h and the 24h floor passed): not silent")
	}
	b.record("hn", IngestResult{Started: last.Add(time.Hour)}, &listener.HTTPError{StatusCode: 429, RetryAfter: time.Minute}, false)
	if h := b.snapshot(last)[0]; !h.Throttled || h.Healthy {
		t.Errorf("after a 429: throttled=%v healthy=%v", h.Throttled, h.Healthy)
	}
	b.record("hn", IngestResult{Started: last.Add(2 * time.Hour)}, &listener.BudgetError{Limit: 1}, false)
	if h := b.snapshot(last)[0]; !h.Throttled {
		t.Error("a spent budget is not reported as throttled")
	}
	b.record("hn", IngestResult{Started: last.Add(3 * time.Hour), Committed: true}, nil, false)
	if h := b.snapshot(last)[0]; h.Throttled || !h.Healthy {
		t.Errorf("after a success: throttled=%v healthy=%v", h.Throttled, h.Healthy)
	}
}
