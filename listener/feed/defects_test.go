package feed

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener"
)

// files serves testdata/<name> at /<name>, with the Content-Type ctypes
// gives it (application/rss+xml otherwise).
func files(t *testing.T, ctypes map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		b, err := os.ReadFile("testdata/" + name)
		if err != nil || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		ct := ctypes[name]
		if ct == "" {
			ct = "application/rss+xml"
		}
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func fetchFiles(t *testing.T, srv *httptest.Server, names ...string) []listener.Post {
	t.Helper()
	var urls []string
	for _, n := range names {
		urls = append(urls, srv.URL+"/"+n)
	}
	ps, next, err := New(Config{URLs: urls, Lookback: 30 * 24 * time.Hour}, fetcher(), clock).Fetch(context.Background(), nil)
	if err != nil || next == nil {
		t.Fatalf("fetch %v: %v", names, err)
	}
	return ps
}

// Two unrelated feeds whose guids are the same numbers: each keeps its 30
// and 10 items (earlier, 10 Korean items were lost as "duplicates" of the
// English blog's).
func TestGUIDScopedToPublisher(t *testing.T) {
	srv := files(t, nil)
	ps := fetchFiles(t, srv, "collide_ko.xml", "collide_en.xml")
	if len(ps) != 40 {
		t.Fatalf("%d posts, want 30 + 10", len(ps))
	}
	ko := find(t, ps, "아크미 배터리 소식 0")
	if ko.NativeID != "news.example.kr#1140700" {
		t.Errorf("scoped id %q", ko.NativeID)
	}
	// The same feed under two URLs (a section feed, a mirror) is still one
	// item per article.
	ps = fetchFiles(t, srv, "collide_ko.xml", "collide_ko.xml?section=2")
	if len(ps) != 30 {
		t.Fatalf("same publisher twice: %d posts, want 30", len(ps))
	}
}

// A cursor saved by an earlier version (bare guids in "seen") still keeps
// every stored item from coming back under its new scoped key.
func TestLegacyCursorNoDuplicates(t *testing.T) {
	srv := files(t, nil)
	u := srv.URL + "/collide_ko.xml"
	var seen []string
	for i := 0; i < 30; i++ {
		seen = append(seen, strings.TrimSpace(strings.Split(strings.Split(mustRead(t, "collide_ko.xml"), "<guid isPermaLink=\"false\">")[i+1], "<")[0]))
	}
	old, _ := json.Marshal(map[string]any{"feeds": map[string]any{u: map[string]any{"seen": seen}}})
	s := New(Config{URLs: []string{u}}, fetcher(), clock)
	ps, next, err := s.Fetch(context.Background(), old)
	if err != nil || len(ps) != 0 {
		t.Fatalf("upgrade returned %d posts again (%v)", len(ps), err)
	}
	ps, _, _ = s.Fetch(context.Background(), next)
	if len(ps) != 0 {
		t.Fatalf("second fetch after upgrade: %d posts", len(ps))
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// An oldest-first feed of 600 items: the newest are read first, the cap
// of one poll is reported, and the rest come in the next poll.
func TestNewestFirstAndReportedCap(t *testing.T) {
	srv := files(t, nil)
	s := New(Config{URLs: []string{srv.URL + "/oldest_first.xml"}, Lookback: 30 * 24 * time.Hour, MaxItems: 500}, fetcher(), clock)
	ps, next, err := s.Fetch(context.Background(), nil)
	warns, fails := listener.SplitWarnings(err)
	if len(ps) != 500 || fails != nil || len(warns) != 1 || !strings.Contains(warns[0], "100 items skipped") {
		t.Fatalf("first poll: %d posts, warnings %q, failures %v", len(ps), warns, fails)
	}
	if ps[0].Title != "Acme changelog 599" || ps[499].Title != "Acme changelog 100" {
		t.Fatalf("not newest first: %q … %q", ps[0].Title, ps[499].Title)
	}
	ps, _, err = s.Fetch(context.Background(), next)
	if len(ps) != 100 || err != nil || ps[0].Title != "Acme changelog 99" {
		t.Fatalf("second poll: %d posts, %v", len(ps), err)
	}
}

// 20 feeds of 480 items each, polled several times as new items arrive:
// the cursor stays far below the store's 1 MiB limit and every new item
// is returned exactly once.
func TestCursorBoundedManyFeeds(t *testing.T) {
	const feeds, perFeedItems, polls = 20, 480, 12
	poll := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>busy</title><link>https://busy.example.com/</link>`)
		// each poll adds 120 items at the top; the feed shows its newest 480
		top := perFeedItems + poll*120
		for i := top - 1; i >= top-perFeedItems; i-- {
			ts := now.Add(-time.Duration(top-i) * time.Minute).Format(time.RFC1123Z)
			b.WriteString(`<item><title>t</title><link>https://busy.example.com` + r.URL.Path + `/a-very-long-article-slug-that-makes-keys-long-` + itoa(i) +
				`?utm_source=rss&amp;utm_medium=feed&amp;utm_campaign=` + strings.Repeat("x", 60) + `</link><pubDate>` + ts + `</pubDate></item>`)
		}
		b.WriteString(`</channel></rss>`)
		_, _ = w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	var urls []string
	for i := range feeds {
		urls = append(urls, srv.URL+"/f"+itoa(i))
	}
	s := New(Config{URLs: urls, Lookback: 30 * 24 * time.Hour}, fetcher(), clock)
	var cur []byte
	var sizes []int
	ids := map[string]bool{}
	for poll = 0; poll < polls; poll++ {
		ps, next, err := s.Fetch(context.Background(), cur)
		if err != nil {
			t.Fatalf("poll %d: %v", poll, err)
		}
		want := feeds * perFeedItems
		if poll > 0 {
			want = feeds * 120
		}
		if len(ps) != want {
			t.Fatalf("poll %d: %d posts, want %d", poll, len(ps), want)
		}
		for _, p := range ps {
			if ids[p.NativeID] {
				t.Fatalf("poll %d: %s returned twice", poll, p.NativeID)
			}
			ids[p.NativeID] = true
		}
		if len(next) >= 1<<20 {
			t.Fatalf("poll %d: cursor %d bytes", poll, len(next))
		}
		sizes = append(sizes, len(next))
		cur = next
	}
	// the records reach their bound (perFeed records per URL) and stay there
	if n := len(sizes); sizes[n-1] != sizes[n-2] || sizes[n-1] > feeds*(perFeed(feeds)*16+200) {
		t.Fatalf("cursor sizes %v: not bounded", sizes)
	}
	t.Logf("cursor bytes per poll: %v", sizes)
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// Legacy encodings: EUC-KR with no XML declaration (charset from HTTP),
// UTF-16 and UTF-32 with byte order marks, Windows-1252 C1 characters and
// one invalid byte: every item is kept.
func TestEncodings(t *testing.T) {
	srv := files(t, map[string]string{"euckr_nodecl.xml": "text/xml; charset=EUC-KR"})
	for _, name := range []string{"euckr_nodecl.xml", "utf16le_bom.xml", "utf32be_bom.xml"} {
		ps := fetchFiles(t, srv, name)
		if len(ps) != 2 {
			t.Fatalf("%s: %d posts", name, len(ps))
		}
		p := find(t, ps, "아크미 신제품 출시")
		if p.Text != "아크미가 새 배터리를 내놨다" || p.Lang != "ko" {
			t.Errorf("%s: %+v", name, p)
		}
	}
	ps := fetchFiles(t, srv, "c1_invalid.xml")
	if len(ps) != 25 {
		t.Fatalf("c1_invalid: %d of 25 posts", len(ps))
	}
	p := find(t, ps, "Acme review 3:")
	if p.Title != "Acme review 3: we don’t regret it" || p.Text != "“Great battery” – says reviewer 3" {
		t.Errorf("C1 not mapped: %q / %q", p.Title, p.Text)
	}
	if p := find(t, ps, "Acme review 7:"); p.Text != "“Great battery” – says reviewer \uFFFD7" {
		t.Errorf("invalid byte: %q", p.Text)
	}
}

// Summary and content are both kept (a brand only in the summary is
// matched), an unclosed <object> hides nothing, relative links resolve
// against the feed, and an excerpt of the content is not repeated.
func TestTextParts(t *testing.T) {
	srv := files(t, nil)
	ps := fetchFiles(t, srv, "text_parts.xml")
	p := find(t, ps, "Weekly roundup")
	for _, want := range []string{"Globex phones get cheaper", "This week in gadgets", "Video: the Initech teardown", "More at about us."} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text lacks %q: %q", want, p.Text)
		}
	}
	if p.URL != "https://gadgets.example.com/blog/posts/weekly-48" || p.NativeID != "gadgets.example.com#wk48" {
		t.Errorf("relative link: url %q id %q", p.URL, p.NativeID)
	}
	if strings.Join(p.Links, " ") != "https://gadgets.example.com/reviews/phones https://gadgets.example.com/blog/about" {
		t.Errorf("links %q", p.Links)
	}
	if x := find(t, ps, "Excerpt only"); x.Text != "Acme batteries last long, as our tests show." {
		t.Errorf("excerpt repeated: %q", x.Text)
	}
}

// Named zones and Korean date forms; an undated item is marked estimated.
func TestKoreanDates(t *testing.T) {
	srv := files(t, nil)
	ps := fetchFiles(t, srv, "kst_dates.xml")
	kst := time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC)
	want := map[string]time.Time{
		"KST named": kst, "JST named": kst, "dotted": kst, "dashed with zone": kst,
		"dashed zoneless": kst, // the feed is Korean: a zoneless time is Korean time
		"EST named":       time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC),
		"no date":         now,
	}
	for title, w := range want {
		p := find(t, ps, title)
		if !p.Published.Equal(w) || p.PublishedEstimated != (title == "no date") {
			t.Errorf("%s: %v (estimated %v), want %v", title, p.Published, p.PublishedEstimated, w)
		}
	}
	// outside a Korean feed a zoneless time is UTC
	if got, ok := fixDate("2026-12-04 10:00:00", nil, "en"); !ok || !got.Equal(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("zoneless en: %v %v", got, ok)
	}
	if _, ok := fixDate("2026. 13. 04 10:00", nil, "ko"); ok {
		t.Error("month 13 accepted")
	}
}

func TestDefaultMaxItemsIsConfigs(t *testing.T) {
	if DefaultMaxItems != config.DefaultFeedMaxItems {
		t.Fatalf("feed default %d, config default %d", DefaultMaxItems, config.DefaultFeedMaxItems)
	}
}
