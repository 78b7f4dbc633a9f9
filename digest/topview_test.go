package digest

import (
	"testing"

	"github.com/earshot/earshot/analysis/report"
)

// A top post is said once: a post without a title is its text (not a cut
// title and the same text below it), and a link post's text that is only
// its link is not quoted.
func TestTopViewSaysAPostOnce(t *testing.T) {
	en := report.NewLocale("en")
	long := "Switched our fleet from Initech to Acme last month. Their customer support answers within the hour."
	v := topView(en, "Acme", "positive", report.TopMention{Network: "bluesky", Excerpt: long, URL: "https://bsky.app/p/1"})
	if v.Title != long || v.Excerpt != "" {
		t.Errorf("title-less post: title %q, excerpt %q", v.Title, v.Excerpt)
	}
	v = topView(en, "Acme", "negative", report.TopMention{Network: "hackernews", Title: "Acme recalls chargers",
		Excerpt: "https://www.reuters.com/business/acme-recall/", URL: "https://news.ycombinator.com/item?id=1"})
	if v.Title != "Acme recalls chargers" || v.Excerpt != "" {
		t.Errorf("link post: title %q, excerpt %q", v.Title, v.Excerpt)
	}
	v = topView(en, "Acme", "negative", report.TopMention{Network: "hackernews", Title: "Acme recalls chargers",
		Excerpt: "see https://example.com for more", URL: "https://news.ycombinator.com/item?id=1"})
	if v.Excerpt != "see https://example.com for more" {
		t.Errorf("text with a link dropped: %q", v.Excerpt)
	}
}
