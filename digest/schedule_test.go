package digest

import (
	"testing"
	"time"
)

func TestScheduleSeoul(t *testing.T) {
	seoul := mustLoc(t, "Asia/Seoul")
	s, err := ParseSchedule("0 9 * * MON", seoul)
	if err != nil {
		t.Fatal(err)
	}
	// Sunday 2026-11-22 23:30 UTC is Monday 08:30 in Seoul: due in 30 minutes.
	now := time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC)
	next := s.Next(now)
	if want := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC); !next.Equal(want) {
		t.Errorf("Next = %v, want %v (09:00 KST)", next, want)
	}
	if got := s.Next(next); !got.Equal(next.Add(7 * 24 * time.Hour)) {
		t.Errorf("following = %v", got)
	}
	if prev := s.Prev(now); !prev.Equal(time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Prev = %v", prev)
	}
	if prev := s.Prev(next); !prev.Equal(next) {
		t.Errorf("Prev at a fire time = %v, want the time itself", prev)
	}
	if w := PeriodFor(next, seoul); w.String() != "2026-W47" || w.Monday(seoul).Format(time.DateOnly) != "2026-11-16" || w.Sunday(seoul).Format(time.DateOnly) != "2026-11-22" {
		t.Errorf("period = %v %v–%v", w, w.Monday(seoul), w.Sunday(seoul))
	}
}

func TestScheduleNewYorkDST(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	s, err := ParseSchedule("0 9 * * MON", ny)
	if err != nil {
		t.Fatal(err)
	}
	// DST ends Sunday 2026-11-01: 09:00 EDT is 13:00 UTC, 09:00 EST 14:00 UTC.
	first := s.Next(time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC))
	second := s.Next(first)
	if want := time.Date(2026, 10, 26, 13, 0, 0, 0, time.UTC); !first.Equal(want) {
		t.Errorf("before the change: %v, want %v", first, want)
	}
	if want := time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC); !second.Equal(want) {
		t.Errorf("after the change: %v, want %v", second, want)
	}
	if d := second.Sub(first); d != 169*time.Hour {
		t.Errorf("gap = %v, want 169h (a week plus the hour given back)", d)
	}
	if got := s.Prev(second.Add(-time.Minute)); !got.Equal(first) {
		t.Errorf("Prev across the change = %v, want %v", got, first)
	}

	// A daily 01:30 runs once on the day 01:30 happens twice.
	d, err := ParseSchedule("30 1 * * *", ny)
	if err != nil {
		t.Fatal(err)
	}
	a := d.Next(time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC)) // 00:00 EDT
	b := d.Next(a)
	if a.In(ny).Format("2006-01-02 15:04 MST") != "2026-11-01 01:30 EDT" || b.In(ny).Day() != 2 {
		t.Errorf("fall-back day fires at %v then %v; want once on Nov 1, next on Nov 2", a.In(ny), b.In(ny))
	}
	// Spring forward: 02:30 does not exist on 2027-03-14; the next fire is still that day or the next, never skipped for a week.
	sp, _ := ParseSchedule("30 2 * * *", ny)
	n := sp.Next(time.Date(2027, 3, 14, 5, 0, 0, 0, time.UTC)) // 00:00 EST
	if n.Sub(time.Date(2027, 3, 14, 5, 0, 0, 0, time.UTC)) > 48*time.Hour {
		t.Errorf("spring-forward next = %v", n.In(ny))
	}
}

func TestPrevSparseAndNever(t *testing.T) {
	s, err := ParseSchedule("0 0 29 2 *", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Prev(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)); !p.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Prev Feb 29 = %v", p)
	}
	never, err := ParseSchedule("0 0 30 2 *", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if p := never.Prev(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)); !p.IsZero() {
		t.Errorf("Prev of a spec that never fires = %v", p)
	}
	every, _ := ParseSchedule("* * * * *", time.UTC)
	at := time.Date(2027, 6, 1, 10, 30, 20, 0, time.UTC)
	if p := every.Prev(at); !p.Equal(time.Date(2027, 6, 1, 10, 30, 0, 0, time.UTC)) {
		t.Errorf("Prev every minute = %v", p)
	}
}

func TestParseScheduleErrors(t *testing.T) {
	for _, spec := range []string{"", "0 9 * *", "0 25 * * MON", "@every 1h", "CRON_TZ=Asia/Seoul 0 9 * * MON", "@fortnightly", "0 9 * * FUNDAY"} {
		if _, err := ParseSchedule(spec, time.UTC); err == nil {
			t.Errorf("ParseSchedule(%q) succeeded", spec)
		}
	}
	if _, err := ParseSchedule("@weekly", time.UTC); err != nil {
		t.Errorf("@weekly: %v", err)
	}
}

func TestParseWeek(t *testing.T) {
	seoul := mustLoc(t, "Asia/Seoul")
	for in, want := range map[string]string{"2026-W47": "2026-W47", "2026w7": "2026-W07", "2026-11-22": "2026-W47",
		"2026-11-23": "2026-W48", "2027-01-01": "2026-W53", "2026-W53": "2026-W53"} {
		w, err := ParseWeek(in, seoul)
		if err != nil || w.String() != want {
			t.Errorf("ParseWeek(%q) = %v, %v; want %s", in, w, err, want)
		}
	}
	for _, in := range []string{"", "2026", "2026-W00", "2026-W54", "2025-W53", "W47", "１２３４-W01", "2026-W4x"} {
		if w, err := ParseWeek(in, seoul); err == nil {
			t.Errorf("ParseWeek(%q) = %v, want an error", in, w)
		}
	}
	// Week 1 of 2026 starts on Monday 2025-12-29.
	if m := (Week{2026, 1}).Monday(seoul); m.Format(time.DateOnly) != "2025-12-29" {
		t.Errorf("2026-W01 Monday = %v", m)
	}
}
