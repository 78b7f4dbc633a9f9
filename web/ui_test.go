package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestSearchPageFiltersFacetsAndPaging(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), "", nil)
	rec, body := get(t, s, "/?q=battery&brand=Globex")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if hits := strings.Join(hitIDs(t, body), ","); hits != "hackernews:41234600,hackernews:41234567" {
		t.Errorf("hits = %v, want the two Globex battery mentions, best first", hits)
	}
	mustContain(t, body,
		`<mark>battery</mark>`, // highlight kept as markup
		`1–2 of 2 mention(s)`,
		`<option value="Globex" selected>Globex</option>`,
		`href="https://news.ycombinator.com/item?id=41234600"`,
		`/api/export?brand=Globex&amp;format=csv&amp;q=battery`,
	)
	// Facet counts cover the whole result: every Globex mention, Acme on 2 of the 3.
	_, all := get(t, s, "/?brand=Globex")
	if !regexpFacet(all, "Acme", "2") || !regexpFacet(all, "Globex", "3") || !regexpFacet(all, "naver", "1") {
		t.Errorf("facet counts wrong in %s", section(all, `class="facets"`))
	}
	// Interactions, never views; a network that gives no counts says so
	// rather than 0 (the TechCrunch feed item).
	_, acme := get(t, s, "/?brand=Acme")
	if !regexp.MustCompile(`class="eng"[^>]*>281 interactions</span>`).MatchString(acme) ||
		!strings.Contains(acme, `>no interaction counts</span>`) || strings.Contains(acme, " engagement</span>") {
		t.Errorf("interaction labels wrong in %s", section(acme, `class="hits"`))
	}
	// Paging: size 2 → page 2 holds the third hit and links back.
	_, p1 := get(t, s, "/?brand=Globex&sort=newest&size=2")
	_, p2 := get(t, s, "/?brand=Globex&sort=newest&size=2&page=2")
	h1, h2 := hitIDs(t, p1), hitIDs(t, p2)
	if len(h1) != 2 || len(h2) != 1 || h1[0] != "hackernews:41234567" || h2[0] != "naver:blog-223344" {
		t.Errorf("pages = %v / %v", h1, h2)
	}
	mustContain(t, p1, `rel="next"`)
	mustContain(t, p2, `rel="prev"`, `3–3 of 3`)
	// Sort by engagement: the own post (281) first.
	_, eng := get(t, s, "/?q=battery&sort=engagement")
	if h := hitIDs(t, eng); len(h) == 0 || h[0] != "mastodon:1133557799" {
		t.Errorf("engagement sort = %v", h)
	}
	// Sentiment filter.
	_, neg := get(t, s, "/?sentiment=negative")
	if h := hitIDs(t, neg); len(h) != 3 {
		t.Errorf("negative = %v, want 3", h)
	}
	// Korean query finds the word with a particle.
	_, ko := get(t, s, "/?q="+url.QueryEscape("아크미"))
	if h := hitIDs(t, ko); len(h) != 1 || h[0] != "naver:blog-223344" {
		t.Errorf("아크미 = %v", h)
	}
}

func TestSearchPageMalformedQuery(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), "", nil)
	rec, body := get(t, s, "/?q="+url.QueryEscape("(battery OR"))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status %d, want 400", rec.Code)
	}
	mustContain(t, body, `id="q-error" class="error" role="alert"`, `q: `, `class="errat"`, `aria-invalid="true"`)
	if strings.Contains(body, `id="q-error" class="error" role="alert" aria-live="assertive" hidden`) {
		t.Error("error box hidden")
	}
	rec, body = get(t, s, "/?brand=Umbrella")
	if rec.Code != 400 || !strings.Contains(body, "brand: unknown value") {
		t.Errorf("unknown brand: %d", rec.Code)
	}
}

// TestHostileMentionIsInert renders the XSS fixture and checks the DOM:
// no script but ours, no event attributes, no javascript: links, <mark>
// without attributes.
func TestHostileMentionIsInert(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), "", nil)
	for _, target := range []string{"/?q=xssprobe", "/?q=acme", "/?brand=Acme&sort=newest", "/sources"} {
		rec, body := get(t, s, target)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		if target == "/?q=xssprobe" {
			if h := hitIDs(t, body); len(h) != 1 {
				t.Fatalf("xss fixture not found: %v", h)
			}
			mustContain(t, body, "&lt;script&gt;window.__xss=1&lt;/script&gt;", "&lt;img src=x onerror=", "&lt;mark onclick=", "&lt;svg onload=", "no safe link")
		}
		checkInert(t, target, body)
	}
}

func checkInert(t *testing.T, target, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				if attr(n, "src") != "/static/app.js" || n.FirstChild != nil {
					t.Errorf("%s: foreign script element %v", target, n.Attr)
				}
			case "img", "svg", "iframe", "object", "embed", "b", "i":
				t.Errorf("%s: injected <%s> element", target, n.Data)
			case "mark":
				if len(n.Attr) != 0 {
					t.Errorf("%s: <mark> with attributes %v", target, n.Attr)
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: event attribute %s=%q on <%s>", target, a.Key, a.Val, n.Data)
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.Contains(strings.ToLower(a.Val), "javascript:") {
					t.Errorf("%s: javascript URL in %s", target, a.Key)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func TestSourcesPage(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), "", nil)
	rec, body := get(t, s, "/sources")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	mustContain(t, body,
		`id="config-error"`, "brand[0].name: must not be empty",
		`<span class="state bad">failing</span> <span class="hint">(3 in a row)</span>`,
		`<span class="state warn">throttled</span>`,
		`<span class="state ok">ok</span>`,
		`<meter min="0" max="2000" value="1500"`, "1,500/2,000",
		"http 500: &lt;html onload=",
		"mentions stored; index lag 0",
	)
	checkInert(t, "/sources", body)
}

func hitIDs(t testing.TB, body string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "li" && attr(n, "class") == "hit" {
			out = append(out, attr(n, "data-id"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func section(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	return body[i:min(len(body), i+2000)]
}

func regexpFacet(body, term, count string) bool {
	return strings.Contains(section(body, `class="facets"`), `<span class="term">`+term+`</span> <span class="count">`+count+`</span>`)
}
