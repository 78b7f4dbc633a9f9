package webcrawl

import (
	"net/url"
	"strings"
)

// canonical returns a copy of u with a lowercase scheme and host, the
// default port and the fragment removed, and "/" for an empty path.
func canonical(u *url.URL) *url.URL {
	c := *u
	c.Scheme = strings.ToLower(c.Scheme)
	c.Host = strings.ToLower(c.Host)
	if (c.Scheme == "http" && strings.HasSuffix(c.Host, ":80")) || (c.Scheme == "https" && strings.HasSuffix(c.Host, ":443")) {
		c.Host = c.Host[:strings.LastIndexByte(c.Host, ':')]
	}
	if c.Path == "" && c.Opaque == "" {
		c.Path = "/"
	}
	c.Fragment, c.RawFragment = "", ""
	c.User = nil
	return &c
}

// resolve resolves href against base and returns the canonical absolute
// http(s) URL, or nil for anything else (mailto:, javascript:, garbage).
func resolve(base *url.URL, href string) *url.URL {
	href = strings.TrimSpace(href)
	if href == "" || len(href) > 4096 {
		return nil
	}
	ref, err := url.Parse(href)
	if err != nil {
		return nil
	}
	u := base.ResolveReference(ref)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return canonical(u)
}
