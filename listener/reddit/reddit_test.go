package reddit

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/reddit/redditfake"
)

func TestFetchMapsPosts(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	posts, _ := fetch(t, e.source(nil), nil)
	if got := ids(posts); !reflect.DeepEqual(got, allIDs) {
		t.Fatalf("ids\n got %v\nwant %v", got, allIDs)
	}
	m := listenertest.ByID(posts)

	p := m["1r0x2ka"]
	if p.Network != Network || p.URL != "https://www.reddit.com/r/gadgets/comments/1r0x2ka/acme_x2_battery_drains_overnight_anyone_else/" ||
		p.Title != "Acme X2 battery drains overnight — anyone else?" || p.Author != "battery_nerd" || p.Owned ||
		!p.Published.Equal(time.Date(2026, 11, 24, 9, 12, 33, 0, time.UTC)) ||
		!strings.Contains(p.Text, "> edit: not the charger") {
		t.Fatalf("self post: %+v", p)
	}
	if want := map[string]int64{"score": 412, "num_comments": 87}; !reflect.DeepEqual(p.Engagement, want) {
		t.Fatalf("engagement %v", p.Engagement)
	}
	if len(p.Links) != 0 {
		t.Fatalf("self post links %v", p.Links)
	}
	if p := m["1qu9f2c"]; !strings.Contains(p.Text, "R&D couldn't") || !slices.Equal(p.Links, []string{"https://status.initech.example/incidents/8812"}) {
		t.Fatalf("raw_json text or markdown link: %q %v", p.Text, p.Links)
	}
	if p := m["1qw4b7n"]; !slices.Equal(p.Links, []string{"https://globex.example/news/g5-price-cut"}) || p.Text != "" {
		t.Fatalf("link post: %+v", p)
	}

	own := m["1r1c5wq"]
	if !own.Owned || own.OwnedBrand != "Acme" || own.AuthorFollowers != 18402 || own.AuthorName != "Acme" ||
		own.Engagement["score"] != 1290 || !slices.Contains(own.Links, "https://acme.example/support/x2-battery") {
		t.Fatalf("owned post: %+v", own)
	}
	reply := m["nf3k7qa"]
	if !reply.Owned || reply.OwnedBrand != "Acme" || reply.ReplyTo != "1r0x2ka" || reply.Title != "" || reply.ParentTitle != "Acme X2 battery drains overnight — anyone else?" ||
		reply.URL != "https://www.reddit.com/r/gadgets/comments/1r0x2ka/acme_x2_battery_drains_overnight_anyone_else/nf3k7qa/" ||
		!slices.Equal(reply.Links, []string{"https://acme.example/support/x2-battery"}) || reply.Engagement["score"] != 201 {
		t.Fatalf("brand reply: %+v", reply)
	}
	if reply.Published.Sub(p.Published) != 2*time.Hour+28*time.Minute+34*time.Second {
		t.Fatalf("response time %s", reply.Published.Sub(p.Published))
	}
	if g := m["nex9d1b"]; g.ReplyTo != "nex2z8k" || g.OwnedBrand != "Globex" || g.AuthorFollowers != 9210 || g.AuthorName != "Globex Corporation" {
		t.Fatalf("reply to a comment: %+v", g)
	}
	if g := m["new4c7e"]; g.Engagement["score"] != -7 {
		t.Fatalf("negative score: %+v", g.Engagement)
	}
	if ko := m["nf0m2wd"]; ko.ReplyTo != "1qy8m3d" || !strings.HasPrefix(ko.Text, "불편을 드려 죄송합니다") {
		t.Fatalf("korean reply: %+v", ko)
	}
	if d := m["1qz0d9e"]; d.Author != "" || d.Text != "" || d.Title != "Acme Corp customer support is a joke" {
		t.Fatalf("deleted post: %+v", d)
	}
	if r := m["1qx3s6f"]; r.Author != "deal_hunter_2k" || r.Text != "" {
		t.Fatalf("removed post: %+v", r)
	}
	for _, p := range posts {
		if _, ok := p.Engagement["upvote_ratio"]; ok || p.Published.Location() != time.UTC {
			t.Fatalf("%s: %v %v", p.NativeID, p.Engagement, p.Published)
		}
	}
	if st := e.fake.Stats(); st.TokensIssued != 1 {
		t.Fatalf("tokens issued %d, want 1", st.TokensIssued)
	}
}

