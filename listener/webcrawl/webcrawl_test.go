package webcrawl

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/webcrawl/sitefake"
)

func TestCrawlForum(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	cfg.Accounts = []listener.Account{{Brand: "Acme", Handle: "acme"}, {Brand: "Globex", Handle: "globex.example"}}
	ps, next, err := fetch(t, cfg, nil)
	if err != nil || next == nil {
		t.Fatalf("fetch: %v", err)
	}
	if len(ps) != 14 {
		for _, p := range ps {
			t.Log(p.NativeID)
		}
		t.Fatalf("%d posts, want 14", len(ps))
	}
	hits := srv.take()
	if hits["/private/reports.html"] != 0 {
		t.Error("robots.txt ignored: /private/ was crawled")
	}
	if hits["/robots.txt"] != 1 || hits["/"] != 1 || hits["/?page=3"] != 1 || hits["/posts/welcome.html"] != 1 {
		t.Errorf("hits %v", hits)
	}
	if len(srv.uas) != 1 || !srv.uas[testUA] {
		t.Errorf("user agents %v", srv.uas)
	}
	m := listenertest.ByID(ps)
	post := func(slug string) listener.Post {
		t.Helper()
		p, ok := m[srv.URL+"/posts/"+slug+".html"]
		if !ok {
			t.Fatalf("no post %s", slug)
		}
		if p.Network != "web" || p.URL != p.NativeID || !utf8.ValidString(p.Text) || p.Published.Location() != time.UTC {
			t.Errorf("post %+v", p)
		}
		return p
	}
	reply := post("acme-support-re-x2-swelling")
	if reply.ReplyTo != srv.URL+"/posts/pack-swelling-acme-x2.html" || !reply.Owned || reply.OwnedBrand != "Acme" ||
		reply.Author != "acme" || reply.AuthorName != "Acme Support" || reply.Lang != "en" {
		t.Errorf("reply %+v", reply)
	}
	// The firmware link and the second paragraph are only on the item's own page.
	if !contains(reply.Links, "https://acme.example/support?ref=forum") || !contains(reply.Links, "https://acme.example/firmware/4.1.2") ||
		len(reply.Links) != 2 {
		t.Errorf("links %q", reply.Links)
	}
	if reply.Text != "Hi Dana — sorry about this. Please stop charging the X2 and open a ticket at acme.example/support.\n\nWe'll ship a replacement pack within 48\u00a0hours. Firmware 4.1.2 (out today) fixes the charge-curve bug: release notes." &&
		reply.Text != "Hi Dana — sorry about this. Please stop charging the X2 and open a ticket at acme.example/support.\n\nWe'll ship a replacement pack within 48 hours. Firmware 4.1.2 (out today) fixes the charge-curve bug: release notes." {
		t.Errorf("text %q", reply.Text)
	}
	if !reply.Published.Equal(time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)) || reply.PublishedEstimated {
		t.Errorf("published %v", reply.Published)
	}
	if p := post("globex-price-hike-2027"); p.Lang != "ko" || !p.Published.Equal(time.Date(2026, 11, 24, 18, 10, 0, 0, time.UTC)) ||
		p.Title != "글로벡스 요금 인상 공지 정리 (2027년 1월부터)" || p.Owned {
		t.Errorf("korean post %+v", p)
	}
	if p := post("acme-x2-one-month"); p.Author != "초보캠퍼" || p.AuthorName != "초보캠퍼" ||
		!p.Published.Equal(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)) || p.PublishedEstimated {
		t.Errorf("korean dotted date %+v", p)
	}
	if p := post("initech-support-unreachable"); !p.Published.Equal(time.Date(2026, 11, 20, 19, 30, 0, 0, time.UTC)) {
		t.Errorf("dotted date with time %v", p.Published)
	}
	if p := post("balcony-solar-budget"); !p.Published.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("korean date %v", p.Published)
	}
	if p := post("winter-battery-tips"); !p.PublishedEstimated || !p.Published.Equal(now) || !contains(p.Links, srv.URL+"/wiki/cold-charging") {
		t.Errorf("undated post %+v", p)
	}
	if p := post("initech-outage-no-connection"); p.Title != `Initech outage? App says "no connection" since Monday` || len(p.Links) != 2 {
		t.Errorf("entities / links %+v", p)
	}
	// Globex's own site is an account by host: nothing here is on it.
	if p := post("globex-home10-firmware-3-2"); p.Owned || p.Author != "globex" {
		t.Errorf("globex team post %+v", p)
	}
	var cur cursor
	if err := json.Unmarshal(next, &cur); err != nil || len(cur.Items) != 14 || !cur.Pages[srv.URL+"/posts/welcome.html"].Item || cur.Pages[srv.URL+"/"].Item {
		t.Errorf("cursor %s (%v)", next, err)
	}
}

