package mastodon

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/mastodon/mastodonfake"
)

var brands = []listener.Account{
	{Brand: "Acme", Handle: "@acme"},
	{Brand: "Globex", Handle: "globex@mastodon.social"},
	{Brand: "Initech", Handle: "initech@hachyderm.io"},
}

func TestHashtagPagingAndResume(t *testing.T) {
	base, c := fake(t, mastodonfake.Options{})
	cfg := Config{BaseURL: base, Hashtags: []string{"#Acme"}, Limit: 3, Lookback: lookback}
	s := New(cfg, fetcher(), clock)
	ctx := context.Background()
	posts, cur, err := s.Fetch(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 7 || c.Count("/timelines/tag/Acme") != 3 {
		t.Fatalf("got %d posts in %d requests, want 7 in 3 pages", len(posts), c.Count("/timelines/tag/"))
	}
	first := c.Requests()[0].URL.Query()
	if first.Get("min_id") != snowflakeAt(now.Add(-lookback)) || first.Get("limit") != "3" {
		t.Fatalf("first request %v", first)
	}
	var cu cursor
	if err := json.Unmarshal(cur, &cu); err != nil {
		t.Fatal(err)
	}
	if cu.Timelines["tag:acme"] != "117680268902419737" {
		t.Fatalf("cursor %s", cur)
	}
	// A new Source resuming from the saved cursor gets nothing new.
	again, cur2, err := New(cfg, fetcher(), clock).Fetch(ctx, cur)
	if err != nil || len(again) != 0 || string(cur2) != string(cur) {
		t.Fatalf("resume: %d posts, cursor %s, %v", len(again), cur2, err)
	}
	if s.Name() != "mastodon" || s.Network() != Network {
		t.Fatal("name/network")
	}
}

func TestNewStatusReturnedOnce(t *testing.T) {
	base, _ := fake(t, mastodonfake.Options{})
	cfg := Config{BaseURL: base, Hashtags: []string{"acme"}, Lookback: lookback}
	ctx := context.Background()
	_, cur, err := New(cfg, fetcher(), clock).Fetch(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The instance receives a new status after the first poll.
	var pool []map[string]any
	if err := json.Unmarshal(readFixture(t, "statuses.json"), &pool); err != nil {
		t.Fatal(err)
	}
	extra := map[string]any{}
	for k, v := range pool[1] { // the newest public #acme status
		extra[k] = v
	}
	extra["id"], extra["created_at"] = "117682000000000001", "2026-11-26T09:20:00.000Z"
	extra["url"], extra["content"] = "https://mastodon.social/@acme/117682000000000001", "<p>New <a href=\"https://mastodon.social/tags/acme\" class=\"mention hashtag\" rel=\"tag\">#<span>Acme</span></a> status</p>"
	pool = append([]map[string]any{extra}, pool...)
	b, _ := json.Marshal(pool)
	fsys := fstest.MapFS{mastodonfake.Dir + "/statuses.json": {Data: b}}
	c := &listenertest.Recorder{Next: mastodonfake.New(mastodonfake.Options{FS: fsys, Clock: clock})}
	srv := newServer(t, c)
	cfg.BaseURL = srv
	got, cur2, err := New(cfg, fetcher(), clock).Fetch(ctx, cur)
	if err != nil || len(got) != 1 || got[0].NativeID != "117682000000000001" || got[0].Text != "New #Acme status" {
		t.Fatalf("new status: %+v %v", got, err)
	}
	if got, _, err := New(cfg, fetcher(), clock).Fetch(ctx, cur2); err != nil || len(got) != 0 {
		t.Fatalf("after new status: %d posts, %v", len(got), err)
	}
}

func TestMappingOwnedRepliesLinks(t *testing.T) {
	base, c := fake(t, mastodonfake.Options{})
	cfg := Config{BaseURL: base, Accounts: brands, Hashtags: []string{"acme", "아크미", "pricing", "batteries"}, Lookback: lookback}
	s := New(cfg, fetcher(), clock)
	posts, _, err := s.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, p := range posts {
		if ids[p.NativeID] {
			t.Fatalf("duplicate %s", p.NativeID)
		}
		ids[p.NativeID] = true
		if strings.ContainsAny(p.Text, "<>") && !strings.Contains(p.Text, "<sigh>") || strings.Contains(p.Text, "&amp;") || strings.Contains(p.Text, "&#39;") {
			t.Errorf("%s: markup left in %q", p.NativeID, p.Text)
		}
		if p.Network != Network || p.Published.IsZero() || p.Published.Location().String() != "UTC" || !strings.HasPrefix(p.URL, "https://") {
			t.Errorf("bad post %+v", p)
		}
	}
	if ids["117680740761620468"] {
		t.Error("private status returned")
	}
	reply := byAuthorText(posts, "acme", "Please DM us")
	if reply == nil || !reply.Owned || reply.OwnedBrand != "Acme" || reply.ReplyTo != "117625346549678811" {
		t.Fatalf("brand reply: %+v", reply)
	}
	if !slices.Equal(reply.Links, []string{"https://acme.example/support/replacements"}) {
		t.Errorf("reply links %q (mention link must be dropped, card deduplicated)", reply.Links)
	}
	if reply.AuthorName != "Acme Corp" || reply.AuthorFollowers != 15234 || reply.URL != "https://mastodon.social/@acme/117625926582273462" {
		t.Errorf("reply author/url: %+v", reply)
	}
	if !strings.Contains(reply.Text, "@batteryfan Sorry") || !strings.Contains(reply.Text, "support team will replace it right away: acme.example/support/replaceme") {
		t.Errorf("reply text %q", reply.Text)
	}
	deals := byAuthorText(posts, "acme", "Black Friday")
	if deals == nil || !slices.Equal(deals.Links, []string{"https://acme.example/deals?utm_source=mastodon&utm_medium=social"}) {
		t.Fatalf("deals links: %+v", deals)
	}
	if deals.Engagement["replies"] != 6 || deals.Engagement["reblogs"] != 31 || deals.Engagement["favourites"] != 97 || deals.Lang != "en" {
		t.Errorf("engagement %v lang %q", deals.Engagement, deals.Lang)
	}
	rant := byAuthorText(posts, "angrybuyer@mastodon.online", "€49")
	if rant == nil || rant.Title != "pricing rant" || rant.Lang != "" || rant.Owned {
		t.Fatalf("content-warned status: %+v", rant)
	}
	// Acme boosted the review: the review is returned as the reviewer's, not owned.
	review := byAuthorText(posts, "techreviewer@mas.to", "Acme Volt")
	if review == nil || review.Owned || review.AuthorName != "Tech Review Weekly" || review.AuthorFollowers != 22010 ||
		!slices.Equal(review.Links, []string{"https://techreview.example/2026/11/globex-x2-vs-acme-volt"}) {
		t.Fatalf("boosted review: %+v", review)
	}
	ko := byAuthorText(posts, "minji@qdon.space", "보조배터리")
	if ko == nil || ko.Lang != "ko" || !strings.HasPrefix(ko.Text, "#아크미 보조배터리") || len(ko.Links) != 0 {
		t.Fatalf("korean: %+v", ko)
	}
	ko2 := byAuthorText(posts, "jiho", "고객지원 최고")
	if ko2 == nil || !slices.Equal(ko2.Links, []string{"https://blog.example.kr/acme-exchange", "https://acme.example/ko/support"}) || !strings.Contains(ko2.Text, "교환해줬어요\n후기") {
		t.Fatalf("korean with links: %+v", ko2)
	}
	initech := byAuthorText(posts, "initech@hachyderm.io", "aware of elevated error rates")
	if initech == nil || !initech.Owned || initech.OwnedBrand != "Initech" || initech.ReplyTo != "117632462356484386" || !strings.Contains(initech.Text, "We're aware") {
		t.Fatalf("initech reply: %+v", initech)
	}
	var owned int
	for _, p := range posts {
		if p.Owned {
			owned++
		}
	}
	if owned != 9 { // acme 5, globex 2, initech 2: boosts are not owned, the private status is dropped
		t.Errorf("owned posts = %d", owned)
	}
	// Account ids are looked up once per Source.
	if _, _, err := s.Fetch(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if n := c.Count("/accounts/lookup"); n != 3 {
		t.Errorf("%d lookups, want 3", n)
	}
	for _, r := range c.Requests() {
		if strings.HasSuffix(r.URL.Path, "/statuses") && r.URL.Query().Get("exclude_reblogs") != "false" {
			t.Errorf("account request %s", r.URL)
		}
	}
}
