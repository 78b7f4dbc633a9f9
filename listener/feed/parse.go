package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/htmltext"
	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

// maxText bounds the text kept per item.
const maxText = 64 << 10

// item is a parsed feed item: its post and the key earlier versions
// stored it under ("" when the same; see itemKey).
type item struct {
	listener.Post
	legacy string
}

// parseFeed decodes a feed body into items (in feed order), one per
// distinct key. contentType is the HTTP Content-Type (its charset is used
// when the body declares none); feedURL tells Google News feeds apart and
// resolves relative links; now stands in for missing dates.
func parseFeed(body []byte, contentType, feedURL string, now time.Time) (items []item, err error) {
	defer func() {
		if r := recover(); r != nil {
			items, err = nil, fmt.Errorf("parse feed: parser panic: %v", r)
		}
	}()
	body, _ = toUTF8(body, contentType)
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	f, err := p.Parse(bytes.NewReader(body))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) && looksHTML(body) {
			return nil, fmt.Errorf("not a feed: got an HTML page (%s): %w", htmlTitle(body), err)
		}
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	if f.FeedType == "json" && f.FeedVersion == "" {
		// gofeed takes any JSON object for a JSON Feed with no items.
		return nil, fmt.Errorf("not a feed: JSON without a JSON Feed version: %s", snippet(body))
	}
	var sources []*rss.Source
	if orig, ok := f.OriginalFeed().(*rss.Feed); ok && len(orig.Items) == len(f.Items) {
		sources = make([]*rss.Source, len(orig.Items))
		for i, it := range orig.Items {
			sources[i] = it.Source
		}
	}
	fc := feedContext{lang: primaryLang(f.Language), link: strings.TrimSpace(f.Link), url: feedURL, now: now}
	fc.base = resolve(feedURL, fc.link)
	if fc.base == "" {
		fc.base = feedURL
	}
	gnews := isGoogleNews(feedURL) || isGoogleNews(f.Link)
	keys := map[string]bool{}
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		var src *rss.Source
		if sources != nil {
			src = sources[i]
		}
		x := fc.toItem(it, src, gnews || isGoogleNews(it.Link))
		if x.NativeID == "" || keys[x.NativeID] {
			continue
		}
		keys[x.NativeID] = true
		items = append(items, x)
	}
	return items, nil
}

// feedContext is what items borrow from their feed.
type feedContext struct {
	lang, link, url, base string
	now                   time.Time
}

func (fc feedContext) toItem(it *gofeed.Item, src *rss.Source, gnews bool) item {
	link := unwrap(strings.TrimSpace(it.Link))
	if link == "" && len(it.Links) > 0 {
		link = unwrap(strings.TrimSpace(it.Links[0]))
	}
	guid := strings.TrimSpace(it.GUID)
	if link == "" && isHTTP(guid) {
		link = guid
	}
	link = resolve(fc.base, link)
	p := listener.Post{
		Network: Network,
		URL:     link,
		Title:   fixC1(htmltext.ToText(it.Title)),
		Lang:    fc.lang,
	}
	summary := fixC1(htmltext.ToText(it.Description))
	content := fixC1(htmltext.ToText(it.Content))
	p.Text = clip(joinText(withoutFooter(summary), withoutFooter(content)))
	base := link
	if !isHTTP(base) {
		base = fc.base
	}
	for _, l := range htmltext.Links(it.Content+"\n"+it.Description, base) {
		if l != link {
			p.Links = append(p.Links, l)
		}
	}
	if len(it.Authors) > 0 && it.Authors[0] != nil {
		p.AuthorName = strings.TrimSpace(it.Authors[0].Name)
	} else if it.Author != nil {
		p.AuthorName = strings.TrimSpace(it.Author.Name)
	}
	p.AuthorName = fixC1(p.AuthorName)
	p.Published, p.PublishedEstimated = fc.date(it)
	if gnews {
		googleNews(&p, src)
	}
	// Keys hash the text as earlier versions had it (content, else the
	// summary), so that an item without guid and link keeps its key.
	legacyText := content
	if strings.TrimSpace(it.Content) == "" {
		legacyText = summary
	}
	x := item{Post: p}
	x.NativeID, x.legacy = itemKey(guid, link, fc.link, fc.url, p.Title, clip(legacyText))
	x.LegacyNativeID = x.legacy
	return x
}

