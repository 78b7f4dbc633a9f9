package report

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func pageDoc(t *testing.T, r *Report, lang string) *goquery.Document {
	t.Helper()
	var b bytes.Buffer
	if err := RenderHTML(&b, r, HTMLOptions{Lang: lang, FormAction: "/report"}); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The page leads with the findings; the config hash and reproducibility
// lines sit only in the "how this is computed" disclosure, the notes in
// their own, counted; on a phone every table row becomes a card whose
// figures carry their column's name (data-label) and whose key cells
// (network, brand…) head it.
func TestHTMLLayoutFindingsFirstDisclosuresAndCards(t *testing.T) {
	r := fixtureReport(t)
	if len(r.Meta.Notes) == 0 {
		t.Fatal("the fixture has no notes: the notes disclosure is untested")
	}
	for _, lang := range Languages {
		doc := pageDoc(t, r, lang)
		words := layoutWords(lang)
		if id, _ := doc.Find("h2").First().Parent().Attr("id"); id != "findings" {
			t.Errorf("%s: the first section is %q, not the findings", lang, id)
		}
		if doc.Find("#findings").NextAllFiltered("form").Length() != 1 {
			t.Errorf("%s: the form is not after the findings", lang)
		}
		how := doc.Find("details.how").Text()
		doc.Find("details.how").Remove()
		if !strings.Contains(how, r.Meta.ConfigHash) || strings.Contains(doc.Text(), r.Meta.ConfigHash) {
			t.Errorf("%s: config hash %s not only behind the disclosure", lang, r.Meta.ConfigHash)
		}
		if doc.Find(".formula").Length() != 0 {
			t.Errorf("%s: formulas outside the disclosure", lang)
		}
		notes := doc.Find("details.notes")
		if got := notes.Find("li").Length(); got != len(r.Meta.Notes) || !strings.Contains(notes.Find("summary").Text(), numText(len(r.Meta.Notes))) {
			t.Errorf("%s: notes disclosure has %d items (%q), want %d", lang, got, notes.Find("summary").Text(), len(r.Meta.Notes))
		}
		ts := tables(r)
		got := doc.Find("table.cards")
		var withRows []table
		for _, tb := range ts {
			if len(tb.Rows) > 0 {
				withRows = append(withRows, tb)
			}
		}
		if got.Length() != len(withRows) {
			t.Fatalf("%s: %d card tables, %d tables with rows", lang, got.Length(), len(withRows))
		}
		got.Each(func(i int, tab *goquery.Selection) {
			tb := withRows[i]
			// The white space table is shown; every other table is behind
			// a disclosure headed by its title.
			open := tb.Title == titleWhiteSpace
			if d := tab.Closest("details.tbl"); open != (d.Length() == 0) || (!open && d.Find("summary h2").Text() != trOr(words, tb.Title)) {
				t.Errorf("%s: %s open = %v, in a disclosure = %v", lang, tb.Title, open, d.Length() != 0)
			}
			tab.Find("tr").Not(".head").Each(func(k int, tr *goquery.Selection) {
				tr.Find("td").Each(func(j int, td *goquery.Selection) {
					label, has := td.Attr("data-label")
					switch {
					case j < tb.Keys && (has || !td.HasClass("k")):
						t.Errorf("%s: %s row %d key cell %d is not a card heading", lang, tb.Title, k, j)
					case j >= tb.Keys && label != trOr(words, tb.Head[j]):
						t.Errorf("%s: %s row %d cell %d labelled %q, want %q", lang, tb.Title, k, j, label, trOr(words, tb.Head[j]))
					}
				})
			})
		})
	}
}

func trOr(w map[string]string, s string) string {
	if v, ok := w[s]; ok {
		return v
	}
	return s
}

func numText(n int) string { return num(int64(n)) }

// Every network's share-of-voice bar has one segment per brand with a
// share: as wide as its share, in the brand's colour, linked to the
// mentions it counts, its value printed under the bar (and inside it when
// the segment is at least barLabelMin wide).
func TestHTMLSOVBarsValueLabelsAndLinks(t *testing.T) {
	r := fixtureReport(t)
	doc := pageDoc(t, r, "en")
	rows := doc.Find(".bars .bar-row")
	if rows.Length() != len(r.Voice.Networks) {
		t.Fatalf("%d bars for %d networks", rows.Length(), len(r.Voice.Networks))
	}
	small, big := 0, 0
	rows.Each(func(i int, row *goquery.Selection) {
		nv := r.Voice.Networks[i]
		if got := row.Find(".bar-net").Text(); got != NetworkLabel(nv.Network) {
			t.Errorf("bar %d is %q, want %q", i, got, NetworkLabel(nv.Network))
		}
		segs, vals := row.Find(".bar a"), row.Find(".bar-vals a")
		k := 0
		for bi, b := range nv.Brands {
			if b.SOV <= 0 {
				continue
			}
			seg, val := segs.Eq(k), vals.Eq(k)
			k++
			href := figureQuery(r.Meta, nv.Network, b.Brand).URL()
			style, _ := seg.Attr("style")
			h1, _ := seg.Attr("href")
			h2, _ := val.Attr("href")
			if want := "width:" + flt(b.SOV, 1) + "%;background:" + color(bi); !strings.HasPrefix(style, want) {
				t.Errorf("%s/%s: style %q, want %q", nv.Network, b.Brand, style, want)
			}
			if h1 != href || h2 != href {
				t.Errorf("%s/%s: links %q %q, want %q", nv.Network, b.Brand, h1, h2, href)
			}
			if want := b.Brand + " " + flt(b.SOV, 1) + "%"; val.Text() != want {
				t.Errorf("%s/%s: value label %q, want %q", nv.Network, b.Brand, val.Text(), want)
			}
			in := seg.Text()
			if b.SOV >= barLabelMin {
				big++
				if in != flt(b.SOV, 0)+"%" {
					t.Errorf("%s/%s (%.1f%%): in-bar label %q", nv.Network, b.Brand, b.SOV, in)
				}
			} else if small++; in != "" {
				t.Errorf("%s/%s (%.1f%%): in-bar label %q in a narrow segment", nv.Network, b.Brand, b.SOV, in)
			}
		}
		if segs.Length() != k || vals.Length() != k {
			t.Errorf("%s: %d segments, %d labels, want %d", nv.Network, segs.Length(), vals.Length(), k)
		}
		if k == 0 && row.Find(".bar-vals").Text() != layoutWords("en")["no_rows"] {
			t.Errorf("%s: an empty bar does not say so", nv.Network)
		}
	})
	if small == 0 || big == 0 {
		t.Errorf("the fixture has %d narrow and %d wide segments: both kinds must occur", small, big)
	}
}

// Both charts label their axes: a title per axis in the page's language
// and ticks at hand-computed positions. The drawing box is 480 × 200 with
// the plot from y = 18 (top) to y = 166 (baseline): net sentiment +1 is
// drawn at 18, 0 at 92, −1 at 166; daily mentions' maximum at 18, zero at
// 166.
func TestHTMLChartsLabelledAxes(t *testing.T) {
	r := fixtureReport(t)
	for _, lang := range Languages {
		w := layoutWords(lang)
		tr := trendChart(r, w)
		if tr.XTitle != w["axis_week"] || tr.YTitle != w["net"] || tr.XTitle == "" || tr.YTitle == "" {
			t.Errorf("%s: trend axes %q / %q", lang, tr.XTitle, tr.YTitle)
		}
		if want := []yTick{{18, "+1"}, {92, "0"}, {166, "−1"}}; !slices.Equal(tr.YTicks, want) {
			t.Errorf("%s: trend ticks %v, want %v", lang, tr.YTicks, want)
		}
		vc := volumeChart(r, w)
		if vc.XTitle != w["day"] || vc.YTitle != w["mentions"] || len(vc.YTicks) < 2 {
			t.Errorf("%s: volume axes %q / %q, ticks %v", lang, vc.XTitle, vc.YTitle, vc.YTicks)
		}
		var top int64
		for _, b := range r.Trend.Brands {
			for _, v := range b.Daily {
				top = max(top, v)
			}
		}
		if vc.YTicks[0] != (yTick{18, num(top)}) || vc.YTicks[1] != (yTick{166, "0"}) || vc.Bottom != 166 || vc.Left != padL {
			t.Errorf("%s: volume ticks %v (max %d), baseline %v", lang, vc.YTicks, top, vc.Bottom)
		}
		if len(vc.Labels) == 0 || vc.Labels[0].Text != shortDay(r.Trend.Days[0]) || vc.Labels[0].X != padL {
			t.Errorf("%s: volume x ticks %v", lang, vc.Labels)
		}
		doc := pageDoc(t, r, lang)
		for _, want := range []string{tr.XTitle, tr.YTitle, vc.XTitle, vc.YTitle} {
			if doc.Find("svg.chart text.xtitle, svg.chart text.ytitle").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == want }).Length() == 0 {
				t.Errorf("%s: no axis titled %q on the page", lang, want)
			}
		}
		if n := doc.Find("svg.chart").Length(); n != 2 || doc.Find("svg.chart text.ytick").Length() != len(tr.YTicks)+len(vc.YTicks) {
			t.Errorf("%s: %d charts, ticks missing", lang, n)
		}
	}
}

// The layout's own words exist in every language and do not shadow the
// page's.
func TestLayoutTextComplete(t *testing.T) {
	en := slices.Sorted(maps.Keys(layoutText["en"]))
	for lang, w := range layoutText {
		if !slices.Equal(slices.Sorted(maps.Keys(w)), en) {
			t.Errorf("%s has keys %v, English %v", lang, slices.Sorted(maps.Keys(w)), en)
		}
		for k, v := range w {
			if _, dup := pageText["en"][k]; dup || v == "" {
				t.Errorf("%s: %q is empty or also a pageText key", lang, k)
			}
		}
	}
	if !slices.Equal(slices.Sorted(maps.Keys(layoutText)), slices.Sorted(slices.Values(Languages))) {
		t.Errorf("layout languages %v, page languages %v", slices.Sorted(maps.Keys(layoutText)), Languages)
	}
}

// docs/report.md states the page's layout constants as the code has them.
func TestHTMLLayoutDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/report.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(b)), " ")
	for _, want := range []string{
		fmt.Sprintf("inside the segment when it is at least %d %% wide", barLabelMin),
		fmt.Sprintf("drawn in a %d-unit box", chartW),
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/report.md does not say %q", want)
		}
	}
}
