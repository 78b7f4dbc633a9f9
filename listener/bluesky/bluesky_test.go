package bluesky

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/bluesky/blueskyfake"
)

func TestFetchMapping(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{})
	cfg := e.config()
	cfg.Queries = []string{"Acme", "아크미", "Globex", "글로벡스", "Initech", "이니텍", "outage", "Acme"}
	cfg.Accounts = brands
	s := e.source(cfg, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "bluesky" || s.Network() != "bluesky" {
		t.Fatal("name/network")
	}
	ids := map[string]bool{}
	for _, p := range posts {
		if ids[p.NativeID] {
			t.Errorf("duplicate %s", p.NativeID)
		}
		ids[p.NativeID] = true
		if p.Network != Network || !strings.HasPrefix(p.NativeID, "at://did:plc:") || p.Published.Location() != time.UTC {
			t.Errorf("bad post %+v", p)
		}
		rkey := p.NativeID[strings.LastIndex(p.NativeID, "/")+1:]
		if p.URL != "https://bsky.app/profile/"+p.Author+"/post/"+rkey {
			t.Errorf("url %q for %s by %s", p.URL, p.NativeID, p.Author)
		}
		if p.Owned != (p.Author == "acme.bsky.social" || p.Author == "globex.bsky.social" || p.Author == "initech.bsky.social") {
			t.Errorf("owned=%v for %s: %q", p.Owned, p.Author, p.Text)
		}
	}
	// 28 posts in the pool; the two with no brand or topic term are not found.
	if len(posts) != 26 {
		t.Errorf("got %d posts, want 26", len(posts))
	}
	if byText(posts, "오늘 날씨") != nil || byText(posts, "camping") != nil {
		t.Error("unrelated post returned")
	}

	complaint, answer := byText(posts, "아크미 배터리 교체"), byText(posts, "불편을 드려 죄송합니다")
	if complaint == nil || answer == nil {
		t.Fatal("complaint or brand answer missing")
	}
	if answer.ReplyTo != complaint.NativeID || !answer.Owned || answer.OwnedBrand != "Acme" || answer.AuthorFollowers != 48210 || answer.Lang != "ko" {
		t.Errorf("brand answer: %+v", answer)
	}
	// createdAt 11:30+09:00 is 02:30 UTC.
	if !complaint.Published.Equal(time.Date(2026, 11, 19, 2, 30, 0, 0, time.UTC)) || complaint.Owned || complaint.AuthorName != "김민호" {
		t.Errorf("complaint: %+v", complaint)
	}
	launch := byText(posts, "Introducing Acme Cell X")
	if launch == nil || !slices.Equal(launch.Links, []string{"https://acme.example/cell-x"}) ||
		launch.Engagement["likes"] != 312 || launch.Engagement["reposts"] != 88 || launch.Engagement["replies"] != 41 || launch.Engagement["quotes"] != 12 {
		t.Fatalf("launch: %+v", launch)
	}
	globex := byText(posts, "New pricing, more for every team")
	if globex == nil || !slices.Equal(globex.Links, []string{"https://globex.example/pricing?utm_source=bsky"}) || globex.OwnedBrand != "Globex" || globex.AuthorFollowers != 30544 {
		t.Fatalf("globex (facet and embed of one URL): %+v", globex)
	}
	deleted := byText(posts, "동감합니다")
	if deleted == nil || !strings.HasSuffix(deleted.ReplyTo, "/app.bsky.feed.post/3n2wfq3fw22w6") {
		t.Errorf("reply to deleted post: %+v", deleted)
	}
	praise := byText(posts, "Switched our fleet")
	if praise == nil || praise.Owned {
		t.Errorf("a post the brand reposted is not owned: %+v", praise)
	}
	noTZ, future := byText(posts, "Acme Corp pricing page"), byText(posts, "Login page returns 502")
	if noTZ == nil || !noTZ.Published.Equal(time.Date(2026, 11, 24, 9, 30, 2, 137e6, time.UTC)) {
		t.Errorf("zone-less createdAt falls back to indexedAt: %+v", noTZ)
	}
	if future == nil || !future.Published.Equal(time.Date(2026, 11, 24, 12, 0, 2, 137e6, time.UTC)) || future.Lang != "" {
		t.Errorf("future createdAt falls back to indexedAt: %+v", future)
	}
	if n := e.count("com.atproto.server.createSession"); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
	var cur cursor
	if err := json.Unmarshal(next, &cur); err != nil {
		t.Fatal(err)
	}
	if len(cur.Queries) != 7 || len(cur.Accounts) != 3 || cur.Accounts["globex.bsky.social"] == nil {
		t.Fatalf("cursor: %s", next)
	}
	if acme := cur.Accounts["acme.bsky.social"]; !acme.Since.Equal(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) || len(acme.Seen) != 1 {
		t.Errorf("acme account state %+v", acme)
	}
}

