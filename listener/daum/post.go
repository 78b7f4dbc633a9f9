package daum

import (
	"strings"
	"time"
	"unicode"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/htmltext"
	"github.com/earshot/earshot/query"
)

const maxLinks = 20

// maxClockSkew is how far past the fetch time a document's date may lie and
// still count as its date; a later one is bad data and leaves it undated.
const maxClockSkew = 10 * time.Minute

// epochEnd: a datetime before it is the Unix epoch (or earlier) that a
// broken index writes for "no date".
var epochEnd = time.Unix(24*60*60, 0)

// mapped is a decoded result: the post and its publication instant (zero
// when it has no usable date).
type mapped struct {
	post   listener.Post
	latest time.Time
}

// toPost maps one result of kind to a Post; seen is the fetch time, used
// where the API gives no usable time. ok is false when the document has no
// usable URL.
func (d *document) toPost(kind string, seen time.Time) (mapped, bool) {
	link := canonicalLink(d.URL)
	if link == "" {
		return mapped{}, false
	}
	p := listener.Post{
		Network:   Network,
		NativeID:  link,
		URL:       link,
		Title:     htmltext.ToText(d.Title),
		Text:      htmltext.ToText(d.Contents),
		Published: seen.UTC(),
	}
	switch kind {
	case KindBlog:
		p.Author, p.AuthorName = author(link), htmltext.ToText(d.BlogName)
	case KindCafe:
		p.Author, p.AuthorName = author(link), htmltext.ToText(d.CafeName)
	case KindVClip:
		p.AuthorName = htmltext.ToText(d.Author)
		p.Author = p.AuthorName
		if p.Author == "" {
			p.Author = hostOnly(link)
		}
	default:
		p.Author = hostOnly(link)
	}
	var m mapped
	if t, ok := parseDatetime(d.Datetime); ok && !t.Before(epochEnd) && !t.After(seen.Add(maxClockSkew)) {
		// Within the clock skew, clamp it to the fetch time; further in
		// the future it is wrong and the post is undated.
		if t.Before(p.Published) {
			p.Published = t
		}
		m.latest = p.Published
	} else {
		p.PublishedEstimated = true
	}
	if hasHangul(p.Title) || hasHangul(p.Text) {
		p.Lang = "ko"
	}
	p.Links = links(p.Title+"\n"+p.Text, link)
	m.post = p
	return m, true
}

// links returns the document's own link and the URLs written in its text,
// absolute and deduplicated, at most maxLinks.
func links(text string, own string) []string {
	out := []string{own}
	seen := map[string]bool{own: true}
	for _, raw := range query.URLsIn(text, maxLinks) {
		u := canonicalLink(strings.TrimRight(raw, ".,;:!?…"))
		if u == "" || seen[u] || len(out) >= maxLinks {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	return out
}

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
