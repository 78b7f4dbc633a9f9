package store

import "strings"

// aggregatorHosts serve other publishers' articles under their own links
// (Google News redirects every item through news.google.com/rss/articles/).
var aggregatorHosts = map[string]bool{"news.google.com": true}

// siteOf is the site that published m, Fact.Host: the host of its URL, or,
// when that is an aggregator's redirect and the listener named the
// publisher's site as Author (the feed listener does, from Google News'
// <source url="...">), that site.
func siteOf(m *Mention) string {
	h := HostOf(m.URL)
	if !aggregatorHosts[h] {
		return h
	}
	if a := strings.ToLower(strings.TrimSpace(m.Author)); a != "" && HostOf("https://"+a) == strings.TrimPrefix(a, "www.") && strings.Contains(a, ".") {
		return strings.TrimPrefix(a, "www.")
	}
	return h
}
