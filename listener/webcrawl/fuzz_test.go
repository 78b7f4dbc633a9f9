package webcrawl

import (
	"io/fs"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/earshot/earshot/listener/webcrawl/sitefake"
	"github.com/rs/zerolog"
)

// FuzzWebDecode feeds arbitrary pages to the page decoder: it must not
// panic, and every post must have an id and only absolute http(s) links.
func FuzzWebDecode(f *testing.F) {
	for _, name := range []string{"index.html", "page2.html", "broken.html", "posts/acme-support-re-x2-swelling.html"} {
		b, err := fs.ReadFile(sitefake.Recordings(), "testdata/site/"+name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<article class="post"><time datetime="9999-99-99">어제</time><h2><a href="//[::1">x</a></h2></article>`))
	f.Add([]byte("<base href=\"javascript:x\"><article class=post><a href=\"\x00\">"))
	s := New(forumConfig("https://forum.example"), clock, zerolog.Nop())
	p, err := s.compile()
	if err != nil {
		f.Fatal(err)
	}
	pageURL, _ := url.Parse("https://forum.example/")
	f.Fuzz(func(t *testing.T, body []byte) {
		pg, err := parsePage(body, pageURL, &p.sel, now)
		if err != nil {
			return
		}
		for _, it := range pg.items {
			q := it.post
			if q.NativeID == "" || q.URL != q.NativeID || !utf8.ValidString(q.Title) || !utf8.ValidString(q.Text) || q.Published.IsZero() {
				t.Fatalf("bad post %+v", q)
			}
			for _, l := range q.Links {
				if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
					t.Fatalf("link %q", l)
				}
			}
		}
		for _, l := range pg.links {
			if l.Scheme != "http" && l.Scheme != "https" {
				t.Fatalf("link %v", l)
			}
		}
	})
}
