package naver

import (
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/htmltext"
	"github.com/earshot/earshot/query"
)

// Search kinds.
const (
	KindBlog = "blog"
	KindNews = "news"
	KindCafe = "cafearticle"
)

const maxLinks = 20

// maxClockSkew is how far past the fetch time a post's date may lie and
// still count as its date. A later date is bad data (a clock, a parser): the
// post is stored as undated (Published = fetch time, estimated) and must not
// move the search's Newest, which would put the floor past unseen posts.
const maxClockSkew = 10 * time.Minute

// mapped is a decoded result: the post and the latest instant it can have
// been published (zero when the kind carries no date).
type mapped struct {
	post   listener.Post
	latest time.Time
}

// toPost maps one result of kind to a Post; seen is the fetch time, used
// where the API gives no time. ok is false when the item has no usable link.
func (it *item) toPost(kind string, seen time.Time) (mapped, bool) {
	link := canonicalLink(it.Link)
	id := link
	orig := ""
	if kind == KindNews {
		orig = canonicalLink(it.OriginalLink)
		if orig != "" {
			id = orig
		}
	}
	if id == "" {
		return mapped{}, false
	}
	p := listener.Post{
		Network:   Network,
		NativeID:  id,
		URL:       id,
		Title:     htmltext.ToText(it.Title),
		Text:      htmltext.ToText(it.Description),
		Published: seen.UTC(),
	}
	var m mapped
	switch kind {
	case KindBlog:
		p.Author = hostPath(it.BloggerLink)
		if p.Author == "" {
			p.Author = hostPath(link)
		}
		p.AuthorName = htmltext.ToText(it.BloggerName)
		p.PublishedEstimated = true
		if day, ok := parsePostDate(it.PostDate); ok && !day.After(seen.Add(maxClockSkew)) {
			// The API gives the KST day only: the fetch time when it falls
			// in that day (or before it: a date in the future is wrong),
			// else the day's last second (an upper bound). A day that
			// starts in the future leaves the post undated.
			end := day.Add(24*time.Hour - time.Second)
			if seen.After(end) {
				p.Published = end.UTC()
			}
			m.latest = p.Published
		}
	case KindNews:
		p.Author = hostOnly(orig)
		if p.Author == "" {
			p.Author = hostOnly(link)
		}
		if t, ok := parsePubDate(it.PubDate); ok && !t.After(seen.Add(maxClockSkew)) {
			// Within the clock skew, clamp it to the fetch time; further
			// in the future it is wrong and the post is undated.
			if t.Before(p.Published) {
				p.Published = t
			}
			m.latest = p.Published
		} else {
			p.PublishedEstimated = true
		}
	default: // café articles carry no date
		p.Author = hostPath(it.CafeURL)
		if p.Author == "" {
			p.Author = "cafe.naver.com/" + naverID(link)
		}
		p.AuthorName = htmltext.ToText(it.CafeName)
		p.PublishedEstimated = true
	}
	if hasHangul(p.Title) || hasHangul(p.Text) {
		p.Lang = "ko"
	}
	p.Links = links(p.Title+"\n"+p.Text, orig, link)
	m.post = p
	return m, true
}

// links returns the item's own links and the URLs written in its text,
// absolute and deduplicated, at most maxLinks.
func links(text string, own ...string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u == "" || seen[u] || len(out) >= maxLinks {
			return
		}
		seen[u] = true
		out = append(out, u)
	}
	for _, u := range own {
		add(u)
	}
	for _, raw := range query.URLsIn(text, maxLinks) {
		add(canonicalLink(strings.TrimRight(raw, ".,;:!?…")))
	}
	return out
}

func hostOnly(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
