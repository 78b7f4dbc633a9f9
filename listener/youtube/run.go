package youtube

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
)

// run is the state of one Fetch.
type run struct {
	s       *Source
	now     time.Time // the fetch time
	floor   time.Time
	prev    cursor
	next    cursor
	posts   []listener.Post
	index   map[string]int    // NativeID -> position in posts
	videoOf map[int]string    // comment post position -> video id, for titles
	titles  map[string]string // video id -> title
	owners  map[string]owner  // channel id -> account
	fresh   []string          // video posts to enrich
	errs    []error
	ok      int
	stopped bool
}

// owner is a brand's resolved channel.
type owner struct {
	brand     string
	title     string
	followers int64
}

func newRun(s *Source, cur cursor, queries []string, accounts []listener.Account) *run {
	now := s.clock().UTC()
	r := &run{
		s: s, prev: cur, now: now,
		floor:   now.Add(-s.cfg.Lookback).Truncate(time.Second),
		index:   map[string]int{},
		videoOf: map[int]string{},
		titles:  map[string]string{},
		owners:  map[string]owner{},
		next: cursor{
			Queries:  map[string]mark{},
			Channels: map[string]channelState{},
			Videos:   map[string]videoState{},
		},
	}
	// Carry the state of configured queries and accounts; what is no longer
	// configured is dropped so the cursor stays bounded.
	for _, q := range queries {
		if m, ok := cur.Queries[q]; ok {
			r.next.Queries[q] = m
		}
	}
	for _, a := range accounts {
		if st, ok := cur.Channels[a.Handle]; ok {
			r.next.Channels[a.Handle] = st
		}
	}
	if !s.cfg.SkipComments {
		for id, v := range cur.Videos {
			if validID(id) {
				r.next.Videos[id] = v
				r.titles[id] = v.Title
			}
		}
	}
	return r
}

// fail records a chain's error; errors that end the fetch stop the run.
func (r *run) fail(what string, err error) {
	r.errs = append(r.errs, fmt.Errorf("youtube %s: %s: %w", r.s.cfg.Name, what, err))
	if stopAfter(err) {
		r.stopped = true
	}
}

// add appends p unless a post with its NativeID was already added; it
// returns the position of the post with that id.
func (r *run) add(p listener.Post) int {
	if i, ok := r.index[p.NativeID]; ok {
		return i
	}
	r.index[p.NativeID] = len(r.posts)
	r.posts = append(r.posts, p)
	return len(r.posts) - 1
}

// markOwned sets the Owned fields when channel belongs to an account.
func (r *run) markOwned(p *listener.Post, channel string) {
	if o, ok := r.owners[channel]; ok && channel != "" {
		p.Owned, p.OwnedBrand = true, o.brand
		if o.followers > 0 {
			p.AuthorFollowers = o.followers
		}
	}
}

// videoPost maps a search result or playlist item snippet to a Post.
// Search snippets are HTML-escaped (&#39; &amp; &quot;); unescaping an
// unescaped playlist title is harmless unless it holds a literal entity.
func (r *run) videoPost(id string, sn *snippet, published time.Time, escaped bool) listener.Post {
	un := func(s string) string { return strings.TrimSpace(s) }
	if escaped {
		un = func(s string) string { return strings.TrimSpace(html.UnescapeString(s)) }
	}
	channel, name := sn.ChannelID, sn.ChannelTitle
	if sn.VideoOwnerChannelID != "" {
		channel, name = sn.VideoOwnerChannelID, sn.VideoOwnerChannelTitle
	}
	p := listener.Post{
		Network:    Network,
		NativeID:   id,
		URL:        watchURL(id, ""),
		Title:      un(sn.Title),
		Text:       un(sn.Description),
		Author:     channel,
		AuthorName: un(name),
		Published:  published,
		Links:      links(un(sn.Description)),
	}
	r.markOwned(&p, channel)
	r.titles[id] = p.Title
	return p
}

func watchURL(video, comment string) string {
	v := url.Values{"v": {video}}
	u := "https://www.youtube.com/watch?" + v.Encode()
	if comment != "" {
		u += "&lc=" + url.QueryEscape(comment)
	}
	return u
}

// follow starts following the comments of a matched video.
func (r *run) follow(p listener.Post) {
	if r.s.cfg.SkipComments {
		return
	}
	if _, ok := r.next.Videos[p.NativeID]; ok {
		return
	}
	r.next.Videos[p.NativeID] = videoState{Title: p.Title, Published: p.Published, Comments: mark{Since: r.floor}}
}

// done reports whether the run must make no more calls.
func (r *run) done(ctx context.Context) bool {
	if r.stopped {
		return true
	}
	if err := ctx.Err(); err != nil {
		r.fail("fetch", err)
		return true
	}
	return false
}
