package webcrawl

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/text/language"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/htmltext"
)

// item is one post found on a page.
type item struct {
	post listener.Post
	// ownPage is true when the page is the item's own page.
	ownPage bool
	// linked is true when the permalink came from LinkSelector; linkless
	// when LinkSelector is set and matches no element in the item.
	linked, linkless bool
}

// page is what parsePage found on one page.
type page struct {
	items []item
	links []*url.URL // all http(s) links, canonical, deduplicated
	// noindex: the page asks not to be indexed (robots meta); it has no
	// items.
	noindex bool
}

// parsePage extracts items and links from an HTML body. now is the fetch
// time, used for undated items and relative dates. It never panics on
// hostile input; the HTML parser repairs what it can.
func parsePage(body []byte, pageURL *url.URL, sel *selectors, now time.Time) (*page, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	base := pageURL
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b := resolve(pageURL, href); b != nil {
			base = b
		}
	}
	p := &page{}
	noindex, nofollow := robotsMeta(doc)
	matches := doc.FindMatcher(sel.item)
	n := min(matches.Length(), MaxItemsPerPage)
	if noindex {
		p.noindex, n = true, 0
	}
	parsed := make([]item, n)
	linked := false
	for i := range parsed {
		parsed[i] = parseItem(matches.Eq(i), i, n, base, pageURL, sel, now)
		linked = linked || parsed[i].linked
	}
	ids := map[string]bool{}
	for i, it := range parsed {
		if linked && it.linkless {
			// LinkSelector finds a permalink in other items but no element
			// at all in this one: a page cut mid-item (the link lost) or
			// something that is not a post. A fallback id would give a post
			// a second identity, so the item is left out. (An item whose
			// link is there but unusable keeps a fallback id.)
			continue
		}
		e := matches.Eq(i)
		if ids[it.post.NativeID] {
			// Two items share a link (fragments dropped): key this one by
			// its position on the page instead.
			id := fmt.Sprintf("%s#item-%d", pageURL, i+1)
			if v := e.AttrOr("id", ""); v != "" {
				id = pageURL.String() + "#" + url.PathEscape(v)
			}
			it.post.NativeID, it.post.URL, it.ownPage = id, id, false
		}
		ids[it.post.NativeID] = true
		p.items = append(p.items, it)
	}
	if nofollow {
		return p, nil
	}
	seen := map[string]bool{}
	doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if u := resolve(base, a.AttrOr("href", "")); u != nil && !seen[u.String()] {
			seen[u.String()] = true
			p.links = append(p.links, u)
		}
		return len(p.links) < maxLinksPerPage
	})
	return p, nil
}

func parseItem(s *goquery.Selection, i, n int, base, pageURL *url.URL, sel *selectors, now time.Time) item {
	post := listener.Post{Network: Network}
	pageID := pageURL.String()
	permalink := ""
	if sel.link != nil {
		if u := firstHref(s, sel.link, base); u != nil {
			permalink = u.String()
		}
	}
	linked := permalink != ""
	linkless := sel.link != nil && find(s, sel.link).Length() == 0
	switch {
	case linked:
	case n == 1:
		permalink = pageID
	case s.AttrOr("id", "") != "":
		permalink = pageID + "#" + url.PathEscape(s.AttrOr("id", ""))
	default:
		permalink = fmt.Sprintf("%s#item-%d", pageID, i+1)
	}
	post.NativeID, post.URL = permalink, permalink
	if sel.title != nil {
		post.Title = collapse(find(s, sel.title).First().Text())
	}
	if sel.author != nil {
		a := find(s, sel.author).First()
		post.AuthorName = collapse(a.Text())
		post.Author = authorHandle(a, base)
		if post.Author == "" {
			post.Author = post.AuthorName
		}
	}
	if sel.reply != nil {
		if u := firstHref(s, sel.reply, base); u != nil && u.String() != permalink {
			post.ReplyTo = u.String()
		}
	}
	text := s
	if sel.text != nil {
		text = find(s, sel.text).First()
	}
	if h, err := goquery.OuterHtml(text); err == nil {
		post.Text = htmltext.ToText(h)
	}
	post.Links = links(text, base, pageID, permalink)
	post.Lang = lang(s)
	post.Published, post.PublishedEstimated = now.UTC(), true
	if sel.time != nil {
		if t, ok := itemTime(find(s, sel.time).First(), sel, now); ok {
			post.Published, post.PublishedEstimated = t, false
		}
	}
	return item{post: post, ownPage: permalink == pageID, linked: linked, linkless: linkless}
}

