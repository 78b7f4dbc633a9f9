package webcrawl

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/andybalholm/cascadia"

	"github.com/earshot/earshot/listener/faults"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/webcrawl/sitefake"
)

// faultySite is the fake forum served through a fault handler.
func faultySite(t *testing.T) (*faults.Handler, string) {
	t.Helper()
	fh := faults.Wrap(sitefake.New(sitefake.Options{}), faults.Plan{})
	srv := httptest.NewServer(fh)
	t.Cleanup(srv.Close)
	return fh, srv.URL
}

// Every page, robots.txt included, cut at some point, then the whole site:
// each post is returned once under its one permalink, and the moderators'
// page (disallowed by robots.txt, marked noindex) never is.
func TestTruncatedPagesOneIdentity(t *testing.T) {
	fh, base := faultySite(t)
	healthy, _, err := fetch(t, forumConfig(base), nil)
	if err != nil || len(healthy) != 14 {
		t.Fatalf("healthy: %d posts, %v", len(healthy), err)
	}
	want := listenertest.ByID(healthy)
	for keep := 0.1; keep < 0.95; keep += 0.05 {
		t.Run(fmt.Sprintf("keep_%.2f", keep), func(t *testing.T) {
			fh.Set(faults.Plan{Kind: faults.Truncate, Keep: keep})
			first, cur, err := fetch(t, forumConfig(base), nil)
			if err != nil {
				t.Fatal(err)
			}
			fh.Set(faults.Plan{})
			second, _, err := fetch(t, forumConfig(base), cur)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, p := range append(first, second...) {
				got[p.NativeID]++
				if _, ok := want[p.NativeID]; !ok {
					t.Errorf("%s returned: not a post of a healthy crawl", p.NativeID)
				}
			}
			for id := range want {
				if got[id] != 1 {
					t.Errorf("%s returned %d times, want once", id, got[id])
				}
			}
		})
	}
}

// Items dated 1970 (a CMS's "no date") are undated, not older than the
// lookback: dated by the element's text when it holds a date, else the
// fetch time, estimated; never lost.
func TestEpochDatesUndated(t *testing.T) {
	fh, base := faultySite(t)
	healthy, _, err := fetch(t, forumConfig(base), nil)
	if err != nil {
		t.Fatal(err)
	}
	fh.Set(faults.Plan{Kind: faults.Rewrite, Rewrite: faults.SetTimes(time.Unix(0, 0))})
	got, cur, err := fetch(t, forumConfig(base), nil)
	if err != nil || len(got) != len(healthy) {
		t.Fatalf("epoch-dated site: %d posts of %d, %v", len(got), len(healthy), err)
	}
	for _, p := range got {
		if p.Published.Before(epochEnd) || (p.PublishedEstimated && !p.Published.Equal(now)) {
			t.Errorf("%s: published %s estimated %v", p.NativeID, p.Published, p.PublishedEstimated)
		}
	}
	fh.Set(faults.Plan{})
	if again, _, err := fetch(t, forumConfig(base), cur); err != nil || len(again) != 0 {
		t.Errorf("after recovery: %d posts, %v; want none", len(again), err)
	}

	sel := &selectors{item: cascadia.MustCompile("div.c"), time: cascadia.MustCompile("time"), loc: time.UTC}
	pageURL, _ := url.Parse("https://forum.example/t/1")
	pg, err := parsePage([]byte(`<div class="c"><time datetime="1970-01-01T00:00:00Z">1 Jan 1970</time>x</div>`+
		`<div class="c"><time>1969-12-31 19:00</time>y</div><div class="c"><time>1999-12-31</time>z</div>`+
		`<div class="c"><time datetime="1970-01-01T00:00:00Z">Nov 25, 2026</time>w</div>`), pageURL, sel, now)
	if err != nil || len(pg.items) != 4 {
		t.Fatalf("%v %+v", err, pg)
	}
	for _, it := range pg.items[:2] {
		if p := it.post; !p.PublishedEstimated || !p.Published.Equal(now) {
			t.Errorf("epoch date kept: %+v", p)
		}
	}
	if p := pg.items[3].post; p.PublishedEstimated || !p.Published.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("an epoch datetime should give way to the date in the text: %+v", p)
	}
	if p := pg.items[2].post; p.PublishedEstimated || !p.Published.Equal(time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a real old date lost: %+v", p)
	}
}

func TestRobotsMeta(t *testing.T) {
	sel := &selectors{item: cascadia.MustCompile("div.c"), loc: time.UTC}
	pageURL, _ := url.Parse("https://forum.example/t/1")
	cases := []struct {
		meta         string
		items, links int
	}{
		{``, 1, 1},
		{`<meta name="robots" content="noindex">`, 0, 1},
		{`<meta name="ROBOTS" content="index, NoFollow">`, 1, 0},
		{`<meta name="robots" content="none">`, 0, 0},
		{`<meta name="googlebot" content="noindex">`, 1, 1},
	}
	for _, c := range cases {
		pg, err := parsePage([]byte(`<html><head>`+c.meta+`</head><body><div class="c">x <a href="/t/2">next</a></div></body></html>`), pageURL, sel, now)
		if err != nil || len(pg.items) != c.items || len(pg.links) != c.links {
			t.Errorf("%q: %d items, %d links (%v); want %d, %d", c.meta, len(pg.items), len(pg.links), err, c.items, c.links)
		}
	}
}
