package youtube

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/youtube/youtubefake"
)

func fullConfig(base string) Config {
	return Config{
		BaseURL: base, APIKey: key, Queries: []string{"Acme", "Initech"}, Accounts: accounts,
		Lookback: 10 * 24 * time.Hour, PageSize: 3, MaxPages: 5, CommentPages: 3,
	}
}

func TestFetchAll(t *testing.T) {
	base, rc := serve(t, fake(youtubefake.Options{}))
	b := budget(10000)
	s := New(fullConfig(base), fetcher(), clock, b)
	posts, next, err := s.Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := listenertest.ByID(posts)
	if len(m) != len(posts) {
		t.Fatalf("duplicates: %d unique of %d", len(m), len(posts))
	}
	if s.Name() != "youtube" || s.Network() != "youtube" {
		t.Fatal("name/network")
	}
	// Paging: "Acme" has 9 hits within the lookback, in 3-item pages;
	// "Initech" fits one page.
	if n, paged := rc.Count("/search?"), rc.Count("/search?", "pageToken=", "q=Acme"); n != 4 || paged != 2 {
		t.Fatalf("search calls %d, paged calls %d", n, paged)
	}

	bench := m["bBench06-Aa"]
	if bench.Title != "Acme vs Globex: 30-day battery test & the winner's surprise" || bench.AuthorName != "BatteryBench" ||
		bench.Author != "@batterybench" || bench.AuthorFollowers != 412000 || bench.URL != "https://www.youtube.com/watch?v=bBench06-Aa" ||
		bench.Lang != "en" || bench.Owned || !bench.Published.Equal(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("search video: %+v", bench)
	}
	if bench.Engagement["views"] != 220431 || bench.Engagement["likes"] != 11873 || bench.Engagement["comments"] != 2 {
		t.Errorf("engagement %v", bench.Engagement)
	}
	if !strings.Contains(bench.Text, "Raw data:") || !slices.Equal(bench.Links, []string{
		"https://batterybench.example/acme-vs-globex", "https://acme.example/powercell-x2", "https://globex.example/titan"}) {
		t.Errorf("full description and links: %q %v", bench.Text, bench.Links)
	}

	// Owned uploads, followers from the channel (hidden for Initech).
	x2 := m["aX2pWrCl01Q"]
	if !x2.Owned || x2.OwnedBrand != "Acme" || x2.AuthorFollowers != 1250000 || x2.Author != "@acme" || x2.AuthorName != "Acme" {
		t.Errorf("acme upload %+v", x2)
	}
	titan := m["gTitanFL04x"]
	if !titan.Owned || titan.OwnedBrand != "Globex" || titan.Title != `Globex "Titan" battery pack: first look` {
		t.Errorf("globex upload %+v", titan)
	}
	if _, ok := titan.Engagement["likes"]; ok || titan.Engagement["views"] != 98020 {
		t.Errorf("hidden likes: %v", titan.Engagement)
	}
	pm := m["iOutPM05_zz"]
	if !pm.Owned || pm.OwnedBrand != "Initech" || pm.AuthorFollowers != 0 {
		t.Errorf("initech upload %+v", pm)
	}
	if _, ok := m["zzDeleted00"]; ok {
		t.Error("deleted playlist item returned")
	}
	if ko := m["kR7acmeKo02"]; ko.Lang != "ko" || ko.Title != "아크미 파워셀 X2 한국 출시 & 가격 안내" {
		t.Errorf("korean upload %+v", ko)
	}

	// Comments: a customer's complaint and the brand's reply to it.
	mike := m["UgzMk2Fq9vXbN1pL4Rj8AaABAg"]
	reply := m["UgzMk2Fq9vXbN1pL4Rj8AaABAg.9zAc2Re1Pl1"]
	if mike.ReplyTo != "dDana07supp" || mike.Title != "" || mike.ParentTitle != "Acme customer support left me hanging for 9 days" ||
		mike.Author != "UCmikeB0aT9xR2vQ7wE4yU1i" || mike.AuthorName != "@mikeb" || mike.Owned ||
		mike.Engagement["likes"] != 41 || mike.Engagement["replies"] != 1 ||
		mike.URL != "https://www.youtube.com/watch?v=dDana07supp&lc=UgzMk2Fq9vXbN1pL4Rj8AaABAg" {
		t.Errorf("complaint %+v", mike)
	}
	if reply.ReplyTo != mike.NativeID || !reply.Owned || reply.OwnedBrand != "Acme" || reply.AuthorFollowers != 1250000 ||
		!slices.Equal(reply.Links, []string{"https://acme.example/support"}) || !reply.Published.After(mike.Published) {
		t.Errorf("brand reply %+v", reply)
	}
	// Channel-related comments (under the brand's own videos) carry titles too.
	if c := m["UgxDeal5Lk3Jh8Gf2Ds6AaABAg"]; c.ParentTitle != "Acme PowerCell X2 — 2,000 cycle battery, explained" ||
		!slices.Equal(c.Links, []string{"https://shop.example/deal?id=42&ref=yt"}) {
		t.Errorf("channel comment %+v", c)
	}
	if c := m["UgxTi9Kr3Pr5Cc8Dd2Ee6AaABAg"]; c.ReplyTo != "gTitanFL04x" || c.Text != "Titan pricing in Korea? 한국 가격은요?" {
		t.Errorf("globex channel comment %+v", c)
	}
	// Comments disabled on Initech's video: silently not followed.
	var cur cursor
	if err := json.Unmarshal(next, &cur); err != nil {
		t.Fatal(err)
	}
	if _, ok := cur.Videos["iOutPM05_zz"]; ok {
		t.Error("video with comments disabled still followed")
	}
	if cur.Channels["acme"].ID != "UCacmeCorpOfficial0001aa" || cur.Channels["acme"].Uploads != "UUacmeCorpOfficial0001aa" {
		t.Errorf("channel state %+v", cur.Channels["acme"])
	}
	if q := cur.Queries["Acme"]; !q.Since.Equal(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)) || !slices.Equal(q.IDs, []string{"bBench06-Aa", "uBox11Acme1"}) {
		t.Errorf("query watermark %+v", q)
	}
	if b.Used != rc.Count("/search?")*100+(rc.Count()-rc.Count("/search?")) {
		t.Errorf("budget used %d for %d requests", b.Used, rc.Count())
	}
	for _, p := range posts {
		if p.Network != Network || p.Published.IsZero() || p.Published.Location() != time.UTC || p.URL == "" {
			t.Errorf("bad post %+v", p)
		}
	}
}