// robotsMeta reads <meta name="robots"> (noindex, nofollow, none). A page
// that asks not to be indexed yields no posts; one that asks not to be
// followed yields no links. This also holds when robots.txt, which should
// have kept the crawler away, came cut short and read as allowing all.
func robotsMeta(doc *goquery.Document) (noindex, nofollow bool) {
	doc.Find("meta[name][content]").Each(func(_ int, m *goquery.Selection) {
		if !strings.EqualFold(strings.TrimSpace(m.AttrOr("name", "")), "robots") {
			return
		}
		for _, v := range strings.Split(strings.ToLower(m.AttrOr("content", "")), ",") {
			switch strings.TrimSpace(v) {
			case "noindex":
				noindex = true
			case "nofollow":
				nofollow = true
			case "none":
				noindex, nofollow = true, true
			}
		}
	})
	return noindex, nofollow
}

// find matches m among the descendants of s, or s itself when it matches.
func find(s *goquery.Selection, m cascadia.Selector) *goquery.Selection {
	if f := s.FindMatcher(m); f.Length() > 0 {
		return f
	}
	return s.FilterMatcher(m)
}

func firstHref(s *goquery.Selection, m cascadia.Selector, base *url.URL) *url.URL {
	e := find(s, m).First()
	href, ok := e.Attr("href")
	if !ok {
		href, ok = e.Find("a[href]").First().Attr("href")
	}
	if !ok {
		return nil
	}
	return resolve(base, href)
}

// authorHandle is the last path segment of the author's profile link
// ("/users/dana_k", "/@dana_k"), "" without one.
func authorHandle(a *goquery.Selection, base *url.URL) string {
	href, ok := a.Attr("href")
	if !ok {
		href, ok = a.Find("a[href]").First().Attr("href")
	}
	if !ok {
		return ""
	}
	u := resolve(base, href)
	if u == nil {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	return strings.TrimPrefix(segs[len(segs)-1], "@")
}

// epochEnd: a time before it is the Unix epoch (or earlier) that a broken
// CMS writes for "no date", not a real post date; such an item is undated
// (the fetch time, estimated) rather than older than any lookback.
var epochEnd = time.Unix(24*60*60, 0)

func itemTime(t *goquery.Selection, sel *selectors, now time.Time) (time.Time, bool) {
	if t.Length() == 0 {
		return time.Time{}, false
	}
	for _, attr := range []string{"datetime", "content", "title"} {
		if v, ok := t.Attr(attr); ok {
			if ts, ok := parseTime(v, sel.timeLayout, sel.loc, now); ok && !ts.Before(epochEnd) {
				return ts, true
			}
		}
	}
	ts, ok := parseTime(t.Text(), sel.timeLayout, sel.loc, now)
	return ts, ok && !ts.Before(epochEnd)
}

func links(s *goquery.Selection, base *url.URL, pageID, permalink string) []string {
	var out []string
	seen := map[string]bool{pageID: true, permalink: true}
	s.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if u := resolve(base, a.AttrOr("href", "")); u != nil && !seen[u.String()] {
			seen[u.String()] = true
			out = append(out, u.String())
		}
		return len(out) < 100
	})
	return out
}

// lang is the primary subtag of the nearest lang attribute, "" when none
// or unparsable.
func lang(s *goquery.Selection) string {
	v, ok := s.Closest("[lang]").Attr("lang")
	if !ok {
		return ""
	}
	tag, err := language.Parse(strings.TrimSpace(v))
	if err != nil {
		return ""
	}
	base, _ := tag.Base()
	return base.String()
}
