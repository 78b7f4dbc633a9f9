package query

import "regexp"

// urlInText finds http(s) URLs written in running text: a scheme, then
// everything up to white space, a quote, a bracket or a backtick (so a
// Markdown link's closing parenthesis and an HTML attribute's quote end it).
var urlInText = regexp.MustCompile(`https?://[^\s<>"'()\[\]{}` + "`" + `]+`)

// URLsIn returns at most limit URLs written in text, in order (limit < 0:
// all). Callers trim trailing punctuation and validate; this only finds.
func URLsIn(text string, limit int) []string {
	return urlInText.FindAllString(text, limit)
}

// WithoutURLs returns text with every URL written in it replaced by a space,
// so that word counts see what people wrote, not the words of a link's path
// ("https://acme.example/blog/first-post" is not the words blog and first).
func WithoutURLs(text string) string {
	return urlInText.ReplaceAllLiteralString(text, " ")
}
