package store

import (
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"
)

// timeFilter selects published in [from, to) (a zero bound is open). It
// is marked as the window's filter (windowQuery) so that searchWindow can
// drop it for a partition wholly inside the window and narrow it for one
// the window cuts (forPart).
func timeFilter(from, to time.Time) bq.Query {
	return &windowQuery{from: from, to: to, Query: dayFilter(from, to)}
}

// windowQuery is timeFilter(from, to): it searches as the Query it holds.
type windowQuery struct {
	from, to time.Time
	bq.Query
}

// forPart is q as searched in partition p: when q is a BooleanQuery, each
// time filter (windowQuery) in its Filter, or in a conjunction that is its
// Filter, is dropped when p lies wholly inside the filter's window and
// narrowed to the edge that cuts p otherwise. filtered reports whether a
// time filter is left. A time filter elsewhere (a must or a should clause)
// stays as it is: it is correct, only not skipped.
func forPart(q bq.Query, p windowPart) (_ bq.Query, filtered bool) {
	b, ok := q.(*bq.BooleanQuery)
	if !ok || b.Filter == nil {
		return q, false
	}
	nb := *b
	nb.Filter, filtered = filterForPart(b.Filter, p)
	return &nb, filtered
}

// filterForPart is forPart for a filter clause; nil means none is left.
func filterForPart(q bq.Query, p windowPart) (bq.Query, bool) {
	switch q := q.(type) {
	case *windowQuery:
		switch {
		case p.whole:
			return nil, false
		case !p.clip:
			return q, true
		}
		from, to := q.from, q.to
		if !from.After(p.w.start()) {
			from = time.Time{}
		}
		if !to.Before((p.w + 1).start()) {
			to = time.Time{}
		}
		return dayFilter(from, to), true
	case *bq.ConjunctionQuery:
		c := *q
		c.Conjuncts = make([]bq.Query, 0, len(q.Conjuncts))
		filtered := false
		for _, sub := range q.Conjuncts {
			sub, f := filterForPart(sub, p)
			filtered = filtered || f
			if sub != nil {
				c.Conjuncts = append(c.Conjuncts, sub)
			}
		}
		if len(c.Conjuncts) == 0 {
			return nil, filtered
		}
		return &c, filtered
	}
	return q, false
}

// dayFilter selects published in [from, to) (a zero bound is open). A
// range on the nanosecond datetime field enumerates thousands of
// precision-step terms and cost tens of milliseconds at 1M mentions
// whatever the query matched (measured with earshot-bench loadtest); so the whole
// UTC days inside the range are one numeric range on the day number, and
// only the partial days at its edges use the datetime range, narrowed by
// their day term.
func dayFilter(from, to time.Time) bq.Query {
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
