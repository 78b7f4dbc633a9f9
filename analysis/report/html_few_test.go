package report

import (
	"bytes"
	"html"
	"strings"
	"testing"
)

// The page says why there are fewer than MinFindings findings (the same
// FewFindings as the digest), in the reader's language, inside the
// findings section.
func TestPageShowsFewFindings(t *testing.T) {
	r := csvScenario() // one finding (the spike); x's previous week partly collected
	for lang, want := range map[string]string{
		"en": "Only 1 finding this week: nothing else moved enough on 10 or more mentions to call. Changes are not compared on X:",
		"ko": "이번 주 발견은 1건뿐입니다: 그 밖에는 언급 10건 이상에서 판단할 만큼 움직인 것이 없습니다. X에서는",
	} {
		var b bytes.Buffer
		if err := RenderHTML(&b, r, HTMLOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(b.String())
		sec, _, _ := strings.Cut(page[strings.Index(page, `<section id="findings">`):], "</section>")
		if !strings.Contains(sec, `<p id="few-findings" class="meta">`+want) {
			t.Errorf("%s: the findings section lacks %q:\n%s", lang, want, sec)
		}
	}
}
