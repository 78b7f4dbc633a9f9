package report

import (
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
)

// Each period's window [from, to) and comparison period, worked out by hand
// on a calendar for Asia/Seoul. Now is Thursday 3 December 2026, 05:00 in
// Seoul, still Wednesday 2 December in UTC: "yesterday" is 2 December.
func TestPeriodWindowsInSeoul(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{}
	cfg.Earshot.Location = seoul
	now := time.Date(2026, 12, 2, 20, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		name                   string
		period                 string
		start, end, compare    time.Time
		from, to, prev, prevTo string // local dates; to and prevTo exclusive
	}{
		{"yesterday", "day", time.Time{}, time.Time{}, time.Time{}, "2026-12-02", "2026-12-03", "2026-12-01", "2026-12-02"},
		// ISO weeks, Monday to Sunday: 30 Nov 2026 is a Monday.
		{"last week", "week", time.Time{}, time.Time{}, time.Time{}, "2026-11-23", "2026-11-30", "2026-11-16", "2026-11-23"},
		{"this week (end today)", "week", time.Time{}, day(2026, 12, 3), time.Time{}, "2026-11-30", "2026-12-07", "2026-11-23", "2026-11-30"},
		{"four ISO weeks", "month", time.Time{}, time.Time{}, time.Time{}, "2026-11-02", "2026-11-30", "2026-10-05", "2026-11-02"},
		{"last 28 days", "28d", time.Time{}, time.Time{}, time.Time{}, "2026-11-05", "2026-12-03", "2026-10-08", "2026-11-05"},
		{"last calendar month", "calendar-month", time.Time{}, time.Time{}, time.Time{}, "2026-11-01", "2026-12-01", "2026-10-02", "2026-11-01"},
		{"February (28 days)", "calendar-month", time.Time{}, day(2026, 2, 10), time.Time{}, "2026-02-01", "2026-03-01", "2026-01-04", "2026-02-01"},
		{"last quarter (Q3, 92 days)", "quarter", time.Time{}, time.Time{}, time.Time{}, "2026-07-01", "2026-10-01", "2026-03-31", "2026-07-01"},
		{"Q4 holding 15 Nov", "quarter", time.Time{}, day(2026, 11, 15), time.Time{}, "2026-10-01", "2027-01-01", "2026-07-01", "2026-10-01"},
		{"custom, 11 days", "custom", day(2026, 11, 10), day(2026, 11, 20), time.Time{}, "2026-11-10", "2026-11-21", "2026-10-30", "2026-11-10"},
		{"custom against a year earlier", "custom", day(2026, 11, 10), day(2026, 11, 20), day(2025, 11, 10), "2026-11-10", "2026-11-21", "2025-11-10", "2025-11-21"},
		{"last week against the same week a year earlier", "week", time.Time{}, time.Time{}, day(2025, 11, 24), "2026-11-23", "2026-11-30", "2025-11-24", "2025-12-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := Request{Config: cfg, Period: c.period, Start: c.start, End: c.end, CompareStart: c.compare, Now: now}
			w, err := resolve(&req)
			if err != nil {
				t.Fatal(err)
			}
			local := func(s string) time.Time {
				d, err := time.ParseInLocation(time.DateOnly, s, seoul)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}
			if !w.start.Equal(local(c.from)) || !w.end.Equal(local(c.to)) {
				t.Errorf("window [%s, %s), want [%s, %s)", w.start, w.end, c.from, c.to)
			}
			if !w.prevStart.Equal(local(c.prev)) || !w.prevStart.AddDate(0, 0, w.days).Equal(local(c.prevTo)) {
				t.Errorf("comparison from %s for %d days, want [%s, %s)", w.prevStart, w.days, c.prev, c.prevTo)
			}
			// The day indexes the rollups are summed over are the same days.
			if w.dayIndex(w.start) != w.winFrom() || w.dayIndex(w.end) != w.histDays ||
				w.dayIndex(w.prevStart) != w.prevFrom() || w.dayIndex(local(c.prevTo)) != w.prevTo() || w.prevFrom() < baselineDays {
				t.Errorf("indexes: win [%d, %d) prev [%d, %d), history %d days", w.winFrom(), w.histDays, w.prevFrom(), w.prevTo(), w.histDays)
			}
			if w.inPrev(local(c.prev).Add(-time.Second)) || !w.inPrev(local(c.prev)) || !w.inPrev(local(c.prevTo).Add(-time.Second)) || w.inPrev(local(c.prevTo)) {
				t.Errorf("inPrev boundaries wrong for [%s, %s)", c.prev, c.prevTo)
			}
		})
	}
}

