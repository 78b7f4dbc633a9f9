package youtube

import (
	"net/url"
	"regexp"
	"strings"
)

// maxLinks caps the links taken from one text.
const maxLinks = 50

var linkRe = regexp.MustCompile(`https?://[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%()]{1,1000}`)

// links returns the absolute http(s) URLs in a plain text (descriptions
// and comments carry bare URLs), trailing punctuation trimmed, deduplicated
// in order of appearance.
func links(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range linkRe.FindAllString(text, maxLinks*2) {
		m = strings.TrimRight(m, ".,;:!?)]")
		u, err := url.Parse(m)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		s := u.String()
		if seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
		if len(out) == maxLinks {
			break
		}
	}
	return out
}