// date is the item's published date, else its updated date, else the
// fetch time marked estimated. A date before 1971 (a generator's "no
// date") counts as none. Zone names gofeed reads as UTC (KST, JST) and the
// Korean forms are read by fixDate.
func (fc feedContext) date(it *gofeed.Item) (time.Time, bool) {
	for _, d := range []struct {
		raw    string
		parsed *time.Time
	}{{it.Published, it.PublishedParsed}, {it.Updated, it.UpdatedParsed}} {
		t := d.parsed
		if fixed, ok := fixDate(d.raw, d.parsed, fc.lang); ok {
			t = &fixed
		}
		if plausible(t) {
			return t.UTC(), false
		}
	}
	// No date, or the Unix epoch a broken generator writes for "no date":
	// the post is new to us now.
	return fc.now, true
}

// joinText is the text stored for an item: its summary and its full
// content, each once. When one contains the other (a summary that is the
// content's first lines, or an excerpt cut with "…"), the longer is kept.
func joinText(summary, content string) string {
	s, c := strings.TrimSpace(summary), strings.TrimSpace(content)
	switch {
	case s == "":
		return c
	case c == "":
		return s
	}
	ns, nc := squash(trimEllipsis(s)), squash(c)
	switch {
	case strings.Contains(nc, ns):
		return c
	case strings.Contains(ns, nc):
		return s
	}
	return s + "\n\n" + c
}

// trimEllipsis cuts the "…", "..." or "[…]" that ends an excerpt.
func trimEllipsis(s string) string {
	for _, e := range []string{"[…]", "[...]", "[&hellip;]", "…", "..."} {
		s = strings.TrimSpace(strings.TrimSuffix(s, e))
	}
	return s
}

// squash collapses all white space to single spaces.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// resolve makes ref absolute against base; "" stays "", and a ref that
// cannot be parsed is returned as is.
func resolve(base, ref string) string {
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil || r.IsAbs() {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil || !b.IsAbs() {
		return ref
	}
	return b.ResolveReference(r).String()
}

// googleNews moves the " - Publisher" title suffix into the author fields.
func googleNews(p *listener.Post, src *rss.Source) {
	publisher := ""
	if src != nil {
		publisher = strings.TrimSpace(src.Title)
		if u, err := url.Parse(strings.TrimSpace(src.URL)); err == nil && u.Host != "" {
			p.Author = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	if publisher != "" && strings.HasSuffix(p.Title, " - "+publisher) {
		p.Title = strings.TrimSuffix(p.Title, " - "+publisher)
	} else if i := strings.LastIndex(p.Title, " - "); i > 0 && publisher == "" {
		publisher = strings.TrimSpace(p.Title[i+3:])
		p.Title = strings.TrimSpace(p.Title[:i])
	}
	if publisher != "" {
		p.AuthorName = publisher
		p.Text = strings.TrimSpace(strings.TrimSuffix(p.Text, publisher))
	}
}

// unwrap returns the real target of a Google redirect link
// (https://www.google.com/url?...&url=<real>), else link unchanged.
func unwrap(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Path != "/url" {
		return link
	}
	host := strings.TrimPrefix(u.Hostname(), "www.")
	if !strings.HasPrefix(host, "google.") {
		return link
	}
	q := u.Query()
	for _, k := range []string{"url", "q"} {
		if real := q.Get(k); isHTTP(real) {
			return real
		}
	}
	return link
}

func isHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func isGoogleNews(link string) bool {
	u, err := url.Parse(strings.TrimSpace(link))
	return err == nil && u.Hostname() == "news.google.com"
}

// primaryLang reduces "en-US" to "en".
func primaryLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	if len(l) < 2 || len(l) > 3 {
		return ""
	}
	return l
}

func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	return strings.ToValidUTF8(s[:maxText], "")
}

// epochEnd: dates before it are the Unix epoch or earlier, which feeds
// write when they have no date.
var epochEnd = time.Unix(24*60*60, 0)

func plausible(t *time.Time) bool { return t != nil && !t.Before(epochEnd) }

func looksHTML(b []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(b[:min(len(b), 512)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// htmlTitle is the page's <title>, for the error message.
func htmlTitle(b []byte) string {
	low := bytes.ToLower(b[:min(len(b), 4096)])
	i := bytes.Index(low, []byte("<title>"))
	j := bytes.Index(low, []byte("</title>"))
	if i < 0 || j < i {
		return "no title"
	}
	return strings.TrimSpace(strings.ToValidUTF8(string(b[i+len("<title>"):j]), "\uFFFD"))
}

// snippet is the start of a body, for error messages.
func snippet(b []byte) string {
	s := strings.ToValidUTF8(string(b[:min(len(b), 120)]), "\uFFFD")
	return strings.Join(strings.Fields(s), " ")
}