func TestPeriodErrors(t *testing.T) {
	cfg := &config.Config{}
	now := time.Date(2026, 12, 2, 20, 0, 0, 0, time.UTC)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{Period: "fortnight"}, `unknown period "fortnight"`},
		{Request{Period: "custom", End: day(11, 20)}, "needs a start date"},
		{Request{Period: "custom", Start: day(11, 21), End: day(11, 20)}, "after its end"},
		{Request{Period: "custom", Start: day(1, 1).AddDate(-1, 0, 0), End: day(11, 20)}, "1 to 366 days"},
		{Request{Period: "week", CompareStart: day(11, 18)}, "overlaps the report's"},
		{Request{Period: "week", CompareStart: day(11, 16).AddDate(-2, 0, 0)}, "more than 366 days before"},
	} {
		c.req.Config, c.req.Now = cfg, now
		_, err := resolve(&c.req)
		if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.req, err, c.want)
		}
	}
}

// docs/report.md lists the same period names as Periods.
func TestPeriodsDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/report.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?m)^Periods: (.*)$").FindSubmatch(b)
	if m == nil {
		t.Fatal(`docs/report.md has no "Periods: ..." line`)
	}
	var names []string
	for _, f := range regexp.MustCompile("`([a-z0-9-]+)`").FindAllSubmatch(m[1], -1) {
		names = append(names, string(f[1]))
	}
	if !slices.Equal(names, Periods) {
		t.Errorf("docs list %v, code %v", names, Periods)
	}
}

// A comparison period that is not the days right before the window: its
// counts, and only its, are the "previous" figures. Acme has 3 mentions in
// the window (16–22 Nov), 5 the week before and 2 the week before that,
// every earlier one about the outage topic (one a day from 9 and from 2
// November). Compared from 2 November: 2; from 3 November ([3, 10 Nov)):
// the one of 3 November and the one of 9 November, 2 again but other posts.
func TestComparisonPeriodCounts(t *testing.T) {
	f := &fix{}
	for i := range 3 {
		f.add("reddit", i, 10, "neutral", 1, "Acme")
	}
	for i := range 5 {
		f.add("reddit", -7+i, 10, "neutral", 1, "Acme").Topics = []string{"outage"}
	}
	for i := range 2 {
		f.add("reddit", -14+i, 10, "neutral", 1, "Acme").Topics = []string{"outage"}
	}
	st := fixtureStore(t, f.ms)
	for _, c := range []struct {
		compare time.Time
		prev    int64
	}{{time.Time{}, 5}, {time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), 2}, {time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), 2}} {
		r := buildT(t, st, Request{Config: fixtureCfg(t, ""), Period: "week", End: winEnd, CompareStart: c.compare, Now: fixNow})
		var acme *BrandFigures
		for i, nv := range r.Voice.Networks {
			if nv.Network == "reddit" {
				for j := range nv.Brands {
					if nv.Brands[j].Brand == "Acme" {
						acme = &r.Voice.Networks[i].Brands[j]
					}
				}
			}
		}
		if acme == nil || acme.Mentions != 3 || acme.MentionsPrev != c.prev {
			t.Errorf("compare from %s: Acme on reddit = %+v, want 3 against %d", c.compare, acme, c.prev)
		}
		var topic int64 = -1
		for _, tr := range r.Topics.Topics {
			if tr.Topic == "outage" {
				topic = tr.Prev
			}
		}
		if topic != c.prev {
			t.Errorf("compare from %s: outage topic previous = %d, want %d", c.compare, topic, c.prev)
		}
		if want := c.compare; !want.IsZero() && r.Meta.PrevStart != want.Format(time.RFC3339) {
			t.Errorf("meta.prev_start = %s", r.Meta.PrevStart)
		}
	}
}
