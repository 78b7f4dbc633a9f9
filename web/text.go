package web

import (
	"unicode/utf8"

	"github.com/earshot/earshot/query"
)

// maxTitleRunes is how much of a title a page shows; the rest is behind
// the link (the original post, or the mention's JSON).
const maxTitleRunes = 300

// display is fetched text as pages show it (query.Display).
func display(s string) string { return query.Display(s) }

// titleText is a title or name for a page: neutralised and cut to
// maxTitleRunes.
func titleText(s string) string { return truncateRunes(query.Display(s), maxTitleRunes) }

// titleCut reports whether titleText shortens s.
func titleCut(s string) bool { return utf8.RuneCountInString(query.Display(s)) > maxTitleRunes }

// truncateRunes cuts s to at most n runes, marking a cut with "…".
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n-1 {
			break
		}
		k++
	}
	return s[:i] + "…"
}
