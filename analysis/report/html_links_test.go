package report

import (
	"slices"
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
