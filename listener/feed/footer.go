package feed

import "regexp"

// footer matches the line blog engines append to every item of a feed
// (WordPress with Yoast SEO: "The post <title> appeared first on <blog>.";
// other plugins: "... first appeared on ..."), when it ends the text. It is
// the same sentence on every post of the feed, so counting its words would
// make the blog's name and "first" look like what people talk about.
var footer = regexp.MustCompile(`(?s)\s*The post .{1,600}? (?:appeared first|first appeared) on [^\n]{1,200}\s*$`)

// withoutFooter returns text without a trailing feed footer.
func withoutFooter(text string) string {
	if loc := footer.FindStringIndex(text); loc != nil {
		return text[:loc[0]]
	}
	return text
}
