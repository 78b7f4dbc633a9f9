package feed

import (
	"testing"
	"time"
)

func TestWithoutFooter(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"We ran three batteries.\n\nThe post Benchmarking home batteries: Acme compared appeared first on Example Dev Blog.", "We ran three batteries."},
		{"Body.\nThe post Title first appeared on Blog.", "Body."},
		// Only a trailing footer goes: the words inside the text stay.
		{"The post office appeared first on the list of complaints about Acme.\nThen support answered.", "The post office appeared first on the list of complaints about Acme.\nThen support answered."},
		{"Nothing to strip.", "Nothing to strip."},
	} {
		if got := withoutFooter(c.in); got != c.want {
			t.Errorf("withoutFooter(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFeedItemWithoutFooter: an item's text as stored has no footer, in
// the description and in content:encoded alike.
func TestFeedItemWithoutFooter(t *testing.T) {
	body := []byte(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Example Dev Blog</title><link>https://blog.example.dev</link>
<item><title>Benchmarking home batteries</title><link>https://blog.example.dev/b/</link>
<description><![CDATA[<p>Acme held 98.1%.</p><p>The post <a href="https://blog.example.dev/b/">Benchmarking</a> appeared first on <a href="https://blog.example.dev">Example Dev Blog</a>.</p>]]></description>
<content:encoded><![CDATA[<p>We ran three home battery systems. Acme held 98.1%.</p><p>The post <a href="https://blog.example.dev/b/">Benchmarking</a> appeared first on Example Dev Blog.</p>]]></content:encoded>
</item></channel></rss>`)
	items, err := parseFeed(body, "", "https://blog.example.dev/feed/", time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	if err != nil || len(items) != 1 {
		t.Fatalf("parseFeed = %d items, %v", len(items), err)
	}
	if got, want := items[0].Text, "We ran three home battery systems. Acme held 98.1%."; got != want {
		t.Fatalf("item text = %q, want %q", got, want)
	}
}
