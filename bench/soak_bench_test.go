package bench

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/bench/gen"
	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/match"
	"github.com/earshot/earshot/store"
)

// BenchmarkSoakPipeline measures what the soak's pipeline costs per mention
// besides bleve, on the soak's own stream, one step more in each case:
// "generate" (the generator and the post conversion, the baseline), "match",
// "convert" (match, language and sentiment), "commit" (all of it into bbolt
// and the rollups, no indexer), 500 posts per op. Compare ns/mention (wall)
// and cpu-ns/mention (all threads, the collector's included) against
// "generate":
//
//	go test -run '^$' -bench SoakPipeline -benchtime 200x ./bench/
func BenchmarkSoakPipeline(b *testing.B) {
	const batch = 500
	next := func() func() []listener.Post {
		g := gen.New(gen.Options{Seed: 1, Mentions: 1_000_000, Brands: soakBrands})
		return func() []listener.Post {
			posts := make([]listener.Post, 0, batch)
			for len(posts) < batch {
				m, ok := g.Next()
				if !ok {
					g = gen.New(gen.Options{Seed: 1, Mentions: 1_000_000, Brands: soakBrands})
					continue
				}
				posts = append(posts, toPost(&m))
			}
			return posts
		}
	}
	run := func(b *testing.B, step func(posts []listener.Post)) {
		posts := next()
		b.ReportAllocs()
		n, u0 := 0, readUsage()
		for b.Loop() {
			p := posts()
			step(p)
			n += len(p)
		}
		u := readUsage().since(u0)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/mention")
		b.ReportMetric(float64(u.cpu.Nanoseconds())/float64(n), "cpu-ns/mention")
		b.ReportMetric(0, "ns/op")
	}
	open := func(b *testing.B) (*store.Store, *ingest.Pipeline) {
		st, err := store.Open(b.TempDir(), store.Options{NoIndexer: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = st.Close() })
		pipe, err := soakPipeline(st, zerolog.Nop())
		if err != nil {
			b.Fatal(err)
		}
		return st, pipe
	}

	b.Run("generate", func(b *testing.B) {
		run(b, func([]listener.Post) {})
	})
	b.Run("match", func(b *testing.B) {
		_, pipe := open(b)
		run(b, func(posts []listener.Post) {
			for i := range posts {
				p := &posts[i]
				pipe.Matcher.Match(match.Input{Network: p.Network, Author: p.Author, Title: p.Title, Text: p.Text})
			}
		})
	})
	b.Run("convert", func(b *testing.B) {
		_, pipe := open(b)
		pipe.Sink = discardSink{}
		src := &batchSource{}
		run(b, func(posts []listener.Post) {
			src.posts = posts
			if _, err := pipe.Ingest(context.Background(), src, time.Minute); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("commit", func(b *testing.B) {
		_, pipe := open(b)
		src := &batchSource{}
		run(b, func(posts []listener.Post) {
			src.posts = posts
			res, err := pipe.Ingest(context.Background(), src, time.Minute)
			if err != nil || res.Added+res.Duplicates != len(posts) {
				b.Fatalf("ingest: %+v, %v", res, err)
			}
		})
	})
}

// batchSource returns its posts on every fetch.
type batchSource struct {
	posts   []listener.Post
	fetches int
}

func (s *batchSource) Name() string    { return "bench" }
func (s *batchSource) Network() string { return "rss" }
func (s *batchSource) Fetch(context.Context, []byte) ([]listener.Post, []byte, error) {
	s.fetches++
	return s.posts, []byte(strconv.Itoa(s.fetches)), nil
}

// discardSink takes every commit and stores nothing.
type discardSink struct{}

func (discardSink) Cursor(string) ([]byte, error) { return nil, nil }
func (discardSink) Commit(_ string, ms []store.Mention, _ []byte) (store.CommitResult, error) {
	return store.CommitResult{Added: len(ms)}, nil
}
