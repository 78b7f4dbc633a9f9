package htmltext

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxLinks bounds the links Links returns.
const maxLinks = 100

// Links returns the http(s) targets of the <a href> links in the HTML
// fragment s, made absolute against base (relative links are resolved;
// those that stay relative, and other schemes, are dropped), each once, in
// order, at most 100. Like ToText it reads at most MaxInput bytes.
func Links(s, base string) []string {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	if !strings.Contains(s, "<") {
		return nil
	}
	b, err := url.Parse(base)
	if err != nil {
		b = &url.URL{}
	}
	z := html.NewTokenizer(strings.NewReader(s))
	z.SetMaxBuf(MaxInput + 4096)
	var out []string
	seen := map[string]bool{}
	for len(out) < maxLinks {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if atom.Lookup(name) != atom.A || !hasAttr {
			continue
		}
		for {
			k, v, more := z.TagAttr()
			if string(k) == "href" {
				if l := absolute(b, strings.TrimSpace(string(v))); l != "" && !seen[l] {
					seen[l] = true
					out = append(out, l)
				}
			}
			if !more {
				break
			}
		}
	}
	return out
}

func absolute(base *url.URL, ref string) string {
	r, err := url.Parse(ref)
	if err != nil || ref == "" {
		return ""
	}
	u := base.ResolveReference(r)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