func TestCursorResume(t *testing.T) {
	base, rc := serve(t, fake(youtubefake.Options{}))
	ctx := context.Background()
	first, cur, err := New(fullConfig(base), fetcher(), clock, nil).Fetch(ctx, nil)
	if err != nil || len(first) < 20 {
		t.Fatalf("first: %d posts, %v", len(first), err)
	}
	resolves := rc.Count("forHandle=")
	// A new Source (restart) with the saved cursor: nothing new.
	again, cur2, err := New(fullConfig(base), fetcher(), clock, nil).Fetch(ctx, cur)
	if err != nil || len(again) != 0 {
		t.Fatalf("second fetch: %d posts (%v), want none: %+v", len(again), err, again)
	}
	if rc.Count("forHandle=") != resolves {
		t.Error("handle resolved again despite the cursor")
	}

	// A video lands in the newest second seen, and a comment on a followed video.
	fsys := withExtra(t)
	base2, _ := serve(t, youtubefake.New(youtubefake.Options{FS: fsys, APIKey: key}))
	got, cur3, err := New(fullConfig(base2), fetcher(), clock, nil).Fetch(ctx, cur2)
	ids := listenertest.ByID(got)
	if err != nil || len(got) != 2 || ids["nEw17AcmeXx"].Title != "Acme X2 teardown" || ids["UgzNewC0mment1Xx9AaABAg"].ReplyTo != "bBench06-Aa" {
		t.Fatalf("new items: %+v %v", got, err)
	}
	if got, _, err := New(fullConfig(base2), fetcher(), clock, nil).Fetch(ctx, cur3); err != nil || len(got) != 0 {
		t.Fatalf("after new items: %d, %v", len(got), err)
	}
}

func TestSkipCommentsAndLookback(t *testing.T) {
	base, rc := serve(t, fake(youtubefake.Options{}))
	cfg := fullConfig(base)
	cfg.SkipComments, cfg.Lookback = true, 0 // default 72h: from 2026-11-23T12:00Z
	posts, next, err := New(cfg, fetcher(), clock, nil).Fetch(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if p.Published.Before(now.Add(-DefaultLookback)) || strings.HasPrefix(p.NativeID, "Ug") {
			t.Errorf("post %s %s outside lookback or a comment", p.NativeID, p.Published)
		}
	}
	var cur cursor
	if err := json.Unmarshal(next, &cur); err != nil {
		t.Fatal(err)
	}
	if rc.Count("commentThreads") != 0 || len(cur.Videos) != 0 {
		t.Errorf("comments fetched with SkipComments: %d", rc.Count("commentThreads"))
	}
	if _, ok := listenertest.ByID(posts)["q4PriceAc03"]; ok {
		t.Error("video older than lookback returned")
	}
}
