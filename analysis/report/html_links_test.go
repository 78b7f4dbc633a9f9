package report

import (
	"slices"
	"strings"
	"testing"
)

// TestFigureLinkTitles holds the linked tables' titles and columns to
// tables(): a renamed table or column would silently lose its links.
func TestFigureLinkTitles(t *testing.T) {
	r := fixtureReport(t)
	heads := map[string][]string{}
	for _, tb := range tables(r) {
		heads[tb.Title] = tb.Head
	}
	for title, cols := range map[string][]string{voiceTitle: sortedKeys(voiceLinks), spikeTitle: {"mentions"}, emergingTitle: {"count"}} {
		h, ok := heads[title]
		if !ok {
			t.Errorf("no table %q", title)
		}
		for _, c := range cols {
			if !slices.Contains(h, c) {
				t.Errorf("table %q has no column %q: %q", title, c, h)
			}
		}
	}
	linked := 0
	for _, ht := range linkTables(r, tables(r)) {
		for _, row := range ht.Rows {
			for _, c := range row {
				if c.Href != "" {
					linked++
				}
			}
		}
	}
	// 4 network rows ("all", hackernews, reddit, x) × 3 brands × 6 figures,
	// 2 spikes, and the emerging terms.
	if linked < 4*3*6+2 {
		t.Errorf("%d linked cells", linked)
	}
}

// notLinked are the columns whose figures are statistics of a baseline or
// a goal's arithmetic rather than a set of posts (docs/report.md, "A figure
// you can open"); every other cell with a number links to a search.
var notLinked = map[string][]string{
	spikeTitle:     {"mean", "σ", "threshold"},
	emergingTitle:  {"baseline", "lift", "G²"},
	goalsTitle:     {"target", "deadline", "progress %", "slope/wk", "projected"},
	"Top mentions": nil, // each row is one post, linked by its url
}

func TestEveryNumberLinks(t *testing.T) {
	r := fixtureReport(t)
	linked := map[string]bool{}
	for _, ht := range linkTables(r, tables(r)) {
		skip, whole := notLinked[ht.Title]
		if whole && skip == nil {
			continue
		}
		for _, row := range ht.Rows {
			for j, c := range row[keysOf(r, ht.Title):] {
				col := ht.Head[j+keysOf(r, ht.Title)]
				if c.Href != "" {
					linked[ht.Title] = true
				}
				hasDigit := strings.ContainsAny(c.Text, "0123456789")
				if c.Href == "" && hasDigit && !slices.Contains(skip, col) && !(ht.Title == hourTitle && c.Text == "0") {
					t.Errorf("%s / %s: %q does not link to its mentions", ht.Title, col, c.Text)
				}
			}
		}
	}
	for _, title := range []string{voiceTitle, coverageTitle, careTitle, titleCompIndex, titleWhiteSpace, spikeTitle, trendTitle,
		langsTitle, hourTitle, voicesTitle, topicsTitle, goalsTitle} {
		if !linked[title] {
			t.Errorf("no cell of %q links (is the fixture's table empty?)", title)
		}
	}
}

func keysOf(r *Report, title string) int {
	for _, tb := range tables(r) {
		if tb.Title == title {
			return tb.Keys
		}
	}
	return 0
}
