package web

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// The page's period names reach the report as report.Periods: "this week"
// is the ISO week holding today in the configured zone (Seoul is already
// on Friday 27 November when UTC is still on Thursday), "last week" the
// default week; custom and comparison dates pass through.
func TestReportPeriodChoices(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeReporter{}
	s := reportServer(t, f)
	s.opts.Zone = func() *time.Location { return seoul }
	s.opts.Clock = func() time.Time { return time.Date(2026, 11, 26, 16, 0, 0, 0, time.UTC) }
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		q                   string
		period              string
		start, end, compare time.Time
	}{
		{"period=this-week", "week", time.Time{}, day(11, 27), time.Time{}},
		{"period=this-week&end=2026-10-01", "week", time.Time{}, day(11, 27), time.Time{}}, // the form sends the shown end back
		{"period=last-week", "week", time.Time{}, time.Time{}, time.Time{}},
		{"period=28d", "28d", time.Time{}, time.Time{}, time.Time{}},
		{"period=calendar-month&end=2026-10-05", "calendar-month", time.Time{}, day(10, 5), time.Time{}},
		{"period=quarter", "quarter", time.Time{}, time.Time{}, time.Time{}},
		{"period=custom&start=2026-11-10&end=2026-11-20&compare_from=2025-11-10", "custom", day(11, 10), day(11, 20), day(11, 10).AddDate(-1, 0, 0)},
	} {
		rec, body := get(t, s, "/api/report?"+c.q)
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", c.q, rec.Code, body)
		}
		g := f.got
		if g.Period != c.period || !g.End.Equal(c.end) || (c.period == "custom" && !g.Start.Equal(c.start)) || !g.CompareStart.Equal(c.compare) {
			t.Errorf("%s: request %s start %s end %s compare %s", c.q, g.Period, g.Start, g.End, g.CompareStart)
		}
		if !strings.Contains(body, `"period":"`+c.period+`"`) {
			t.Errorf("%s: %s", c.q, body)
		}
	}
	// Every choice the form offers is a period the report knows, labelled
	// in each language.
	if len(reportPeriodsKo) != len(reportPeriods) {
		t.Errorf("%d Korean period labels for %d periods", len(reportPeriodsKo), len(reportPeriods))
	}
	for i, c := range periodChoices("ko") {
		if c.Value != reportPeriods[i].Value || c.Label == "" || c.Label == reportPeriods[i].Label {
			t.Errorf("Korean choice %d = %+v", i, c)
		}
	}
	for _, c := range reportPeriods {
		f.got = report.Request{}
		if rec, _ := get(t, s, "/api/report?period="+c.Value+"&start=2026-11-01"); rec.Code != 200 {
			t.Errorf("form choice %s refused", c.Value)
		}
		p := f.got.Period
		found := false
		for _, known := range report.Periods {
			found = found || known == p
		}
		if !found {
			t.Errorf("form choice %s becomes unknown period %q", c.Value, p)
		}
	}
	_, page := get(t, s, "/report?period=custom&start=2026-11-10&end=2026-11-20&compare_from=2025-11-10")
	for _, want := range []string{`<option value="custom" selected>`, `<option value="this-week">This week (so far)</option>`,
		`name="start" value="2026-11-10"`, `name="compare_from" value="2025-11-10"`, `<option value="quarter">Quarter</option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("report page lacks %s", want)
		}
	}
	if rec, _ := get(t, s, "/api/report?period=fortnight"); rec.Code != 400 {
		t.Errorf("unknown period answered %d", rec.Code)
	}
	if rec, _ := get(t, s, "/api/report?period=custom&start=11/10/2026"); rec.Code != 400 {
		t.Errorf("bad start answered %d", rec.Code)
	}
}

// lang=ko reaches the page: lang="ko", the Korean heading and the
// language field (the sentences and highlighting are tested in
// analysis/report, TestHTMLKoreanAndWhiteSpace).
func TestReportPageKoreanAndWhiteSpace(t *testing.T) {
	cfg, err := config.Parse([]byte(reportConfig), "report.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	st := openFixtureStore(t)
	s := newFixtureServer(t, st, "", nil)
	s.opts.Reporter = report.NewBuilder(st, func() *config.Config { return cfg })
	_, en := get(t, s, "/report?period=week&end=2026-11-25")
	rec, ko := get(t, s, "/report?period=week&end=2026-11-25&lang=ko")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, ko)
	}
	for _, want := range []string{`<html lang="ko">`, "이번 기간에 달라진 점", `<option value="ko" selected>`, `id="white-space"`, `id="gap"`, `<section id="findings">`} {
		if !strings.Contains(ko, want) {
			t.Errorf("Korean page lacks %s", want)
		}
	}
	if !strings.Contains(en, `<html lang="en">`) || strings.Contains(en, "달라진") {
		t.Error("the default page is not English")
	}
	if rec, _ := get(t, s, "/report?lang=fr"); rec.Code != 400 {
		t.Errorf("lang=fr answered %d", rec.Code)
	}
}
