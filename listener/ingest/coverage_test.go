package ingest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
)

// What a poll covered reaches the store with its commit (a real store on
// disk): a source's first poll covers its Backfill before the fetch time;
// later polls change nothing; a first poll that failed in part, a source
// polled with no Backfill, or one that had a cursor before coverage was
// recorded covers from its fetch time only; a poll that saves no cursor
// records nothing.
func TestPollCoverage(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{Logger: zerolog.Nop(), NoIndexer: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	m, err := match.New([]config.Brand{{Name: "Acme", Own: true, Terms: []string{"Acme"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := newClock()
	p := &Pipeline{Matcher: m, Sink: st, Clock: clock.Now}
	post := func(id string) []listener.Post {
		return []listener.Post{{NativeID: id, Text: "Acme", Published: t0.Add(-48 * time.Hour)}}
	}
	run := func(src *fakeSource, backfill time.Duration) {
		t.Helper()
		_, _ = p.IngestJob(context.Background(), Job{Source: src, Backfill: backfill})
		clock.Advance(time.Hour)
	}
	hn := &fakeSource{name: "hn", network: "hackernews", script: []fetchResult{
		{posts: post("1"), next: []byte("c1")}, {posts: post("2"), next: []byte("c2")}}}
	run(hn, 14*24*time.Hour) // t0: first poll
	run(hn, 14*24*time.Hour) // t0+1h: later poll
	partial := &fakeSource{name: "bsky", network: "bluesky", script: []fetchResult{
		{posts: post("3"), next: []byte("c"), err: errors.New("query 2: HTTP 502")}}}
	run(partial, 14*24*time.Hour) // t0+2h: first poll, failed in part
	none := &fakeSource{name: "feeds", network: "rss", script: []fetchResult{{next: []byte("c")}}}
	run(none, 0) // t0+3h: no history, nothing matched
	failed := &fakeSource{name: "x", network: "x", script: []fetchResult{{err: errors.New("HTTP 401")}}}
	run(failed, 7*24*time.Hour) // t0+4h: no cursor: no poll completed
	// A source polled before coverage was recorded (an upgrade): it has a
	// cursor, so this poll backfills nothing.
	if _, err := st.Commit("old", nil, []byte("c0")); err != nil {
		t.Fatal(err)
	}
	old := &fakeSource{name: "old", network: "reddit", script: []fetchResult{{next: []byte("c1")}}}
	run(old, 14*24*time.Hour) // t0+5h
	got, err := st.Coverage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]store.SourceCoverage{
		"hn":    {Network: "hackernews", Began: t0, Lookback: 14 * 24 * time.Hour},
		"bsky":  {Network: "bluesky", Began: t0.Add(2 * time.Hour)},
		"feeds": {Network: "rss", Began: t0.Add(3 * time.Hour)},
		"old":   {Network: "reddit", Began: t0.Add(5 * time.Hour)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("coverage\n got %v\nwant %v", got, want)
	}
}
