package config

import (
	"fmt"
	"strings"

	"github.com/robfig/cron/v3"
)

// cronParser reads standard 5-field specs and @-descriptors.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// CheckCronSpec validates a digest schedule as ParseCron does. On error it
// returns the byte offset of the offending field.
func CheckCronSpec(spec string) (int, error) {
	_, off, err := ParseCron(spec)
	return off, err
}

// ParseCron is Earshot's one cron parser: it reads 5 cron fields or
// @weekly, @daily, @monthly, @yearly into a schedule in UTC (the caller sets
// Location). Time zone prefixes (the zone is earshot.timezone) and @every
// (not tied to the calendar) are refused. On error it returns the byte
// offset of the offending field.
func ParseCron(spec string) (*cron.SpecSchedule, int, error) {
	trimmed := strings.TrimSpace(spec)
	lead := strings.Index(spec, trimmed)
	switch {
	case strings.HasPrefix(trimmed, "TZ=") || strings.HasPrefix(trimmed, "CRON_TZ="):
		return nil, lead, fmt.Errorf("a time zone prefix is not allowed: the schedule runs in earshot.timezone")
	case strings.HasPrefix(trimmed, "@every"):
		return nil, lead, fmt.Errorf("@every is not tied to the calendar: use a cron spec such as \"0 9 * * MON\"")
	case strings.HasPrefix(trimmed, "@"):
		s, err := cronParser.Parse(trimmed)
		if err != nil {
			return nil, lead, fmt.Errorf("unknown descriptor: want @weekly, @daily, @monthly or @yearly, or 5 fields such as \"0 9 * * MON\"")
		}
		return calendar(s, lead)
	}
	fields := strings.Fields(trimmed)
	if len(fields) != 5 {
		return nil, lead, fmt.Errorf("want 5 fields (minute hour day-of-month month day-of-week) such as \"0 9 * * MON\", got %d", len(fields))
	}
	if s, err := cronParser.Parse(trimmed); err == nil {
		return calendar(s, lead)
	}
	// Find the field at fault: parse it alone with the others as "*".
	names := []string{"minute", "hour", "day-of-month", "month", "day-of-week"}
	off := lead
	for i, f := range fields {
		at := strings.Index(spec[off:], f) + off
		off = at + len(f)
		probe := []string{"*", "*", "*", "*", "*"}
		probe[i] = f
		if _, err := cronParser.Parse(strings.Join(probe, " ")); err != nil {
			return nil, at, fmt.Errorf("%s field %q: %v", names[i], truncate(f, 20), err)
		}
	}
	return nil, lead, fmt.Errorf("fields do not combine into a schedule")
}

// calendar is s as a calendar schedule (every spec ParseCron accepts is one).
func calendar(s cron.Schedule, lead int) (*cron.SpecSchedule, int, error) {
	ss, ok := s.(*cron.SpecSchedule)
	if !ok {
		return nil, lead, fmt.Errorf("not a calendar schedule")
	}
	cp := *ss
	return &cp, 0, nil
}
