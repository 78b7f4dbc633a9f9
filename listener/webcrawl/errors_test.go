package webcrawl

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/webcrawl/sitefake"
)

func TestPaginationMaxPages(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	cfg.FollowPattern = `\?page=\d+$`
	cfg.MaxPages = 2
	ps, _, err := fetch(t, cfg, nil)
	if err != nil || len(ps) != 11 {
		t.Fatalf("%d posts, %v", len(ps), err)
	}
	hits := srv.take()
	if hits["/"] != 1 || hits["/?page=2"] != 1 || hits["/?page=3"] != 0 {
		t.Errorf("hits %v", hits)
	}
}

func TestRobotsDisallowedStart(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	cfg.StartURLs = []string{srv.URL + "/private/reports.html"}
	ps, cur, err := fetch(t, cfg, nil)
	if !errHas(err, "disallowed by robots.txt") || ps != nil || cur != nil {
		t.Fatalf("posts %d cursor %s err %v", len(ps), cur, err)
	}
	if srv.take()["/private/reports.html"] != 0 {
		t.Error("disallowed page requested")
	}
}

func TestSlowPageSkipped(t *testing.T) {
	srv := newSite(t, sitefake.Options{SlowPath: "/?page=2", SlowDelay: time.Minute})
	cfg := forumConfig(srv.URL)
	cfg.FollowPattern = `\?page=\d+$`
	cfg.RequestTimeout = 300 * time.Millisecond
	ps, cur, err := fetch(t, cfg, nil)
	if len(ps) != 9 || cur == nil {
		t.Fatalf("%d posts (want pages 1 and 3), cursor %s", len(ps), cur)
	}
	if !errHas(err, srv.URL+"/?page=2") || errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	// The skipped page is not in the cursor: the next fetch tries it again.
	srv.set("/?page=2", serveHTML(fixture(t, "page2.html")))
	ps, _, err = fetch(t, cfg, cur)
	if err != nil || len(ps) != 5 {
		t.Fatalf("retry: %d posts, %v", len(ps), err)
	}
}

func TestBodyCap(t *testing.T) {
	big := "<html><body>" + strings.Repeat("<p>padding padding padding</p>", 4000) + "</body></html>"
	for _, chunked := range []bool{false, true} {
		t.Run("chunked="+strconv.FormatBool(chunked), func(t *testing.T) {
			srv := newSite(t, sitefake.Options{})
			srv.set("/?page=3", func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				if !chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(big)))
					_, _ = w.Write([]byte(big))
					return
				}
				for i := 0; i < len(big); i += 4096 {
					_, _ = w.Write([]byte(big[i:min(i+4096, len(big))]))
					w.(http.Flusher).Flush()
				}
			})
			cfg := forumConfig(srv.URL)
			cfg.FollowPattern = `\?page=\d+$`
			cfg.MaxBody = 32 << 10
			ps, cur, err := fetch(t, cfg, nil)
			if !errHas(err, "body larger than 32768 bytes") || !errHas(err, "?page=3") || len(ps) != 11 || cur == nil {
				t.Fatalf("%d posts, err %v", len(ps), err)
			}
		})
	}
}

func TestAllowedDomains(t *testing.T) {
	var offHits atomic.Int32
	off := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		offHits.Add(1)
		serveHTML(`<html><body><article class="post"><h2><a href="/x">Off-site Acme</a></h2></article></body></html>`)(w, nil)
	}))
	defer off.Close()
	srv := newSite(t, sitefake.Options{})
	index := fixture(t, "index.html")
	srv.set("/", serveHTML(strings.Replace(index, "<main>", `<main><a href="`+off.URL+`/?page=9">partner forum</a>`, 1)))
	cfg := forumConfig(srv.URL)
	cfg.FollowPattern = `\?page=\d+$`
	// Same hostname, another port: not the start URL's host.
	ps, _, err := fetch(t, cfg, nil)
	if err != nil || len(ps) != 14 || offHits.Load() != 0 {
		t.Fatalf("%d posts, %v, off-site hits %d", len(ps), err, offHits.Load())
	}
	// A bare hostname allows every port.
	cfg.AllowedDomains = []string{"127.0.0.1"}
	ps, _, err = fetch(t, cfg, nil)
	if err != nil || len(ps) != 15 || offHits.Load() != 2 { // its robots.txt and the page
		t.Fatalf("%d posts, %v, off-site hits %d", len(ps), err, offHits.Load())
	}
}

