package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// itemKey returns the key an item is stored under (Post.NativeID) and,
// when it differs, the key earlier versions used (legacy), which the
// cursor still recognises so that an upgrade returns nothing twice.
//
//   - A guid that is a URL (http, https) or a globally unique URI (tag:,
//     urn:) is the key as it is: the same article in two feeds is one
//     mention.
//   - Any other guid ("1140704", "post-12") is only unique within its
//     publisher: the key is the host of the item's link (else of the
//     feed's link, else of the feed URL), "#", and the guid
//     ("news.example.kr#1140704"); legacy is the bare guid.
//   - Without a guid, the link; without a link, "sha256:" and a hash of
//     the title and the text.
func itemKey(guid, link, feedLink, feedURL, title, text string) (key, legacy string) {
	switch {
	case guid != "" && globalID(guid):
		return guid, ""
	case guid != "":
		return scope(link, feedLink, feedURL) + "#" + guid, guid
	case link != "":
		return link, ""
	case title != "" || text != "":
		sum := sha256.Sum256([]byte(title + "\x00" + text))
		return "sha256:" + hex.EncodeToString(sum[:16]), ""
	}
	return "", ""
}

// globalID reports whether a guid names itself globally: a web URL or a
// tag:/urn: URI.
func globalID(guid string) bool {
	if isHTTP(guid) {
		return true
	}
	low := strings.ToLower(guid)
	return strings.HasPrefix(low, "tag:") || strings.HasPrefix(low, "urn:")
}

// scope is the publisher a local guid belongs to: the first host among the
// links given, lower case, without "www.".
func scope(links ...string) string {
	for _, l := range links {
		if u, err := url.Parse(strings.TrimSpace(l)); err == nil && u.Hostname() != "" {
			return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		}
	}
	return "feed"
}
