package bluesky

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
)

func FuzzBlueskyDecode(f *testing.F) {
	pool, err := fs.ReadFile(blueskyfake.Recordings(), "testdata/posts.json")
	if err != nil {
		f.Fatal(err)
	}
	bad, _ := fs.ReadFile(blueskyfake.Recordings(), "testdata/errors/malformed.json")
	f.Add(append(append([]byte(`{"cursor":"2","posts":`), pool...), '}'))
	f.Add(bad)
	f.Add([]byte(`{"feed":[{"post":{"uri":"at://did:plc:x/app.bsky.feed.post/3k","record":{"text":"a","createdAt":"2026-11-20T00:00:00Z","reply":{"parent":{"uri":"at://x/y/z"}},"facets":[{"features":[{"$type":"app.bsky.richtext.facet#link","uri":"javascript:alert(1)"}]}],"embed":{"media":{"external":{"uri":"https://x.example/"}}}},"likeCount":-5,"indexedAt":"x"},"reason":{"$type":"app.bsky.feed.defs#reasonRepost"}}]}`))
	f.Add([]byte(`{"posts":[{"uri":"at://did:plc:x/app.bsky.feed.post/..","record":7,"indexedAt":"9999-12-31T23:59:59Z"}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var views []postView
		if r, err := decodeSearch(b); err == nil {
			views = append(views, r.Posts...)
		}
		if r, err := decodeFeed(b); err == nil {
			for i := range r.Feed {
				_ = r.Feed[i].isRepost()
				views = append(views, r.Feed[i].Post)
			}
		}
		_, _ = decodeSession(b)
		_ = jwtExpiry(string(b))
		for i := range views {
			rec, at, err := views[i].decode()
			if err != nil {
				continue
			}
			p := views[i].toPost(rec, at)
			if p.NativeID == "" || !strings.HasPrefix(p.URL, "https://bsky.app/profile/") || p.Author == "" || p.Published.IsZero() {
				t.Fatalf("bad post %+v", p)
			}
			for _, l := range p.Links {
				if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
					t.Fatalf("bad link %q", l)
				}
			}
			for k, v := range p.Engagement {
				if v < 0 {
					t.Fatalf("negative %s", k)
				}
			}
		}
	})
}
