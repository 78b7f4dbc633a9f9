package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// csvScenario is a hand-made report in Asia/Seoul: reach known for 3 of 4
// Acme mentions (all 2 of Globex's), the previous period partly collected,
// a spike with 2 mentions whose date is estimated, and a sampled phrase.
func csvScenario() *Report {
	f := func(v float64) *float64 { return &v }
	n := func(v int64) *int64 { return &v }
	return &Report{Own: "Acme", Brands: []string{"Acme", "Globex"},
		Meta: Meta{Period: "week", Start: "2026-11-23T00:00:00+09:00", End: "2026-11-30T00:00:00+09:00",
			PrevStart: "2026-11-16T00:00:00+09:00", Days: 7, Timezone: "Asia/Seoul", Networks: []string{"x"},
			ConfigHash: "abc", Watermark: 9, FormulaVersion: "v", Generated: "2026-11-30T09:15:00+09:00"},
		Voice: VoiceSection{Networks: []NetworkVoices{{Network: "x", Mentions: 6, PrevPartial: true, Brands: []BrandFigures{
			{Brand: "Acme", Mentions: 4, SOV: 66.7, ChangeNote: notePrevPartial, Reach: n(1200), ReachKnown: 3, ReachSOV: f(60), Exposure: n(50), ExposureKnown: 4},
			{Brand: "Globex", Mentions: 2, SOV: 33.3, Reach: n(800), ReachKnown: 2, ReachSOV: f(40), Exposure: n(9), ExposureKnown: 2},
		}}}},
		Spikes:   SpikeSection{Spikes: []Spike{{Day: "2026-11-25", Network: "x", Brand: "Acme", Mentions: 9, Estimated: 2}}},
		Emerging: EmergingSection{Brands: []BrandTerms{{Brand: "Acme", PhraseSample: "40 of 120 window mentions", Phrases: []Emerging{{Term: "fast charger", Count: 5}}}}},
	}
}

func csvRows(t *testing.T, r *Report) (string, [][]string) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, "csv"); err != nil {
		t.Fatal(err)
	}
	body, ok := strings.CutPrefix(buf.String(), CSVBOM)
	if !ok {
		t.Fatalf("no UTF-8 BOM: % x", buf.Bytes()[:min(8, buf.Len())])
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return body, rows
}

// TestCSVForSpreadsheets: BOM, header, the window as days and the
// generated instant as a date and time in the report's zone (no "T", no
// offset), and the estimated column on exactly the partial figures.
func TestCSVForSpreadsheets(t *testing.T) {
	_, rows := csvRows(t, csvScenario())
	if got := strings.Join(rows[0], ","); got != "section,row,column,value,estimated" {
		t.Fatalf("header %q", got)
	}
	meta := map[string]string{}
	est := map[string]string{}
	for _, r := range rows[1:] {
		if strings.HasPrefix(r[4], "unknown") || strings.HasPrefix(r[4], "prev. partly") {
			if r[3] != "" {
				t.Errorf("%q: an unknown figure is written %q, want an empty cell", r, r[3])
			}
		}
		if r[3] == "—" || r[3] == "new" || r[3] == "prev. partly collected" {
			t.Errorf("%q: a note in the value column", r)
		}
		if len(r) != 5 {
			t.Fatalf("row %q has %d cells", r, len(r))
		}
		if r[0] == "meta" {
			meta[r[2]] = r[3]
		}
		if r[4] != "" {
			est[r[0]+"|"+r[1]+"|"+r[2]] = r[4]
		}
	}
	for k, want := range map[string]string{"first_day": "2026-11-23", "last_day": "2026-11-29", "previous_first_day": "2026-11-16",
		"previous_last_day": "2026-11-22", "timezone": "Asia/Seoul", "generated": "2026-11-30 09:15:00", "days": "7"} {
		if meta[k] != want {
			t.Errorf("meta %s = %q, want %q", k, meta[k], want)
		}
	}
	sov := voiceTitle + "|x/Acme|"
	want := map[string]string{
		sov + "reach": "reach known for 3 of 4 mentions", sov + "reach SOV %": "reach known for 3 of 4 mentions",
		sov + "unique reach SOV %":                 "reach known for 3 of 4 mentions",
		spikeTitle + "|2026-11-25/x/Acme|mentions": "2 mentions with an estimated date left out",
		emergingTitle + "|Acme/fast charger|count": "sampled: 40 of 120 window mentions", emergingTitle + "|Acme/fast charger|baseline": "sampled: 40 of 120 window mentions",
		emergingTitle + "|Acme/fast charger|lift": "sampled: 40 of 120 window mentions", emergingTitle + "|Acme/fast charger|G²": "sampled: 40 of 120 window mentions",
	}
	// Unknown figures are empty cells with "unknown" (first) in the
	// estimated column; a change not called, its note.
	pp := "previous period partly collected"
	for _, b := range []string{"Acme", "Globex"} {
		for c, w := range map[string]string{"prev": pp, "net prev": "unknown; " + pp, "Δ pts": "unknown; " + pp, "change": "unknown; " + pp,
			"net": "unknown", "eng SOV %": "unknown", "interactions": "unknown", "interactions/post": "unknown", "avg": "unknown",
			"unique reach SOV %": "unknown"} {
			want[voiceTitle+"|x/"+b+"|"+c] = w
		}
	}
	want[sov+"change"] = "prev. partly collected; " + pp // a change not called: its note
	want[sov+"unique reach SOV %"] = "unknown; reach known for 3 of 4 mentions"
	want[coverageTitle+"|x|leader"] = "unknown"
	for k, w := range want {
		if est[k] != w {
			t.Errorf("estimated %s = %q, want %q", k, est[k], w)
		}
	}
	for k, v := range est {
		if _, ok := want[k]; !ok {
			t.Errorf("estimated %s = %q: the figure is complete", k, v)
		}
	}
}

