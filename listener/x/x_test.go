package x

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener"
)

func TestSearchPagesAndMapping(t *testing.T) {
	api := newFake(t, nil, xfakeOpts())
	var logs bytes.Buffer
	s := New(Config{BaseURL: api.base() + "/", BearerToken: token, Queries: []string{"Acme OR 아크미"}, PageSize: 10, Lookback: 10 * 24 * time.Hour,
		Logger: zerolog.New(&logs)}, fetcher(), clock, nil)
	posts, next, err := s.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	reqs := api.requests()
	if len(posts) != 11 || len(reqs) != 2 {
		t.Fatalf("got %d posts in %d requests, want 11 in 2:\n%s", len(posts), len(reqs), describe(posts))
	}
	q0, q1 := query(reqs[0]), query(reqs[1])
	if q0.Get("query") != "(Acme OR 아크미) -is:retweet" || q0.Get("max_results") != "10" || q0.Get("since_id") != "" ||
		q0.Get("start_time") != now.Add(-searchWindow).Format(time.RFC3339) || q0.Get("expansions") != "author_id" ||
		!strings.Contains(q0.Get("tweet.fields"), "note_tweet") || q0.Get("user.fields") != userFields {
		t.Errorf("first request %s", reqs[0].URL)
	}
	if q1.Get("next_token") == "" || q1.Get("start_time") != q0.Get("start_time") {
		t.Errorf("second request %s", reqs[1].URL)
	}
	for _, r := range reqs {
		if r.Header.Get("Authorization") != "Bearer "+token {
			t.Errorf("auth header %q", r.Header.Get("Authorization"))
		}
	}
	if len(ids(posts)) != len(posts) {
		t.Errorf("duplicates:\n%s", describe(posts))
	}
	for _, p := range posts {
		if p.Network != "x" || p.Published.IsZero() || p.Published.After(now) || strings.HasPrefix(p.Text, "RT @") ||
			strings.Contains(p.Text, "&amp;") || strings.Contains(p.Text, "t.co/") || p.Owned {
			t.Errorf("bad post %+v", p)
		}
	}
	sarah := find(t, posts, "sarah_rides", "battery died")
	if sarah.Text != "@acme my Acme X2 battery died after 3 weeks & support hasn't answered my ticket in 2 days. Not great." ||
		sarah.Links != nil || sarah.URL != "https://x.com/sarah_rides/status/"+sarah.NativeID || sarah.AuthorName != "Sarah Okafor" ||
		sarah.AuthorFollowers != 2301 || sarah.Lang != "en" || !sarah.Published.Equal(time.Date(2026, 11, 24, 9, 12, 0, 444e6, time.UTC)) {
		t.Errorf("sarah: %+v", sarah)
	}
	want := map[string]int64{"likes": 37, "reposts": 12, "replies": 2, "quotes": 1, "bookmarks": 0, "impressions": 5530}
	for k, v := range want {
		if sarah.Engagement[k] != v {
			t.Errorf("engagement %s = %d, want %d", k, sarah.Engagement[k], v)
		}
	}
	nerd := find(t, posts, "battery_nerd", "TL;DR: Acme for longevity")
	if len(nerd.Links) != 2 || nerd.Links[0] != "https://docs.example.org/battery-bench-2026" || nerd.Links[1] != "https://acme.example/x2/specs" ||
		!strings.Contains(nerd.Text, "Acme's own spec sheet: https://acme.example/x2/specs") {
		t.Errorf("note tweet: links %v text %q", nerd.Links, nerd.Text)
	}
	thanks := find(t, posts, "sarah_rides", "replacement pack arrived")
	reply := "2125168800744280103" // acme's reply to sarah
	if thanks.ReplyTo != reply {
		t.Errorf("ReplyTo = %q, want %q", thanks.ReplyTo, reply)
	}
	quote := find(t, posts, "jkim_dev", "looks solid")
	if len(quote.Links) != 1 || quote.Links[0] != "https://x.com/acme/status/2122706323003559939" || quote.ReplyTo != "" {
		t.Errorf("quote: %+v", quote)
	}
	if p := find(t, posts, "tim_builds", "charger"); p.Text != "I <3 my Acme charger. 2 years, zero issues > everything else I've owned" {
		t.Errorf("entities: %q", p.Text)
	}
	if p := find(t, posts, "tim_builds", "🔋"); p.Lang != "" {
		t.Errorf("und lang kept: %q", p.Lang)
	}
	if p := find(t, posts, "", "refund"); p.URL != "https://x.com/i/web/status/"+p.NativeID || p.AuthorFollowers != 0 {
		t.Errorf("authorless tweet: %+v", p)
	}
	if p := find(t, posts, "jkim_dev", "아크미"); p.Lang != "ko" || p.AuthorName != "김지훈" {
		t.Errorf("korean: %+v", p)
	}
	cur := decodeCursor(t, next)
	if st := cur.Queries["Acme OR 아크미"]; st == nil || st.Since != "2125858346339393614" || st.Until != "" ||
		st.SinceTime != time.Date(2026, 11, 26, 7, 45, 0, 0, time.UTC).Unix() {
		t.Fatalf("cursor %s", next)
	}
	if !strings.Contains(logs.String(), "Could not find user with author_id") {
		t.Errorf("partial errors not logged: %s", logs.String())
	}
	if s.Name() != "x" || s.Network() != "x" {
		t.Fatal("name/network")
	}
}

