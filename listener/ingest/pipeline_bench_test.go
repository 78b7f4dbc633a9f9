package ingest

import (
	"context"
	"fmt"
	"github.com/earshot/earshot/listener"
	"testing"
	"time"

	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
)

type discardSink struct{}

func (discardSink) Cursor(string) ([]byte, error) { return []byte("c"), nil }
func (discardSink) Commit(_ string, ms []store.Mention, _ []byte) (store.CommitResult, error) {
	return store.CommitResult{Added: len(ms)}, nil
}

type constMatcher match.Result

func (m constMatcher) Match(match.Input) match.Result { return match.Result(m) }

// BenchmarkIngest measures the pipeline's own cost per fetch of 100 posts
// with a constant matcher and a discarding sink. "none-matched" is the
// baseline (fetch, match calls, empty commit); the others add conversion.
func BenchmarkIngest(b *testing.B) {
	posts := make([]listener.Post, 100)
	for i := range posts {
		posts[i] = hnPosts()[i%3]
		posts[i].NativeID = fmt.Sprint(40000000 + i)
	}
	src := &fakeSource{name: "hn", network: "hackernews", fn: func(context.Context, []byte) ([]listener.Post, []byte, error) {
		return posts, []byte("next"), nil
	}}
	hit := constMatcher{Brands: []string{"Acme"}, Topics: []string{"launches"}}
	for _, bc := range []struct {
		name   string
		m      Matcher
		enrich Enricher
	}{
		{"none-matched", constMatcher{}, nil},
		{"all-matched", hit, nil},
		{"all-matched+enrich", hit, func(m *store.Mention) { m.Lang = "en" }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := &Pipeline{Matcher: bc.m, Sink: discardSink{}, Enrich: bc.enrich, Clock: func() time.Time { return t0 }}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Ingest(context.Background(), src, time.Minute); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(posts)), "ns/post")
		})
	}
}
