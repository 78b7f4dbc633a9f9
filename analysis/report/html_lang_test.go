package report

import (
	"bytes"
	"html"
	"strings"
	"testing"
)

// The page in Korean carries lang="ko" and every finding's Korean sentence
// (the same findings, in the same order, as the English page); the white
// space rows worth acting on (competitors absent or weak) are highlighted,
// the others are not.
func TestHTMLKoreanAndWhiteSpace(t *testing.T) {
	r := fixtureReport(t)
	page := func(lang string) string {
		var b bytes.Buffer
		if err := RenderHTML(&b, r, HTMLOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	ko, en := page("ko"), page("")
	if !strings.Contains(ko, `<html lang="ko">`) || !strings.Contains(en, `<html lang="en">`) {
		t.Error("lang attribute wrong")
	}
	fs := Findings(r)
	if len(fs) == 0 {
		t.Fatal("the fixture has no findings: the test would prove nothing")
	}
	for _, f := range fs {
		k, e := html.EscapeString(f.Sentence(NewLocale("ko"))), html.EscapeString(f.Sentence(NewLocale("en")))
		if k == e || !strings.Contains(ko, "<li>"+k+" ") || !strings.Contains(en, "<li>"+e+" ") || strings.Contains(ko, e) {
			t.Errorf("finding %s/%s: Korean page lacks %q (or keeps %q)", f.Kind, f.Network, k, e)
		}
	}
	open, closed := 0, 0
	for _, w := range r.Gap.WhiteSpace {
		row := `<td class="k">` + w.Network + `</td><td`
		switch w.Status {
		case "absent", "weak":
			open++
			if !strings.Contains(ko, `<tr class="ws">`+row) {
				t.Errorf("white space %s (%s) not highlighted", w.Network, w.Status)
			}
		default:
			closed++
			if strings.Contains(ko, `<tr class="ws">`+row) {
				t.Errorf("white space %s (%s) highlighted", w.Network, w.Status)
			}
		}
	}
	if open == 0 || strings.Count(ko, `<tr class="ws">`) != open {
		t.Errorf("%d rows highlighted, %d open white space (%d not)", strings.Count(ko, `<tr class="ws">`), open, closed)
	}
}