func TestPagingAndResume(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{})
	cfg := e.config()
	cfg.Queries = []string{"Acme"}
	cfg.Accounts = brands[:1]
	want, _, err := e.source(cfg, nil).Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	first := e.total()

	cfg.PageSize = 2
	s := e.source(cfg, nil)
	got, cur, err := s.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) < 12 {
		t.Fatalf("paged fetch got %d posts, unpaged %d", len(got), len(want))
	}
	var search, feed int
	for _, r := range e.reqs[first:] {
		switch {
		case strings.Contains(r, "searchPosts"):
			search++
			if strings.Contains(r, "cursor=") && !strings.Contains(r, "since=2026-11-15T12%3A00%3A00.000Z") {
				t.Errorf("later page without since: %s", r)
			}
		case strings.Contains(r, "getAuthorFeed"):
			feed++
		}
	}
	if search < 2 || feed < 2 {
		t.Fatalf("%d search and %d feed requests, want pages", search, feed)
	}

	// A new Source resuming from the cursor sees nothing new.
	e.clock.Add(5 * time.Minute)
	s2 := e.source(cfg, nil)
	again, cur2, err := s2.Fetch(context.Background(), cur)
	if err != nil || len(again) != 0 {
		t.Fatalf("resume: %d posts, %v", len(again), err)
	}
	var st cursor
	_ = json.Unmarshal(cur2, &st)
	if q := st.Queries["Acme"]; !strings.Contains(e.reqs[len(e.reqs)-1]+e.reqs[len(e.reqs)-2], "since=2026-11-26T07%3A50%3A00.000Z") || q == nil {
		t.Errorf("resume asks from newest minus overlap: %v", e.reqs[len(e.reqs)-2:])
	}
	if n := e.count("com.atproto.server.createSession"); n != 3 {
		t.Errorf("%d logins for 3 sources, want 3", n)
	}
}

// TestLateIndexed: a post created before the cursor's newest time but
// indexed after it is returned once, then never again.
func TestLateIndexed(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{})
	cfg := e.config()
	cfg.Queries = []string{"acme outage"}
	s := e.source(cfg, nil)
	posts, cur, err := s.Fetch(context.Background(), nil)
	if err != nil || len(posts) != 2 { // the sync complaint and Acme's maintenance note
		t.Fatalf("first: %d posts, %v", len(posts), err)
	}
	fsys := poolWith(t, map[string]any{
		"uri": "at://did:plc:latelatelatelatelatelate/app.bsky.feed.post/3n3latepost22", "cid": "bafyreilate",
		"author":    map[string]any{"did": "did:plc:latelatelatelatelatelate", "handle": "late.bsky.social"},
		"record":    map[string]any{"$type": "app.bsky.feed.post", "text": "Acme outage here too", "createdAt": "2026-11-26T07:58:00.000Z"},
		"likeCount": 0, "indexedAt": "2026-11-26T08:04:00.000Z",
	})
	e2 := newEnvFS(t, fsys)
	cfg.BaseURL = e2.srv.URL + "/bsky"
	s2 := e2.source(cfg, nil)
	got, cur2, err := s2.Fetch(context.Background(), cur)
	if err != nil || len(got) != 1 || got[0].Author != "late.bsky.social" || got[0].Engagement["likes"] != 0 {
		t.Fatalf("late post: %+v %v", got, err)
	}
	if got, _, err := s2.Fetch(context.Background(), cur2); err != nil || len(got) != 0 {
		t.Fatalf("after late post: %d posts, %v", len(got), err)
	}
}

func TestFetchConfigErrors(t *testing.T) {
	e := newEnv(t, blueskyfake.Options{})
	if _, _, err := e.source(e.config(), nil).Fetch(context.Background(), nil); err == nil {
		t.Fatal("no queries: want error")
	}
	cfg := e.config()
	cfg.Queries = []string{"Acme"}
	if _, _, err := e.source(cfg, nil).Fetch(context.Background(), []byte("{bad")); err == nil || !strings.Contains(err.Error(), "bad cursor") {
		t.Fatalf("bad cursor: %v", err)
	}
	if _, _, err := New(cfg, nil, nil, nil).Fetch(context.Background(), nil); err == nil {
		t.Fatal("no fetcher: want error")
	}
}

var _ listener.Source = (*Source)(nil)
