package mastodon

import (
	"strings"

	"golang.org/x/net/html"
)

// maxLinks caps the outbound links kept per status.
const maxLinks = 50

// links returns the outbound URLs of a status: the hrefs of the <a>
// elements in its content that are neither mentions nor hashtags (by class,
// or by equality with a mention's or tag's URL), then the preview card's
// URL. Only absolute http(s) URLs are kept, deduplicated, in order.
func (s *status) links() []string {
	skip := map[string]bool{}
	for _, m := range s.Mentions {
		skip[m.URL] = true
	}
	for _, t := range s.Tags {
		skip[t.URL] = true
	}
	seen := map[string]bool{}
	var out []string
	add := func(u string) {
		u = strings.TrimSpace(u)
		if u == "" || seen[u] || skip[u] || len(out) >= maxLinks || !isHTTP(u) {
			return
		}
		seen[u] = true
		out = append(out, u)
	}
	if strings.Contains(s.Content, "<a") {
		content := s.Content
		if len(content) > 1<<20 {
			content = content[:1<<20]
		}
		z := html.NewTokenizer(strings.NewReader(content))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			name, hasAttr := z.TagName()
			if string(name) != "a" || !hasAttr {
				continue
			}
			var href, class string
			for {
				k, v, more := z.TagAttr()
				switch string(k) {
				case "href":
					href = string(v)
				case "class":
					class = string(v)
				}
				if !more {
					break
				}
			}
			if hasClass(class, "mention") || hasClass(class, "hashtag") {
				continue
			}
			add(href)
		}
	}
	if s.Card != nil {
		add(s.Card.URL)
	}
	return out
}

func hasClass(list, c string) bool {
	for _, f := range strings.Fields(list) {
		if f == c {
			return true
		}
	}
	return false
}