func TestCancelStopsCrawl(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv.set("/?page=2", func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	cfg := forumConfig(srv.URL)
	cfg.FollowPattern = `\?page=\d+$`
	ps, cur, err := New(cfg, clock, zerolog.Nop()).Fetch(ctx, nil)
	if !errors.Is(err, context.Canceled) || len(ps) != 6 || cur == nil {
		t.Fatalf("%d posts, cursor %s, err %v", len(ps), cur, err)
	}
	if hits := srv.take(); hits["/?page=3"] != 0 {
		t.Errorf("crawl went on after cancel: %v", hits)
	}
	// Already cancelled: nothing is requested.
	if _, cur, err := New(cfg, clock, zerolog.Nop()).Fetch(ctx, nil); !errors.Is(err, context.Canceled) || cur != nil || len(srv.take()) != 0 {
		t.Errorf("cancelled fetch: %v", err)
	}
}

func TestHTTPErrors(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	cfg.FollowPattern = ""
	cases := []struct {
		path  string
		code  int
		retry time.Duration
		msg   string
	}{
		{"/busy", 429, 2 * time.Minute, "crawling too fast"},
		{"/down", 503, 0, "503 Service Temporarily Unavailable"},
		{"/members/inbox.html", 401, 0, "needs a login"},
		{"/posts/no-such-post.html", 404, 0, "404"},
	}
	for _, c := range cases {
		cfg.StartURLs = []string{srv.URL + c.path}
		ps, cur, err := fetch(t, cfg, nil)
		var he *listener.HTTPError
		if !errors.As(err, &he) || he.StatusCode != c.code || he.RetryAfter != c.retry || !errHas(err, c.msg) || ps != nil || cur != nil {
			t.Errorf("%s: %v", c.path, err)
		}
	}
	// Partial success: the good start page's posts and cursor, with the error.
	cfg.StartURLs = []string{srv.URL + "/", srv.URL + "/busy"}
	ps, cur, err := fetch(t, cfg, nil)
	var he *listener.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 429 || len(ps) != 6 || cur == nil {
		t.Fatalf("partial: %d posts, %v", len(ps), err)
	}
	if !strings.Contains(string(cur), srv.URL+"/\"") || strings.Contains(string(cur), "/busy") {
		t.Errorf("cursor must advance only the good page: %s", cur)
	}
}

func TestMalformedPage(t *testing.T) {
	srv := newSite(t, sitefake.Options{})
	cfg := forumConfig(srv.URL)
	cfg.StartURLs = []string{srv.URL + "/broken.html"}
	cfg.FollowPattern = ""
	ps, _, err := fetch(t, cfg, nil)
	if err != nil || len(ps) < 2 {
		t.Fatalf("%d posts, %v", len(ps), err)
	}
	first := ps[0]
	if first.NativeID != srv.URL+"/broken.html#broken-1" || first.AuthorName != "익명 사용자" || !first.PublishedEstimated ||
		!contains(first.Links, "https://acme.example/refunds") || first.Lang != "ko" || !strings.HasPrefix(first.Text, "아크미 충전기가 뜨거워요 정말로") {
		t.Errorf("broken item %+v", first)
	}
	for _, p := range ps {
		for _, l := range p.Links {
			if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
				t.Errorf("link %q kept", l)
			}
		}
		if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Title) || strings.Contains(p.NativeID, "javascript") {
			t.Errorf("post %+v", p)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	base := forumConfig("http://127.0.0.1:1")
	cases := map[string]func(c *Config){
		"no start urls":             func(c *Config) { c.StartURLs = nil },
		"want an absolute":          func(c *Config) { c.StartURLs = []string{"ftp://x/"} },
		"item_selector is required": func(c *Config) { c.ItemSelector = "" },
		"title_selector":            func(c *Config) { c.TitleSelector = "h2[" },
		"follow_pattern":            func(c *Config) { c.FollowPattern = "(" },
	}
	for want, mod := range cases {
		c := base
		mod(&c)
		if _, _, err := fetch(t, c, nil); !errHas(err, want) {
			t.Errorf("%s: %v", want, err)
		}
	}
	if _, _, err := fetch(t, base, []byte("{")); !errHas(err, "bad cursor") {
		t.Errorf("bad cursor: %v", err)
	}
}
