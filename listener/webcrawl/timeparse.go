package webcrawl

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// zoned layouts carry their own offset; the others are read in the
// configured location.
var zonedLayouts = []string{
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700", "2006-01-02T15:04:05-0700",
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	time.RFC850, time.ANSIC,
}

var localLayouts = []string{
	"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	"2006.01.02 15:04:05", "2006.01.02 15:04", "2006.01.02", "2006.1.2",
	"2006. 1. 2. PM 3:04", "2006. 1. 2. 15:04", "2006. 1. 2.", "2006. 1. 2",
	"2006/01/02 15:04", "2006/01/02",
	"2006년 1월 2일 PM 3:04", "2006년 1월 2일 15:04", "2006년 1월 2일 15시 4분", "2006년 1월 2일",
	"January 2, 2006 3:04 PM", "Jan 2, 2006 3:04 PM", "January 2, 2006", "Jan 2, 2006", "Jan. 2, 2006",
	"2 January 2006 15:04", "2 January 2006", "2 Jan 2006 15:04", "2 Jan 2006", "Monday, January 2, 2006",
}

var (
	// dateLike finds a date inside longer text ("Posted on 2026-11-20 by").
	dateLike = regexp.MustCompile(`\d{4}(?:-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?|\.\s?\d{1,2}\.\s?\d{1,2}\.?(?:\s\d{1,2}:\d{2})?|년\s?\d{1,2}월\s?\d{1,2}일(?:\s\d{1,2}:\d{2})?)`)
	relEN    = regexp.MustCompile(`(?i)^(\d{1,4}|an?|one)\s*(second|sec|minute|min|hour|hr|day|week)s?\s+ago$`)
	relKO    = regexp.MustCompile(`^(\d{1,4})\s*(초|분|시간|일|주)\s*전$`)
)

// parseTime reads a page's time text; ok is false when nothing fits.
func parseTime(s, layout string, loc *time.Location, now time.Time) (time.Time, bool) {
	s = collapse(s)
	if s == "" || len(s) > 200 {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	if layout != "" {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), true
		}
	}
	if t, ok := parseKnown(s, loc); ok {
		return t, true
	}
	if t, ok := parseRelative(s, now); ok {
		return t, true
	}
	if m := dateLike.FindString(s); m != "" && m != s {
		return parseKnown(m, loc)
	}
	return time.Time{}, false
}

func parseKnown(s string, loc *time.Location) (time.Time, bool) {
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	k := strings.NewReplacer("오전", "AM", "오후", "PM", " UTC", "").Replace(s)
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, k, loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func parseRelative(s string, now time.Time) (time.Time, bool) {
	var n int
	var unit time.Duration
	if m := relEN.FindStringSubmatch(s); m != nil {
		n = atoiOne(m[1])
		switch strings.ToLower(m[2]) {
		case "second", "sec":
			unit = time.Second
		case "minute", "min":
			unit = time.Minute
		case "hour", "hr":
			unit = time.Hour
		case "day":
			unit = 24 * time.Hour
		case "week":
			unit = 7 * 24 * time.Hour
		}
	} else if m := relKO.FindStringSubmatch(s); m != nil {
		n = atoiOne(m[1])
		unit = map[string]time.Duration{"초": time.Second, "분": time.Minute, "시간": time.Hour, "일": 24 * time.Hour, "주": 7 * 24 * time.Hour}[m[2]]
	} else {
		return time.Time{}, false
	}
	return now.Add(-time.Duration(n) * unit).UTC(), true
}

func atoiOne(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return 1 // "a", "an", "one"
}

// collapse trims s and folds runs of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
}
