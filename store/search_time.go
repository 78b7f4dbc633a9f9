package store

import (
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"
)

// timeFilter selects published in [from, to) (a zero bound is open). A
// range on the nanosecond datetime field enumerates thousands of
// precision-step terms and cost tens of milliseconds at 1M mentions
// whatever the query matched (measured with earshot-bench loadtest); so the whole
// UTC days inside the range are one numeric range on the day number, and
// only the partial days at its edges use the datetime range, narrowed by
// their day term.
func timeFilter(from, to time.Time) bq.Query {
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return dateRange(from, to) // empty; normalizeRequest refuses it anyway
	}
	var parts []bq.Query
	var lo, hi *float64 // whole days [lo, hi) as day numbers; nil = open
	if !from.IsZero() {
		first := midnight(from)
		if first.Before(from) { // partial first day
			end := first.AddDate(0, 0, 1)
			if !to.IsZero() && to.Before(end) {
				end = to
			}
			parts = append(parts, dayPart(first, from, end))
			first = first.AddDate(0, 0, 1)
		}
		v := float64(dayNumber(first))
		lo = &v
	}
	if !to.IsZero() {
		last := midnight(to)
		if last.Before(to) && (from.IsZero() || !last.Before(from)) && (len(parts) == 0 || !last.Equal(midnight(from))) {
			parts = append(parts, dayPart(last, last, to)) // partial last day
		}
		v := float64(dayNumber(last))
		hi = &v
	}
	if lo == nil || hi == nil || *lo < *hi {
		incl, excl := true, false
		r := bq.NewNumericRangeInclusiveQuery(lo, hi, &incl, &excl)
		r.SetField(fieldDayNum)
		parts = append(parts, r)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return bq.NewDisjunctionQuery(parts)
}

func midnight(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func dayTerm(day time.Time) bq.Query {
	t := bq.NewTermQuery(day.Format(time.DateOnly))
	t.SetField(fieldDay)
	return t
}

// dayPart is [from, to) inside one day: the day term narrows the range.
func dayPart(day, from, to time.Time) bq.Query {
	return bq.NewConjunctionQuery([]bq.Query{dayTerm(day), dateRange(from, to)})
}

func dateRange(from, to time.Time) bq.Query {
	incl, excl := true, false
	r := bq.NewDateRangeInclusiveQuery(from, to, &incl, &excl)
	r.SetField(fieldPublished)
	return r
}