func TestResumeNothingNewThenOnce(t *testing.T) {
	api := newFake(t, nil, xfakeOpts())
	cfg := Config{BaseURL: api.base(), BearerToken: token, Queries: []string{"Globex"}}
	ctx := context.Background()
	first, cur, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(first) == 0 {
		t.Fatalf("first: %d posts, %v", len(first), err)
	}
	if q := query(api.requests()[0]); q.Get("start_time") != now.Add(-DefaultLookback).Format(time.RFC3339) {
		t.Errorf("default lookback: start_time %s", q.Get("start_time"))
	}
	again, cur2, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, cur)
	if err != nil || len(again) != 0 {
		t.Fatalf("resume returned %d posts (%v):\n%s", len(again), err, describe(again))
	}
	last := api.requests()[len(api.requests())-1]
	if q := query(last); q.Get("since_id") == "" || q.Get("start_time") != "" {
		t.Errorf("resume request %s", last.URL)
	}

	fsys := withTweet(t, "2125999999999999999", "1460021133581996032", "Globex charger melted?!", now.Add(-20*time.Minute))
	api2 := newFake(t, fsys, xfakeOpts())
	cfg.BaseURL = api2.base()
	got, cur3, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, cur2)
	if err != nil || len(got) != 1 || got[0].NativeID != "2125999999999999999" || got[0].Author != "sarah_rides" {
		t.Fatalf("new tweet: %v\n%s", err, describe(got))
	}
	if got, _, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, cur3); err != nil || len(got) != 0 {
		t.Fatalf("after new tweet: %d posts, %v", len(got), err)
	}
}

func TestAccountsOwned(t *testing.T) {
	api := newFake(t, nil, xfakeOpts())
	cfg := Config{BaseURL: api.base(), BearerToken: token, Lookback: 10 * 24 * time.Hour, Queries: []string{"Acme"},
		Accounts: []listener.Account{{Brand: "Acme", Handle: "@Acme"}, {Brand: "Initech", Handle: "initech"}}}
	ctx := context.Background()
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	paths := api.paths()
	want := []string{"/2/users/by/username/acme", "/2/users/2984471234/tweets", "/2/users/by/username/initech", "/2/users/803412345/tweets", "/2/tweets/search/recent"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("paths %v", paths)
	}
	if q := query(api.requests()[1]); q.Get("exclude") != "retweets" || q.Get("start_time") != now.Add(-10*24*time.Hour).Format(time.RFC3339) {
		t.Errorf("timeline request %s", api.requests()[1].URL)
	}
	owned := 0
	for _, p := range posts {
		if p.Author == "acme" || p.Author == "initech" {
			owned++
			if !p.Owned || !strings.EqualFold(p.OwnedBrand, p.Author) {
				t.Errorf("not owned: %+v", p)
			}
		} else if p.Owned {
			t.Errorf("owned by mistake: %+v", p)
		}
	}
	if owned != 7 || len(ids(posts)) != len(posts) {
		t.Fatalf("%d owned posts (want 7):\n%s", owned, describe(posts))
	}
	reply := find(t, posts, "acme", "replace the pack today")
	if reply.ReplyTo != "2125155462702366756" || reply.AuthorFollowers != 48210 || reply.Engagement["likes"] != 29 ||
		len(reply.Links) != 1 || reply.Links[0] != "https://acme.example/support/battery-replacement" {
		t.Errorf("brand reply: %+v", reply)
	}
	if p := find(t, posts, "initech", "investigating"); p.ReplyTo != "2125590329072246838" || p.AuthorName != "Initech 이니텍" {
		t.Errorf("initech reply: %+v", p)
	}
	if p := find(t, posts, "acme", "Introducing Acme X3"); p.Engagement["impressions"] != 184233 || p.Links[0] != "https://acme.example/x3?utm_source=x" {
		t.Errorf("launch: %+v", p)
	}
	cur := decodeCursor(t, next)
	if cur.Accounts["acme"] == nil || cur.Accounts["acme"].UserID != "2984471234" || cur.Accounts["acme"].Since != "2125862624684666961" {
		t.Fatalf("cursor %s", next)
	}
	n := len(api.requests())
	again, _, err := New(cfg, fetcher(), clock, nil).Fetch(ctx, next)
	if err != nil || len(again) != 0 {
		t.Fatalf("resume: %d posts, %v", len(again), err)
	}
	for _, p := range api.paths()[n:] {
		if strings.Contains(p, "/by/username/") {
			t.Errorf("user id not cached: %s", p)
		}
	}
}
