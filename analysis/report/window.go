package report

import "time"

// The report's window in days: Meta holds instants (RFC 3339 in the
// report's zone, end exclusive); readers and spreadsheets want the first
// and last day. These helpers are the one place that turns one into the
// other (the CSV's meta rows, the page's window line).

// span is the report's first and last day, YYYY-MM-DD in its zone.
func span(m Meta) (first, last string) {
	s, errS := time.Parse(time.RFC3339, m.Start)
	e, errE := time.Parse(time.RFC3339, m.End)
	if errS != nil || errE != nil {
		return m.Start, m.End
	}
	return s.Format(time.DateOnly), e.AddDate(0, 0, -1).Format(time.DateOnly)
}

// prevSpan is the comparison period's first and last day: Days days
// from PrevStart.
func prevSpan(m Meta) (first, last string) {
	p, err := time.Parse(time.RFC3339, m.PrevStart)
	if err != nil {
		return m.PrevStart, ""
	}
	return p.Format(time.DateOnly), p.AddDate(0, 0, max(m.Days, 1)-1).Format(time.DateOnly)
}

// instant writes an RFC 3339 instant as CSVTime in the zone it was
// written in (the report's); anything else is returned as it is.
func instant(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.Format(CSVTime)
}
