package feed

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// zones are the named time zones feeds write after a time that gofeed does
// not know (it reads them as UTC): the East Asian ones first of all. gofeed
// resolves the North American and European ones itself.
var zones = map[string]int{
	"KST": 9 * 3600, "JST": 9 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600, "PHT": 8 * 3600,
	"AWST": 8 * 3600, "ICT": 7 * 3600, "WIB": 7 * 3600, "IST": 5*3600 + 1800,
	"MSK": 3 * 3600, "AEST": 10 * 3600, "AEDT": 11 * 3600, "ACST": 9*3600 + 1800,
	"NZST": 12 * 3600, "NZDT": 13 * 3600, "HST": -10 * 3600, "AKST": -9 * 3600, "AKDT": -8 * 3600,
}

// koreanDate matches the forms Korean sites write ("2026. 12. 04 10:00",
// "2026.12.04 10:00", "2026-12-04 10:00:00", "2026/12/04 10:00"), with an
// optional zone after them (a name from zones, GMT/UTC, or ±hh[:]mm).
var koreanDate = regexp.MustCompile(`^(\d{4})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})\.?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$`)

// seoul is the zone of a zoneless date in a Korean-language feed.
var seoul = time.FixedZone("KST", 9*3600)

// fixDate returns the time of the raw date string when gofeed read it
// wrongly or not at all: a zone name gofeed does not know (KST read as
// UTC), or a Korean form. parsed is gofeed's reading (nil when it failed);
// lang is the feed's language: a zoneless Korean-form date in a "ko" feed
// is Korean time, elsewhere UTC. ok is false when raw is none of these and
// gofeed's reading stands.
func fixDate(raw string, parsed *time.Time, lang string) (time.Time, bool) {
	raw = strings.TrimSpace(raw)
	if m := koreanDate.FindStringSubmatch(raw); m != nil {
		loc := time.UTC
		if lang == "ko" {
			loc = seoul
		}
		if z := strings.TrimSpace(m[7]); z != "" {
			var ok bool
			if loc, ok = zoneOf(z); !ok {
				return time.Time{}, false
			}
		}
		n := func(s string) int { v, _ := strconv.Atoi(s); return v }
		y, mo, d, h, mi, s := n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6])
		if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
			return time.Time{}, false
		}
		return time.Date(y, time.Month(mo), d, h, mi, s, 0, loc), true
	}
	if parsed == nil || raw == "" {
		return time.Time{}, false
	}
	// gofeed reads an unknown zone name as UTC (offset 0): take the wall
	// time it read in the zone the name stands for.
	fields := strings.Fields(raw)
	name := strings.ToUpper(fields[len(fields)-1])
	if want, ok := zones[name]; ok && want != 0 {
		if _, off := parsed.Zone(); off == 0 {
			t := *parsed
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, want)), true
		}
	}
	return time.Time{}, false
}

// zoneOf reads a zone written after a time: a name or an offset.
func zoneOf(z string) (*time.Location, bool) {
	up := strings.ToUpper(z)
	if off, ok := zones[up]; ok {
		return time.FixedZone(up, off), true
	}
	switch up {
	case "Z", "UTC", "GMT", "UT":
		return time.UTC, true
	}
	for _, layout := range []string{"-0700", "-07:00", "-07"} {
		if t, err := time.Parse(layout, z); err == nil {
			return t.Location(), true
		}
	}
	return nil, false
}
