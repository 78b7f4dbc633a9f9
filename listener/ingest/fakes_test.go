package ingest

import (
	"context"
	"errors"
	"github.com/earshot/earshot/listener"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fakeClock is a settable clock shared by the scheduler and the fakes.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sleeper is an injected Options.Sleep: it records each wait, moves the
// clock on by it, and cancels the run after limit waits.
type sleeper struct {
	clock  *fakeClock
	limit  int
	cancel context.CancelFunc

	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.waits = append(s.waits, d)
	n := len(s.waits)
	s.mu.Unlock()
	s.clock.Advance(d)
	if n >= s.limit {
		s.cancel()
		return ctx.Err()
	}
	return nil
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// fetchResult is one scripted answer of a fakeSource.
type fetchResult struct {
	posts []listener.Post
	next  []byte
	err   error
}

// fakeSource answers Fetch from a script (the last entry repeats) or from fn.
type fakeSource struct {
	name, network string
	clock         *fakeClock
	fn            func(ctx context.Context, cursor []byte) ([]listener.Post, []byte, error)

	mu      sync.Mutex
	script  []fetchResult
	cursors [][]byte
	times   []time.Time
}

func (f *fakeSource) Name() string    { return f.name }
func (f *fakeSource) Network() string { return f.network }

func (f *fakeSource) Fetch(ctx context.Context, cursor []byte) ([]listener.Post, []byte, error) {
	f.mu.Lock()
	f.cursors = append(f.cursors, append([]byte(nil), cursor...))
	if f.clock != nil {
		f.times = append(f.times, f.clock.Now())
	}
	fn := f.fn
	var r fetchResult
	if len(f.script) > 0 {
		r = f.script[0]
		if len(f.script) > 1 {
			f.script = f.script[1:]
		}
	}
	f.mu.Unlock()
	if fn != nil {
		return fn(ctx, cursor)
	}
	return r.posts, r.next, r.err
}

func (f *fakeSource) Cursors() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.cursors))
	for i, c := range f.cursors {
		out[i] = string(c)
	}
	return out
}

func (f *fakeSource) Times() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.times...)
}

// commit is one recorded Sink.Commit call.
type commit struct {
	source string
	ms     []store.Mention
	cursor string
}

// fakeSink keeps cursors in memory and deduplicates by ID like the store.
type fakeSink struct {
	mu        sync.Mutex
	cursors   map[string][]byte
	ids       map[string]bool
	commits   []commit
	failNext  int // Commit calls left to fail
	cursorErr error
	onCommit  func() // called inside Commit before it saves
}

func newSink() *fakeSink { return &fakeSink{cursors: map[string][]byte{}, ids: map[string]bool{}} }

func (s *fakeSink) Cursor(source string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cursorErr != nil {
		return nil, s.cursorErr
	}
	return s.cursors[source], nil
}

func (s *fakeSink) Commit(source string, ms []store.Mention, cursor []byte) (store.CommitResult, error) {
	s.mu.Lock()
	hook := s.onCommit
	s.mu.Unlock()
	if hook != nil {
		hook()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commits = append(s.commits, commit{source: source, ms: ms, cursor: string(cursor)})
	if s.failNext > 0 {
		s.failNext--
		return store.CommitResult{}, errors.New("bolt: disk full")
	}
	var r store.CommitResult
	for _, m := range ms {
		if s.ids[m.ID] {
			r.Duplicates++
			continue
		}
		s.ids[m.ID] = true
		r.Added++
	}
	s.cursors[source] = append([]byte(nil), cursor...)
	return r, nil
}

func (s *fakeSink) Commits() []commit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]commit(nil), s.commits...)
}

// wordMatcher matches brand "Acme" (terms acme, 아크미), topic "launches"
// (the word launch) and the owned handle acme_hq on hackernews.
type wordMatcher struct{}

func (wordMatcher) Match(in match.Input) match.Result {
	var r match.Result
	text := strings.ToLower(in.Title + " " + in.Text)
	if strings.Contains(text, "acme") || strings.Contains(text, "아크미") {
		r.Brands = append(r.Brands, "Acme")
	}
	if strings.Contains(text, "launch") {
		r.Topics = append(r.Topics, "launches")
	}
	if in.Network == "hackernews" && in.Author == "acme_hq" {
		r.OwnedBy = "Acme"
	}
	return r
}

// hnPosts is a page shaped like the Hacker News source's output.
func hnPosts() []listener.Post {
	return []listener.Post{
		{
			Network: "hackernews", NativeID: "39512345", URL: "https://news.ycombinator.com/item?id=39512345",
			Title: "Show HN: Acme Rockets 2.0", Text: "We rebuilt the launch pipeline from scratch.",
			Author: "wile", Published: time.Date(2026, 3, 2, 8, 15, 0, 0, time.FixedZone("KST", 9*3600)),
			Engagement: map[string]int64{"points": 120, "num_comments": 45},
		},
		{
			Network: "hackernews", NativeID: "39512346", URL: "https://news.ycombinator.com/item?id=39512346",
			Title: "Ask HN: Best text editor?", Text: "Looking for something lightweight.",
			Author: "roadrunner", Published: time.Date(2026, 3, 2, 8, 20, 0, 0, time.UTC),
			Engagement: map[string]int64{"points": 3},
		},
		{
			Network: "hackernews", NativeID: "39512347", URL: "https://news.ycombinator.com/item?id=39512347",
			Text: "Thanks for the feedback, fixes ship next week.", Author: "acme_hq",
			Engagement: map[string]int64{"points": 2},
		},
	}
}
