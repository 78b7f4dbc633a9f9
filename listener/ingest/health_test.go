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

// A fetch over several URLs where one fails stores what the others got:
// the source is degraded (not failing), its last success is that fetch,
// the error names the URL; a warning alone (items left for later) keeps it
// healthy and is shown; and a reload's new scheduler keeps the counters.
func TestHealthDegradedWarningsAndReload(t *testing.T) {
	clock := newClock()
	down := errors.New("feed news: https://down.example/feed.xml: http 504")
	skipped := &listener.Warning{Msg: "feed news: https://busy.example/feed.xml: 100 items skipped"}
	src := &fakeSource{name: "news", network: "rss", clock: clock, script: []fetchResult{
		{posts: hnPosts(), next: []byte("c1"), err: errors.Join(down)},
		{posts: hnPosts(), next: []byte("c2"), err: errors.Join(skipped)},
	}}
	s := NewScheduler([]Job{{Source: src, Every: time.Minute}}, Options{Clock: clock.Now, Matcher: wordMatcher{}, Sink: newSink(), Logger: zerolog.Nop()})
	ctx := context.Background()
	_ = s.RunOnce(ctx, "news")
	h := s.Health()[0]
	if !h.Degraded || h.Healthy || !h.LastSuccess.Equal(t0) || h.MentionsStored != 2 || !strings.Contains(h.LastError, "https://down.example/feed.xml") {
		t.Fatalf("partial failure: %+v", h)
	}
	clock.Advance(time.Minute)
	if err := s.RunOnce(ctx, "news"); err != nil {
		t.Fatalf("a warning is not a failure: %v", err)
	}
	h = s.Health()[0]
	if !h.Healthy || h.Degraded || len(h.Warnings) != 1 || h.Warnings[0] != skipped.Msg || h.PostsFetched != 6 {
		t.Fatalf("warning: %+v", h)
	}
	again := &fakeSource{name: "news", network: "rss", clock: clock}
	other := &fakeSource{name: "news", network: "hackernews", clock: clock}
	s2 := NewScheduler([]Job{{Source: again}}, Options{Clock: clock.Now, Matcher: wordMatcher{}, Sink: newSink(), Logger: zerolog.Nop()})
	s2.Adopt(s.Health())
	if h2 := s2.Health()[0]; h2.PostsFetched != 6 || h2.MentionsStored != 2 || !h2.LastSuccess.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after reload: %+v", h2)
	}
	s3 := NewScheduler([]Job{{Source: other}}, Options{Clock: clock.Now, Matcher: wordMatcher{}, Sink: newSink(), Logger: zerolog.Nop()})
	s3.Adopt(s.Health())
	if h3 := s3.Health()[0]; h3.PostsFetched != 0 {
		t.Fatalf("another network's source adopted counters: %+v", h3)
	}
}
