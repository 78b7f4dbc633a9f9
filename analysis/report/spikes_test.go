package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/store"
)

// youngInstall: Naver collected from 2026-11-19 12:00 UTC; on 11-21 nineteen
// café posts (no date: stamped when seen, at 09:00) and eight dated
// mentions; reddit collected from 10-27 00:00 with one mention a day
// until 11-20, then on 11-21 six saying "battery recall" and one date-only
// blog post stamped 23:59:59.
func youngInstall() []store.Mention {
	f := &fix{}
	at := func(m *store.Mention, fetched time.Time) { m.Fetched = fetched }
	began := winStart.AddDate(0, 0, 3).Add(12 * time.Hour) // 11-19 12:00
	for i := 0; i < 19; i++ {
		m := f.add("naver", 5, 9, "neutral", 0, "Acme")
		m.PublishedEstimated = true
		at(m, m.Published)
	}
	for i := 0; i < 8; i++ {
		at(f.add("naver", 5, 10, "neutral", 0, "Acme"), began)
	}
	for d := -20; d < 5; d++ {
		at(f.add("reddit", d, 8, "neutral", 0, "Acme"), winStart.AddDate(0, 0, -20))
	}
	for i := 0; i < 6; i++ {
		m := f.add("reddit", 5, 10+float64(i), "negative", int64(10*i), "Acme")
		m.Text = "acme battery recall announced"
		at(m, winStart.AddDate(0, 0, -20))
	}
	m := f.add("reddit", 5, 23+59.0/60+59.0/3600, "neutral", 0, "Acme") // date-only
	m.PublishedEstimated = true
	at(m, winStart.AddDate(0, 0, -20))
	return f.ms
}

// Spikes on a young install: no spike without 14 collected baseline days
// (said so), estimated dates in no day or hour figure, and a spike that is
// called is explained by its day's top mentions and words, linked.
func TestSpikesNeedABaselineAndDates(t *testing.T) {
	s := fixtureStore(t, youngInstall())
	r := buildT(t, s, Request{Config: fixtureCfg(t, ""), End: winEnd, Now: fixNow})
	var got []string
	for _, sp := range r.Spikes.Spikes {
		got = append(got, fmt.Sprintf("%s %s %d", sp.Network, sp.Day, sp.Mentions))
	}
	// reddit 11-21: 6 dated mentions against the 25 collected days
	// 10-27 .. 11-20 of one mention each: mean 1, σ 0, threshold 1. Naver
	// (and so "all") has no whole collected day before 11-21.
	if strings.Join(got, "; ") != "reddit 2026-11-21 6" {
		t.Fatalf("spikes = %q", got)
	}
	for _, note := range []string{
		"all: baseline too short on 2026-11-16 (0 of 14 days collected): spikes are called from 2026-11-30",
		"naver: baseline too short on 2026-11-16 (0 of 14 days collected): spikes are called from 2026-11-30",
	} {
		if !strings.Contains(strings.Join(r.Spikes.Notes, "\n"), note) || !strings.Contains(strings.Join(r.Meta.Notes, "\n"), note) {
			t.Errorf("notes = %q, want %q", r.Spikes.Notes, note)
		}
	}
	sp := r.Spikes.Spikes[0]
	if sp.BaselineDays != 25 || sp.Mean != 1 || sp.Sigma != 0 || sp.Estimated != 1 {
		t.Errorf("reddit spike = %+v", sp)
	}
	if sp.Why == nil || len(sp.Why.Top) != 3 || sp.Why.Top[0].Engagement != 50 || sp.Why.Top[2].Engagement != 30 {
		t.Fatalf("why = %+v", sp.Why)
	}
	var terms []string
	for _, e := range sp.Why.Terms {
		terms = append(terms, e.Term+" "+e.Search)
	}
	want := "recall /?q=recall&brand=Acme&network=reddit&kind=mention&from=2026-11-21&to=2026-11-21"
	if !strings.Contains(strings.Join(terms, "\n"), want) {
		t.Errorf("why terms = %q, want %q among them", terms, want)
	}
	// Hour of week: only dated mentions (naver 8, reddit 5 + 6); the
	// 23:59:59 blog post and the 09:00 café posts are in no hour.
	var total int64
	for _, d := range r.Audience.HourOfWeek {
		for _, c := range d {
			total += c
		}
	}
	if sat := r.Audience.HourOfWeek[5]; sat[23] != 0 || sat[9] != 0 || total != 8+5+6 {
		t.Errorf("hour of week: 23h %d, 9h %d, total %d", sat[23], sat[9], total)
	}
	// The daily trend counts dated mentions only.
	for _, bt := range r.Trend.Brands {
		if bt.Brand == "Acme" && bt.Daily[len(bt.Daily)-2] != 8+6 {
			t.Errorf("trend 11-21 = %d, want 14", bt.Daily[len(bt.Daily)-2])
		}
	}
}

// A week is an ISO week in the configured zone, as in the digest: a
// Wednesday's week is its Monday to Sunday, and with no end the last
// complete ISO week before Now.
func TestWeekIsISOWeek(t *testing.T) {
	cfg := fixtureCfg(t, "")
	for _, c := range []struct {
		end, now   time.Time
		period     string
		start, fin string
	}{
		{time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC), fixNow, "week", "2026-11-16", "2026-11-23"},
		{time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC), fixNow, "month", "2026-10-26", "2026-11-23"},
		{time.Time{}, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), "week", "2026-11-16", "2026-11-23"}, // a Wednesday
		{time.Time{}, time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), "week", "2026-11-16", "2026-11-23"}, // a Monday
		{time.Time{}, time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC), "week", "2026-11-09", "2026-11-16"}, // a Sunday
		{time.Time{}, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), "day", "2026-11-24", "2026-11-25"},
	} {
		req := Request{Config: cfg, Period: c.period, End: c.end, Now: c.now}
		w, err := resolve(&req)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.start.Format(time.DateOnly) + " " + w.end.Format(time.DateOnly); got != c.start+" "+c.fin {
			t.Errorf("%s ending %v (now %v) = %s, want %s %s", c.period, c.end, c.now, got, c.start, c.fin)
		}
	}
}
