package web

import (
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/earshot/earshot/analysis/numfmt"
)

// safeSnippet turns a store snippet (HTML-escaped text with <mark> tags)
// into HTML that can only contain text and <mark>: every part between the
// exact tags <mark> and </mark> is unescaped and escaped again (and passed
// through display), any other
// "<" becomes text, and an unclosed <mark> is closed. Fetched text can
// therefore never become markup, whatever the snippet holds.
func safeSnippet(s string) template.HTML {
	s = display(s) // no bidi overrides or invisible characters
	var b strings.Builder
	open := false
	esc := func(t string) { b.WriteString(html.EscapeString(html.UnescapeString(t))) }
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			esc(s)
			break
		}
		esc(s[:i])
		s = s[i:]
		switch {
		case !open && strings.HasPrefix(s, "<mark>"):
			b.WriteString("<mark>")
			open, s = true, s[len("<mark>"):]
		case open && strings.HasPrefix(s, "</mark>"):
			b.WriteString("</mark>")
			open, s = false, s[len("</mark>"):]
		default:
			b.WriteString("&lt;")
			s = s[1:]
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) // #nosec: built from escaped text and <mark> only
}

// safeHref returns u when it is an absolute http or https URL with a host,
// "" otherwise (javascript:, data:, relative and malformed links are not
// linked at all).
func safeHref(u string) string {
	if len(u) > 4096 || strings.ContainsAny(u, "\x00\r\n\t") {
		return ""
	}
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.String()
	}
	return ""
}

// number formats any integer for people.
func number(v any) string {
	switch n := v.(type) {
	case int:
		return numfmt.Count(int64(n))
	case int64:
		return numfmt.Count(n)
	case uint64:
		if n > 1<<62 {
			return strconv.FormatUint(n, 10)
		}
		return numfmt.Count(int64(n))
	}
	return ""
}