func TestPagingMatchesSinglePage(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, func(c *Config) { c.PageSize = 2 })
	posts, _ := fetch(t, e.source(nil), nil)
	if got := ids(posts); !reflect.DeepEqual(got, allIDs) {
		t.Fatalf("paged ids\n got %v\nwant %v", got, allIDs)
	}
	// 3 profiles + at least two pages for "Acme" (10 hits) alone.
	if n := e.fake.Stats().APIRequests; n < 3+5 {
		t.Fatalf("only %d requests: did it page?", n)
	}
}

func TestCursorResume(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	e.clock.Set(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	first, cur := fetch(t, e.source(nil), nil)
	if len(first) != len(allIDs)-3 {
		t.Fatalf("first run %d posts", len(first))
	}
	// A restarted source with the saved cursor sees nothing new.
	again, cur := fetch(t, e.source(nil), cur)
	if len(again) != 0 {
		t.Fatalf("repeated: %v", ids(again))
	}
	// Three items appear later; they come exactly once.
	e.clock.Set(t0)
	later, cur := fetch(t, e.source(nil), cur)
	if got, want := ids(later), sorted("1r2d8xs", "nezr8kk", "1r3f1yv"); !reflect.DeepEqual(got, want) {
		t.Fatalf("new items %v, want %v", got, want)
	}
	if last, _ := fetch(t, e.source(nil), cur); len(last) != 0 {
		t.Fatalf("repeated: %v", ids(last))
	}
}

// drain fetches until two polls in a row bring nothing, counting returns.
func drain(t *testing.T, e *env) (map[string]int, []byte) {
	t.Helper()
	var cur []byte
	seen := map[string]int{}
	empty := 0
	for i := 0; i < 80 && empty < 2; i++ {
		posts, next := fetch(t, e.source(nil), cur)
		for _, p := range posts {
			seen[p.NativeID]++
		}
		cur = next
		if empty++; len(posts) > 0 {
			empty = 0
		}
	}
	return seen, cur
}

func keys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return sorted(out...)
}

// With one item per page and one page per Fetch the chain is cut short each
// time: the gap must be finished without skipping or repeating, also for the
// two posts sharing a second (1r0b6gh, 1r0b6gk).
func TestGapsResumeExactly(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, func(c *Config) {
		c.PageSize, c.MaxPages, c.Queries, c.Accounts = 1, 1, []string{"Acme"}, nil
	})
	seen, cur := drain(t, e)
	want := sorted("1r2d8xs", "1r1c5wq", "1r0x2ka", "1r0b6gh", "1r0b6gk", "1qz0d9e", "1qy0p5j", "1qx9t2u", "1qt4e8r")
	if got := keys(seen); !reflect.DeepEqual(got, want) {
		t.Fatalf("ids\n got %v\nwant %v", got, want)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s returned %d times", id, n)
		}
	}
	var c cursor
	if err := json.Unmarshal(cur, &c); err != nil {
		t.Fatal(err)
	}
	if st := c.Chains["q:Acme"]; st.Since != time.Date(2026, 11, 25, 8, 2, 44, 0, time.UTC).Unix() || !slices.Equal(st.IDs, []string{"1r2d8xs"}) {
		t.Fatalf("Acme state %+v", st)
	}
}

// Every chain cut short at every poll still delivers everything; a post
// found by two chains may come once per chain (the store dedupes).
func TestGapsAllChains(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, func(c *Config) { c.PageSize, c.MaxPages = 1, 1 })
	seen, _ := drain(t, e)
	if got := keys(seen); !reflect.DeepEqual(got, allIDs) {
		t.Fatalf("ids\n got %v\nwant %v", got, allIDs)
	}
	for id, n := range seen {
		if n > 2 {
			t.Errorf("%s returned %d times", id, n)
		}
	}
}

func TestSubredditsRestrictSearch(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, func(c *Config) {
		c.Accounts, c.Queries, c.Subreddits = nil, []string{"Acme"}, []string{"r/korea", "smallbusiness"}
	})
	posts, _ := fetch(t, e.source(nil), nil)
	if got, want := ids(posts), sorted("1r0b6gh", "1qz0d9e", "1qx9t2u", "1qt4e8r"); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestFetchRespectsContext(t *testing.T) {
	e := newEnv(t, redditfake.Options{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	posts, next, err := e.source(nil).Fetch(ctx, nil)
	if err == nil || posts != nil || next != nil {
		t.Fatalf("cancelled: %v %v %v", len(posts), next, err)
	}
}
