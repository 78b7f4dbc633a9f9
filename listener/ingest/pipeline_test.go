package ingest

import (
	"context"
	"errors"
	"fmt"
	"github.com/earshot/earshot/listener"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/store"
)

func newPipeline(clock *fakeClock, sink *fakeSink) *Pipeline {
	return &Pipeline{Matcher: wordMatcher{}, Sink: sink, Clock: clock.Now}
}

func TestIngestConvertsMatchedPosts(t *testing.T) {
	clock, sink := newClock(), newSink()
	src := &fakeSource{name: "hn", network: "hackernews", script: []fetchResult{{posts: hnPosts(), next: []byte("c1")}}}
	var enriched []string
	p := newPipeline(clock, sink)
	p.Enrich = func(m *store.Mention) { enriched = append(enriched, m.ID); m.Lang = "en" }

	res, err := p.Ingest(context.Background(), src, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if res.Posts != 3 || res.Matched != 2 || res.Added != 2 || !res.Committed || res.Partial {
		t.Fatalf("result = %+v", res)
	}
	cs := sink.Commits()
	if len(cs) != 1 || cs[0].source != "hn" || cs[0].cursor != "c1" {
		t.Fatalf("commits = %+v", cs)
	}
	ms := cs[0].ms
	want := store.Mention{
		ID: "hackernews:39512345", Network: "hackernews", Source: "hn", NativeID: "39512345",
		URL: "https://news.ycombinator.com/item?id=39512345", Title: "Show HN: Acme Rockets 2.0",
		Text: "We rebuilt the launch pipeline from scratch.", Kind: store.KindMention, Author: "wile",
		Published: time.Date(2026, 3, 1, 23, 15, 0, 0, time.UTC), Fetched: t0, Lang: "en",
		Engagement: map[string]int64{"points": 120, "num_comments": 45}, EngagementTotal: 165,
		Brands: []string{"Acme"}, Topics: []string{"launches"},
	}
	if !reflect.DeepEqual(ms[0], want) {
		t.Errorf("mention 0:\n got %+v\nwant %+v", ms[0], want)
	}
	if ms[0].Published.Location() != time.UTC {
		t.Errorf("published not UTC: %v", ms[0].Published.Location())
	}
	owned := ms[1]
	if owned.ID != "hackernews:39512347" || owned.Kind != store.KindOwned ||
		!reflect.DeepEqual(owned.Brands, []string{"Acme"}) || owned.EngagementTotal != 2 {
		t.Errorf("owned mention = %+v", owned)
	}
	if !owned.Published.Equal(t0) {
		t.Errorf("zero published should become fetch time, got %v", owned.Published)
	}
	if !reflect.DeepEqual(enriched, []string{"hackernews:39512345", "hackernews:39512347"}) {
		t.Errorf("enriched %v", enriched)
	}
}

func TestIngestOwnedFlagFromSource(t *testing.T) {
	clock, sink := newClock(), newSink()
	posts := []listener.Post{{
		Network: "rss", NativeID: "https://acme.example/blog/spring", URL: "https://acme.example/blog/spring",
		Title: "Spring update", Text: "New colours.", Owned: true, OwnedBrand: "Acme",
	}}
	src := &fakeSource{name: "acme-blog", network: "rss", script: []fetchResult{{posts: posts, next: []byte("x")}}}
	if _, err := newPipeline(clock, sink).Ingest(context.Background(), src, 0); err != nil {
		t.Fatal(err)
	}
	ms := sink.Commits()[0].ms
	if len(ms) != 1 {
		t.Fatalf("owned post without a term match must be kept, got %d", len(ms))
	}
	m := ms[0]
	if m.Kind != store.KindOwned || m.ID != "rss:https://acme.example/blog/spring" ||
		!reflect.DeepEqual(m.Brands, []string{"Acme"}) || m.Topics != nil {
		t.Errorf("mention = %+v", m)
	}
}

func TestIngestUnmatchedStillAdvancesCursor(t *testing.T) {
	clock, sink := newClock(), newSink()
	posts := []listener.Post{{Network: "hackernews", NativeID: "1", Text: "nothing to see"}}
	src := &fakeSource{name: "hn", network: "hackernews", script: []fetchResult{
		{posts: posts, next: []byte("c1")},
		{posts: nil, next: []byte("c2")},
	}}
	p := newPipeline(clock, sink)
	for range 2 {
		if _, err := p.Ingest(context.Background(), src, 0); err != nil {
			t.Fatal(err)
		}
	}
	cs := sink.Commits()
	if len(cs) != 2 || len(cs[0].ms) != 0 || cs[0].cursor != "c1" || cs[1].cursor != "c2" {
		t.Fatalf("commits = %+v", cs)
	}
	if got := src.Cursors(); !reflect.DeepEqual(got, []string{"", "c1"}) {
		t.Errorf("cursors passed to Fetch = %q", got)
	}
}

func TestIngestNilNextCommitsNothing(t *testing.T) {
	clock, sink := newClock(), newSink()
	src := &fakeSource{name: "hn", network: "hackernews", script: []fetchResult{{posts: hnPosts()}}}
	res, err := newPipeline(clock, sink).Ingest(context.Background(), src, 0)
	if err != nil || res.Committed || len(sink.Commits()) != 0 {
		t.Fatalf("res %+v err %v commits %d", res, err, len(sink.Commits()))
	}
}

func TestIngestCommitFailureKeepsCursor(t *testing.T) {
	clock, sink := newClock(), newSink()
	sink.cursors["hn"] = []byte("c0")
	sink.failNext = 1
	// The source answers the same page for the same cursor, as a real one would.
	src := &fakeSource{name: "hn", network: "hackernews", fn: func(_ context.Context, cursor []byte) ([]listener.Post, []byte, error) {
		if string(cursor) == "c0" {
			return hnPosts(), []byte("c1"), nil
		}
		return nil, []byte(cursor), nil
	}}
	p := newPipeline(clock, sink)
	res, err := p.Ingest(context.Background(), src, 0)
	if err == nil || !strings.Contains(err.Error(), "commit: bolt: disk full") || res.Committed {
		t.Fatalf("res %+v err %v", res, err)
	}
	res, err = p.Ingest(context.Background(), src, 0)
	if err != nil || res.Added != 2 {
		t.Fatalf("retry: res %+v err %v", res, err)
	}
	if got := src.Cursors(); !reflect.DeepEqual(got, []string{"c0", "c0"}) {
		t.Errorf("cursors = %q, want the old cursor again", got)
	}
	if string(sink.cursors["hn"]) != "c1" {
		t.Errorf("saved cursor = %q", sink.cursors["hn"])
	}
}

func TestIngestPartialSuccess(t *testing.T) {
	clock, sink := newClock(), newSink()
	ferr := &listener.HTTPError{URL: "https://b.example/feed", StatusCode: 503, Body: "down"}
	src := &fakeSource{name: "feeds", network: "rss", script: []fetchResult{{
		posts: []listener.Post{{NativeID: "https://a.example/1", Title: "Acme wins", Text: "x"}},
		next:  []byte(`{"a":"etag"}`), err: ferr,
	}}}
	res, err := newPipeline(clock, sink).Ingest(context.Background(), src, 0)
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 503 {
		t.Fatalf("err = %v", err)
	}
	if !res.Partial || !res.Committed || res.Added != 1 {
		t.Fatalf("res = %+v", res)
	}
	if m := sink.Commits()[0].ms[0]; m.Network != "rss" || m.ID != "rss:https://a.example/1" {
		t.Errorf("network should default to the source's: %+v", m)
	}
}

func TestIngestHostileInput(t *testing.T) {
	clock, sink := newClock(), newSink()
	posts := []listener.Post{
		{Network: "hackernews", Text: "acme but no id or url"},
		{Network: "hackernews", NativeID: "7", Text: "acme", Engagement: map[string]int64{"points": math.MaxInt64, "num_comments": 5, "bogus": -9}},
		{Network: "hackernews", NativeID: "7", Text: "acme repeated in the same page"},
		{Network: "hackernews", NativeID: "8", Text: "acme", AuthorFollowers: -3},
	}
	src := &fakeSource{name: "hn", network: "hackernews", script: []fetchResult{{posts: posts, next: []byte("n")}}}
	res, err := newPipeline(clock, sink).Ingest(context.Background(), src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Matched != 2 || res.Dropped != 2 {
		t.Fatalf("res = %+v", res)
	}
	ms := sink.Commits()[0].ms
	if ms[0].EngagementTotal != math.MaxInt64 || ms[0].Engagement["bogus"] != -9 {
		t.Errorf("engagement total = %d", ms[0].EngagementTotal)
	}
	if ms[1].AuthorFollowers != 0 {
		t.Errorf("followers = %d", ms[1].AuthorFollowers)
	}
}

func TestIngestErrors(t *testing.T) {
	clock := newClock()
	t.Run("cursor", func(t *testing.T) {
		sink := newSink()
		sink.cursorErr = errors.New("bolt: closed")
		src := &fakeSource{name: "hn", network: "hackernews"}
		_, err := newPipeline(clock, sink).Ingest(context.Background(), src, 0)
		if err == nil || !strings.HasPrefix(err.Error(), "load cursor: ") || len(src.Cursors()) != 0 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("no matcher", func(t *testing.T) {
		p := &Pipeline{Sink: newSink()}
		if _, err := p.Ingest(context.Background(), &fakeSource{name: "x"}, 0); err == nil {
			t.Fatal("want an error")
		}
	})
	t.Run("nil source", func(t *testing.T) {
		if _, err := newPipeline(clock, newSink()).Ingest(context.Background(), nil, 0); err == nil {
			t.Fatal("want an error")
		}
	})
	t.Run("timeout", func(t *testing.T) {
		src := &fakeSource{name: "slow", network: "rss", fn: func(ctx context.Context, _ []byte) ([]listener.Post, []byte, error) {
			<-ctx.Done()
			return nil, nil, ctx.Err()
		}}
		_, err := newPipeline(clock, newSink()).Ingest(context.Background(), src, time.Millisecond)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out after 1ms") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("panic", func(t *testing.T) {
		src := &fakeSource{name: "bad", network: "rss", fn: func(context.Context, []byte) ([]listener.Post, []byte, error) {
			panic(fmt.Errorf("unexpected <entry> nesting at depth %d", 3))
		}}
		_, err := newPipeline(clock, newSink()).Ingest(context.Background(), src, 0)
		var pe *PanicError
		if !errors.As(err, &pe) || len(pe.Stack) == 0 || err.Error() != "panic: unexpected <entry> nesting at depth 3" {
			t.Fatalf("err = %v", err)
		}
	})
}