// TestWindowLine: the page's window line names the days in the reader's
// language, the last day inclusive, and the time zone once.
func TestWindowLine(t *testing.T) {
	r := csvScenario()
	for lang, want := range map[string]string{
		"en": "23 Nov – 29 Nov 2026 (week, 7 days, time zone Asia/Seoul), compared with 16 Nov – 22 Nov 2026",
		"ko": "2026년 11월 23일 – 29일 (week, 7일, 시간대 Asia/Seoul), 비교 기간 2026년 11월 16일 – 22일",
	} {
		lines := headerIn(r, pageWords(lang), NewLocale(lang))
		if lines[1] != want {
			t.Errorf("%s: window %q, want %q", lang, lines[1], want)
		}
		// The generated instant in the Locale's words, in the report's zone.
		gen := map[string]string{"en": "generated Mon 30 Nov 2026, 09:15 KST", "ko": "생성 2026년 11월 30일 (월) 09:15 KST"}[lang]
		if !slices.Contains(lines, gen) {
			t.Errorf("%s: no line %q in %q", lang, gen, lines)
		}
		if all := strings.Join(lines, "\n"); strings.Count(all, "Asia/Seoul") != 1 || strings.Contains(all, "T00:00:00") {
			t.Errorf("%s: the zone is not named once, or a raw instant is left:\n%s", lang, all)
		}
	}
}

func TestLocaleRange(t *testing.T) {
	for _, c := range []struct{ lang, a, b, want string }{
		{"en", "2026-11-23", "2026-11-29", "23 Nov – 29 Nov 2026"},
		{"en", "2026-11-30", "2026-12-06", "30 Nov – 6 Dec 2026"},
		{"en", "2026-12-28", "2027-01-03", "28 Dec 2026 – 3 Jan 2027"},
		{"en", "2026-11-23", "2026-11-23", "Mon 23 Nov 2026"},
		{"ko", "2026-11-23", "2026-11-29", "2026년 11월 23일 – 29일"},
		{"ko", "2026-11-30", "2026-12-06", "2026년 11월 30일 – 12월 6일"},
		{"ko", "2026-12-28", "2027-01-03", "2026년 12월 28일 – 2027년 1월 3일"},
		{"ko", "2026-11-23", "2026-11-23", "2026년 11월 23일 (월)"},
		{"en", "bad", "2026-11-23", "bad – 2026-11-23"},
	} {
		if got := NewLocale(c.lang).Range(c.a, c.b); got != c.want {
			t.Errorf("%s Range(%s, %s) = %q, want %q", c.lang, c.a, c.b, got, c.want)
		}
	}
}
