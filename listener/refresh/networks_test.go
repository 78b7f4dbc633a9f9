package refresh

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/bluesky"
	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
	"github.com/earshot/earshot/listener/hackernews"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/listener/mastodon"
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
	"github.com/earshot/earshot/listener/reddit"
	"github.com/earshot/earshot/listener/reddit/redditfake"
	"github.com/earshot/earshot/listener/replay"
	"github.com/earshot/earshot/listener/x"
	"github.com/earshot/earshot/listener/x/xfake"
	"github.com/earshot/earshot/listener/youtube"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

// lookupSource is a network's source with its Lookup.
type lookupSource interface {
	listener.Source
	listener.Lookup
}

// networkCase builds one network's fake and source on the clock now.
type networkCase struct {
	name  string
	build func(t *testing.T, now func() time.Time) lookupSource
}

func serve(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func fetcher(now func() time.Time) *httpx.Fetcher {
	return httpx.New(httpx.Options{PerHostInterval: -1, Clock: now})
}

const lookback = 60 * 24 * time.Hour

var networkCases = []networkCase{
	{"hackernews", func(t *testing.T, now func() time.Time) lookupSource {
		u := serve(t, replay.New(replay.Options{Clock: now}))
		return hackernews.New(hackernews.Config{BaseURL: u, Queries: []string{"acme", "globex"}, Lookback: lookback}, fetcher(now), now)
	}},
	{"reddit", func(t *testing.T, now func() time.Time) lookupSource {
		u := serve(t, redditfake.New(redditfake.Options{Clock: now}))
		return reddit.New(reddit.Config{BaseURL: u, AuthURL: u, Queries: []string{"acme"}, ClientID: "id", ClientSecret: "secret",
			AppID: "earshot", Username: "tester", Lookback: lookback}, fetcher(now), now, nil)
	}},
	{"youtube", func(t *testing.T, now func() time.Time) lookupSource {
		u := serve(t, youtubefake.New(youtubefake.Options{Clock: now}))
		return youtube.New(youtube.Config{BaseURL: u, APIKey: "k", Queries: []string{"Acme"}, Lookback: lookback}, fetcher(now), now, nil)
	}},
	{"x", func(t *testing.T, now func() time.Time) lookupSource {
		u := serve(t, xfake.New(xfake.Options{Clock: now}))
		return x.New(x.Config{BaseURL: u, BearerToken: "t", Queries: []string{"acme"}, Lookback: 6 * 24 * time.Hour}, fetcher(now), now, nil)
	}},
	{"bluesky", func(t *testing.T, now func() time.Time) lookupSource {
		u := serve(t, blueskyfake.New(blueskyfake.Options{Clock: now}))
		return bluesky.New(bluesky.Config{BaseURL: u, Identifier: "tester.bsky.social", Password: "pw", Queries: []string{"acme"},
			Lookback: lookback}, fetcher(now), now, nil)
	}},
	{"mastodon", func(t *testing.T, now func() time.Time) lookupSource {
		u := serve(t, mastodonfake.New(mastodonfake.Options{Clock: now}))
		return mastodon.New(mastodon.Config{BaseURL: u, Hashtags: []string{"acme"}, Lookback: lookback}, fetcher(now), now)
	}},
}

// Every network's lookup reads the counts of posts its Fetch returned from
// its fake, and the fake's counts grow with its clock: a day later no count
// is lower and some are higher; an unknown id is gone, not an error.
func TestLookupsReadGrowingCounts(t *testing.T) {
	for _, c := range networkCases {
		t.Run(c.name, func(t *testing.T) {
			at := fixtureNow(t, c)
			now := func() time.Time { return at }
			src := c.build(t, now)
			posts, _, err := src.Fetch(context.Background(), nil)
			if err != nil && len(posts) == 0 {
				t.Fatalf("fetch: %v", err)
			}
			var refs []listener.Ref
			first := map[string]map[string]int64{}
			for _, p := range posts {
				if len(p.Engagement) > 0 {
					refs = append(refs, listener.Ref{NativeID: p.NativeID, URL: p.URL, IsReply: p.ReplyTo != ""})
					first[p.NativeID] = p.Engagement
				}
			}
			if len(refs) == 0 {
				t.Fatal("no post with counts fetched")
			}
			refs = append(refs, listener.Ref{NativeID: unknownID[c.name]})
			at = at.Add(24 * time.Hour)
			got, err := src.LookupCounts(context.Background(), refs, nil)
			if err != nil {
				t.Fatalf("lookup: %v", err)
			}
			if v, ok := got[unknownID[c.name]]; !ok || v != nil {
				t.Errorf("unknown id: %v %v, want gone (nil)", v, ok)
			}
			grew := 0
			for id, before := range first {
				after, ok := got[id]
				if !ok || after == nil {
					t.Errorf("%s: not read back (%v)", id, after)
					continue
				}
				for k, v := range after {
					if b, had := before[k]; had && v < b && k != "score" {
						t.Errorf("%s: %s fell from %d to %d", id, k, b, v)
					} else if had && v > b {
						grew++
					}
				}
			}
			if grew == 0 {
				t.Errorf("no count grew a day later: first %v, then %v", first, got)
			}
			if src.LookupBatch() < 1 {
				t.Errorf("LookupBatch %d", src.LookupBatch())
			}
		})
	}
}

// unknownID is a well-formed id no recording has, per network.
var unknownID = map[string]string{
	"hackernews": "1", "reddit": "zzzzzz", "youtube": "zzzzzzzzzzz", "x": "1",
	"bluesky": "at://did:plc:nobody/app.bsky.feed.post/3zzzzzzzzzzzz", "mastodon": "1",
}

// fixtureNow is a time just after the network's recordings: each fake
// serves its recordings as recorded (no shift).
func fixtureNow(t *testing.T, c networkCase) time.Time {
	t.Helper()
	return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
}
