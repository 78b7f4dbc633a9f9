package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// Both languages' page tables have the same keys: a word added in one
// language only fails here.
func TestPageTextComplete(t *testing.T) {
	for lang, words := range pageText {
		for other, ow := range pageText {
			for k := range words {
				if _, ok := ow[k]; !ok {
					t.Errorf("page word %q is in %s, not in %s", k, lang, other)
				}
			}
		}
	}
	if len(pageText) < 2 {
		t.Fatalf("%d languages", len(pageText))
	}
}

// weekOrHour are headings that are data (a week, its first day, an hour),
// not words.
var weekOrHour = regexp.MustCompile(`^(\d{2}|\d{4}-W\d{2}|\d{4}-\d{2}-\d{2})$`)

// Every table title and heading a report lays out is a page word, so the
// Korean page has no English heading; the Korean page's headings and
// table headings are its table's, never the English ones.
func TestPageTextCoversTables(t *testing.T) {
	r := fixtureReport(t)
	ts := tables(r)
	if len(ts) < 10 {
		t.Fatalf("%d tables: the fixture lays out too few to prove anything", len(ts))
	}
	for _, tb := range ts {
		if _, ok := pageText["en"][tb.Title]; !ok {
			t.Errorf("table title %q is not in pageText", tb.Title)
		}
		for _, h := range tb.Head {
			if _, ok := pageText["en"][h]; !ok && !weekOrHour.MatchString(h) {
				t.Errorf("%s: heading %q is not in pageText", tb.Title, h)
			}
		}
	}
	var b bytes.Buffer
	if err := RenderHTML(&b, r, HTMLOptions{Lang: "ko", FormAction: "/report", Langs: []string{"en", "ko"}}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	heading := regexp.MustCompile(`<(h[1-3]|th|summary|label)[^>]*>([^<]*)`)
	seen := 0
	for _, m := range heading.FindAllStringSubmatch(page, -1) {
		text := strings.TrimSpace(m[2])
		if text == "" || weekOrHour.MatchString(text) {
			continue
		}
		seen++
		for k, en := range pageText["en"] {
			if en != pageText["ko"][k] && len(en) > 3 && strings.HasPrefix(text, en) {
				t.Errorf("Korean page <%s> says English %q", m[1], text)
			}
		}
	}
	if seen < 40 {
		t.Errorf("only %d headings seen on the Korean page", seen)
	}
	for _, k := range []string{"네트워크별 점유율", "점유율, 감성과 자사 게시물", "<th>브랜드</th>", "계산 방법", "<th>월</th>"} {
		if !strings.Contains(page, k) {
			t.Errorf("Korean page lacks %q", k)
		}
	}
}
