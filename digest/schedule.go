package digest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/earshot/earshot/config"
)

// Schedule is a cron spec read in a time zone. Next and Prev are pure
// functions of their argument: the caller's clock decides what "now" is.
type Schedule struct {
	spec  string
	sched *cron.SpecSchedule
	loc   *time.Location
}

// ParseSchedule parses a 5-field cron spec ("0 9 * * MON") or a descriptor
// (@weekly, @daily, @monthly, @yearly) whose times are wall-clock times in
// loc (nil = UTC). Time zone prefixes and @every are refused.
func ParseSchedule(spec string, loc *time.Location) (*Schedule, error) {
	if loc == nil {
		loc = time.UTC
	}
	ss, _, err := config.ParseCron(spec)
	if err != nil {
		return nil, fmt.Errorf("digest: schedule %q: %w", spec, err)
	}
	ss.Location = loc
	return &Schedule{spec: spec, sched: ss, loc: loc}, nil
}

// String returns the spec and zone, "0 9 * * MON (Asia/Seoul)".
func (s *Schedule) String() string { return s.spec + " (" + s.loc.String() + ")" }

// Location is the zone the spec is read in.
func (s *Schedule) Location() *time.Location { return s.loc }

// Next returns the first scheduled time strictly after t, in the schedule's
// zone, or the zero time when the spec never fires (Feb 30).
// When clocks fall back and a wall-clock time happens twice, the schedule
// fires at the first occurrence only.
func (s *Schedule) Next(t time.Time) time.Time {
	n := s.sched.Next(t)
	for i := 0; i < 2 && !n.IsZero() && s.repeated(n); i++ {
		n = s.sched.Next(n)
	}
	return n
}

// repeated reports whether the wall-clock time of t already happened
// earlier in the same night (the second pass through a fall-back hour).
func (s *Schedule) repeated(t time.Time) bool {
	wall := t.In(s.loc).Format("2006-01-02 15:04")
	for _, d := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		if t.Add(-d).In(s.loc).Format("2006-01-02 15:04") == wall {
			return true
		}
	}
	return false
}

// maxLookback bounds Prev: a spec firing less often than this (Feb 29
// every four years is the sparsest valid one) is searched no further.
const maxLookback = 9 * 366 * 24 * time.Hour

// Prev returns the latest scheduled time at or before t, or the zero time
// when there is none within nine years. It walks Next forward from a start
// that doubles back from t, so it costs O(fires in the window).
func (s *Schedule) Prev(t time.Time) time.Time {
	for back := time.Hour; back <= 2*maxLookback; back *= 2 {
		var last time.Time
		for n := s.Next(t.Add(-back)); !n.IsZero() && !n.After(t); n = s.Next(n) {
			last = n
		}
		if !last.IsZero() {
			return last
		}
	}
	return time.Time{}
}

// Week is an ISO 8601 week, the period a digest reports on.
type Week struct {
	Year, Week int
}

// WeekOf returns the ISO week containing t's date in loc.
func WeekOf(t time.Time, loc *time.Location) Week {
	y, w := t.In(loc).ISOWeek()
	return Week{y, w}
}

// PeriodFor returns the week a digest firing at fire reports on: the last
// complete week before it, the week of fire minus seven days (Monday 09:00
// reports Monday to Sunday just ended; a Friday schedule, the week before).
func PeriodFor(fire time.Time, loc *time.Location) Week {
	return WeekOf(fire.In(loc).AddDate(0, 0, -7), loc)
}

// String formats the week as "2026-W47".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Week) }

// Monday returns the first day of the week, at midnight in loc.
func (w Week) Monday(loc *time.Location) time.Time {
	// January 4th is always in week 1.
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, loc)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return time.Date(w.Year, time.January, 4-offset+7*(w.Week-1), 0, 0, 0, 0, loc)
}

// Sunday returns the last day of the week, at midnight in loc.
func (w Week) Sunday(loc *time.Location) time.Time {
	m := w.Monday(loc)
	return time.Date(m.Year(), m.Month(), m.Day()+6, 0, 0, 0, 0, loc)
}

// errBadWeek is wrapped by ParseWeek errors.
var errBadWeek = errors.New("want an ISO week such as 2026-W47, or a date (YYYY-MM-DD) inside the week")

// ParseWeek reads "2026-W47" (also "2026W47", lower-case w) or a date
// "2026-11-18", meaning the ISO week containing it.
func ParseWeek(s string, loc *time.Location) (Week, error) {
	s = strings.TrimSpace(s)
	if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return WeekOf(d, loc), nil
	}
	up := strings.ToUpper(s)
	ys, ws, ok := strings.Cut(up, "W")
	ys = strings.TrimSuffix(ys, "-")
	if !ok || len(ys) != 4 || len(ws) < 1 || len(ws) > 2 {
		return Week{}, fmt.Errorf("invalid week %q: %w", truncate(s, 30), errBadWeek)
	}
	y, err1 := strconv.Atoi(ys)
	w, err2 := strconv.Atoi(ws)
	if err1 != nil || err2 != nil || y < 1971 || y > 9000 || w < 1 || w > 53 {
		return Week{}, fmt.Errorf("invalid week %q: %w", truncate(s, 30), errBadWeek)
	}
	wk := Week{y, w}
	if got := WeekOf(wk.Monday(loc), loc); got != wk {
		return Week{}, fmt.Errorf("invalid week %q: %d has no week %d", s, y, w)
	}
	return wk, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
