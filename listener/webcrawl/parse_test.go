package webcrawl

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/cascadia"

	"github.com/earshot/earshot/listener/webcrawl/sitefake"
)

func TestParseTime(t *testing.T) {
	kst := time.FixedZone("KST", 9*3600)
	cases := []struct {
		in     string
		layout string
		loc    *time.Location
		want   time.Time
	}{
		{"2026-11-20T10:30:00Z", "", nil, time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC)},
		{"2026-11-20T10:30:00+09:00", "", nil, time.Date(2026, 11, 20, 1, 30, 0, 0, time.UTC)},
		{"Fri, 20 Nov 2026 10:30:00 GMT", "", nil, time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC)},
		{"Fri, 20 Nov 2026 10:30:00 +0100", "", nil, time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)},
		{"2026-11-20", "", nil, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		{"2026.11.20", "", nil, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		{"2026-11-20 15:04", "", nil, time.Date(2026, 11, 20, 15, 4, 0, 0, time.UTC)},
		{"2026년 11월 2일", "", nil, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)},
		{"2026년 11월 20일", "", kst, time.Date(2026, 11, 19, 15, 0, 0, 0, time.UTC)},
		{"2026년 11월 17일 오후 3:04", "", nil, time.Date(2026, 11, 17, 15, 4, 0, 0, time.UTC)},
		{"2026. 11. 22.", "", nil, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)},
		{"  Nov 21,\n 2026 ", "", nil, time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)},
		{"Posted on 2026-11-19 by admin", "", nil, time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)},
		{"작성일 2026.11.18 09:15", "", nil, time.Date(2026, 11, 18, 9, 15, 0, 0, time.UTC)},
		{"20/11/2026 08:00", "02/01/2006 15:04", nil, time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)},
		{"3 hours ago", "", nil, now.Add(-3 * time.Hour)},
		{"an hour ago", "", nil, now.Add(-time.Hour)},
		{"5분 전", "", nil, now.Add(-5 * time.Minute)},
		{"2일 전", "", nil, now.Add(-48 * time.Hour)},
	}
	for _, c := range cases {
		got, ok := parseTime(c.in, c.layout, c.loc, now)
		if !ok || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"", "yesterday-ish", "2026-13-45", "어제", strings.Repeat("9", 300), "\xff\xfe"} {
		if got, ok := parseTime(bad, "", nil, now); ok {
			t.Errorf("parseTime(%q) = %v, want failure", bad, got)
		}
	}
}

func TestPermalinkFallbacks(t *testing.T) {
	pageURL, _ := url.Parse("https://forum.example/t/42")
	sel := &selectors{item: cascadia.MustCompile("div.c"), link: cascadia.MustCompile("a.perma"), loc: time.UTC}
	body := `<div class="c" id="c-1"><a class="perma" href="/t/42#c-1">#</a>one</div>
<div class="c" id="c-2"><a class="perma" href="/t/42#c-2">#</a>two</div>
<div class="c">three</div>`
	pg, err := parsePage([]byte(body), pageURL, sel, now)
	// The third item has no permalink while its siblings have: left out,
	// not given a second, positional identity.
	if err != nil || len(pg.items) != 2 {
		t.Fatalf("%v %d", err, len(pg.items))
	}
	want := []string{"https://forum.example/t/42", "https://forum.example/t/42#c-2"}
	for i, it := range pg.items {
		if it.post.NativeID != want[i] {
			t.Errorf("item %d id %q, want %q", i, it.post.NativeID, want[i])
		}
	}
	// Where no item has a permalink, the element id, else the position.
	pg, err = parsePage([]byte(`<div class="c" id="c-1">one</div><div class="c">two</div>`), pageURL, sel, now)
	if err != nil || len(pg.items) != 2 || pg.items[0].post.NativeID != "https://forum.example/t/42#c-1" ||
		pg.items[1].post.NativeID != "https://forum.example/t/42#item-2" {
		t.Errorf("fallback ids: %v %+v", err, pg.items)
	}
	// A page holding a single item is that item's own page.
	pg, _ = parsePage([]byte(`<div class="c">only</div>`), pageURL, sel, now)
	if len(pg.items) != 1 || pg.items[0].post.NativeID != "https://forum.example/t/42" || !pg.items[0].ownPage {
		t.Errorf("single item %+v", pg.items)
	}
}

func TestParallelCrawl(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	cfg.Parallelism = 3
	cfg.Delay = time.Millisecond
	ps, cur, err := fetch(t, cfg, nil)
	if err != nil || len(ps) != 14 || cur == nil {
		t.Fatalf("%d posts, %v", len(ps), err)
	}
	if hits := srv.take(); hits["/private/reports.html"] != 0 || hits["/posts/welcome.html"] != 1 {
		t.Errorf("hits %v", hits)
	}
}
