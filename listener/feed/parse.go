package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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

// parse decodes a feed body into posts (in feed order), one per distinct key.
// feedURL tells Google News feeds apart; now stands in for missing dates.
func parse(body []byte, feedURL string, now time.Time) (posts []listener.Post, err error) {
	defer func() {
		if r := recover(); r != nil {
			posts, err = nil, fmt.Errorf("parse feed: parser panic: %v", r)
		}
	}()
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
	lang := primaryLang(f.Language)
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
		post := toPost(it, src, gnews || isGoogleNews(it.Link), now)
		post.Lang = lang
		if post.NativeID == "" || keys[post.NativeID] {
			continue
		}
		keys[post.NativeID] = true
		posts = append(posts, post)
	}
	return posts, nil
}

func toPost(it *gofeed.Item, src *rss.Source, gnews bool, now time.Time) listener.Post {
	link := unwrap(strings.TrimSpace(it.Link))
	if link == "" && len(it.Links) > 0 {
		link = unwrap(strings.TrimSpace(it.Links[0]))
	}
	guid := strings.TrimSpace(it.GUID)
	if link == "" && isHTTP(guid) {
		link = guid
	}
	p := listener.Post{
		Network: Network,
		URL:     link,
		Title:   htmltext.ToText(it.Title),
	}
	body := it.Content
	if strings.TrimSpace(body) == "" {
		body = it.Description
	}
	p.Text = clip(htmltext.ToText(body))
	if len(it.Authors) > 0 && it.Authors[0] != nil {
		p.AuthorName = strings.TrimSpace(it.Authors[0].Name)
	} else if it.Author != nil {
		p.AuthorName = strings.TrimSpace(it.Author.Name)
	}
	switch {
	case plausible(it.PublishedParsed):
		p.Published = it.PublishedParsed.UTC()
	case plausible(it.UpdatedParsed):
		p.Published = it.UpdatedParsed.UTC()
	default:
		// No date, or the Unix epoch a broken generator writes for "no
		// date": the post is new to us now.
		p.Published = now
		p.PublishedEstimated = true
	}
	if gnews {
		googleNews(&p, src)
	}
	switch {
	case guid != "":
		p.NativeID = guid
	case link != "":
		p.NativeID = link
	case p.Title != "" || p.Text != "":
		sum := sha256.Sum256([]byte(p.Title + "\x00" + p.Text))
		p.NativeID = "sha256:" + hex.EncodeToString(sum[:16])
	}
	return p
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