func TestCursorResume(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	first, cur, err := fetch(t, cfg, nil)
	if err != nil || len(first) != 14 {
		t.Fatalf("first fetch: %d posts, %v", len(first), err)
	}
	srv.take()
	// A restart: a new Source with the saved cursor finds nothing new and
	// fetches only the start and listing pages.
	again, cur2, err := fetch(t, cfg, cur)
	if err != nil || len(again) != 0 || cur2 == nil {
		t.Fatalf("second fetch: %d posts, %v", len(again), err)
	}
	hits := srv.take()
	delete(hits, "/robots.txt")
	if len(hits) != 3 || hits["/"] != 1 || hits["/?page=2"] != 1 || hits["/?page=3"] != 1 {
		t.Errorf("second fetch requested %v, want only the listing pages", hits)
	}

	// A new item appears on page 1: returned once, with its own page read.
	slug := "acme-x3-launch"
	art := `<article class="post" id="post-` + slug + `">
  <h2><a href="posts/` + slug + `.html">Acme X3 announced</a></h2>
  <p class="meta">by <a class="author" href="users/newsbot">newsbot</a> &middot; <time datetime="2026-11-26T08:00:00Z">today</time></p>
  <div class="body"><p>Acme unveiled the X3 battery.</p></div>
</article>
`
	index := fixture(t, "index.html")
	at := len(`<main>`) + indexOf(index, `<main>`) + 1
	srv.set("/", serveHTML(index[:at]+art+index[at:]))
	srv.set("/posts/"+slug+".html", serveHTML(`<html><body><article class="post"><h2><a href="`+slug+`.html">Acme X3 announced</a></h2><time datetime="2026-11-26T08:00:00Z"></time><div class="body"><p>Acme unveiled the X3 battery. Pricing: <a href="https://acme.example/x3">x3</a></p></div></article></body></html>`))
	got, cur3, err := fetch(t, cfg, cur2)
	if err != nil || len(got) != 1 {
		t.Fatalf("third fetch: %d posts, %v", len(got), err)
	}
	if p := got[0]; p.NativeID != srv.URL+"/posts/"+slug+".html" || p.Title != "Acme X3 announced" || p.Author != "newsbot" ||
		!contains(p.Links, "https://acme.example/x3") || p.Text != "Acme unveiled the X3 battery. Pricing: x3" {
		t.Errorf("new post %+v", p)
	}
	if hits := srv.take(); hits["/posts/"+slug+".html"] != 1 {
		t.Errorf("new item page not read once: %v", hits)
	}
	if got, _, err := fetch(t, cfg, cur3); err != nil || len(got) != 0 {
		t.Fatalf("fourth fetch: %d posts, %v", len(got), err)
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestLookbackOnFirstFetch(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	cfg.Lookback = 72 * time.Hour
	cfg.FollowPattern = `\?page=\d+$`
	ps, cur, err := fetch(t, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Since 2026-11-23T12:00Z: four dated items of page 1, plus the undated one of page 2.
	if len(ps) != 5 {
		for _, p := range ps {
			t.Log(p.NativeID, p.Published)
		}
		t.Fatalf("%d posts, want 5", len(ps))
	}
	var c cursor
	if err := json.Unmarshal(cur, &c); err != nil || len(c.Items) != 14 || !c.Last.Equal(now) {
		t.Errorf("old items must be recorded as seen: %s", cur)
	}
}

func TestOwnedBrandSite(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	cfg.FollowPattern = ""
	cfg.OwnedBrand = "Acme"
	ps, _, err := fetch(t, cfg, nil)
	if err != nil || len(ps) != 6 {
		t.Fatalf("%d posts, %v", len(ps), err)
	}
	for _, p := range ps {
		if !p.Owned || p.OwnedBrand != "Acme" {
			t.Errorf("not owned: %+v", p)
		}
	}
}

func TestShiftedSite(t *testing.T) {
	srv := newSite(t, sitefake.Options{Shift: 48 * time.Hour})
	cfg := forumConfig(srv.URL)
	cfg.FollowPattern = ""
	ps, _, err := fetch(t, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := listenertest.ByID(ps)
	if p := m[srv.URL+"/posts/acme-x2-one-month.html"]; !p.Published.Equal(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("shifted korean date %v", p.Published)
	}
	if p := m[srv.URL+"/posts/pack-swelling-acme-x2.html"]; !p.Published.Equal(time.Date(2026, 11, 26, 21, 5, 0, 0, time.UTC)) {
		t.Errorf("shifted datetime %v", p.Published)
	}
}
