package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// FormulaVersion names the formulas below; it changes whenever a figure
// would be computed differently from the same data.
const FormulaVersion = "earshot-report/3"

// Periods is every period a report may cover, in the order a form offers
// them (docs/report.md#periods lists the same names; a test compares):
//
//   - day: the day End (default yesterday);
//   - week: the ISO week (Monday to Sunday, as in the digest) holding End
//     (default the last complete week);
//   - month: four ISO weeks ending with End's week (so months compare like
//     with like; default the last four complete weeks);
//   - 28d: the 28 days ending with End (default yesterday), not aligned to
//     weeks;
//   - calendar-month: the calendar month holding End (default the last
//     complete month);
//   - quarter: the calendar quarter holding End (default the last complete
//     quarter);
//   - custom: Start to End, both days included (at most maxCustomDays).
//
// The comparison period has as many days as the window so counts compare
// like with like: the days right before it, or from CompareStart on.
var Periods = []string{"day", "week", "month", "28d", "calendar-month", "quarter", "custom"}

// maxCustomDays bounds a custom range (and how far back a comparison may
// start), so one request cannot read years of rollups.
const maxCustomDays = 366

// history is how far before the window the report reads rollups: trend
// lines, goal series and spike baselines.
const (
	historyWeeks  = 12
	baselineDays  = 28
	replyGrace    = 72 * time.Hour // replies after the window still answer its mentions
	topPerList    = 3
	topVoices     = 10
	topDomains    = 10
	emergingCount = 10
)

// Source is what a report reads; *store.Store implements it.
type Source interface {
	Cells(ctx context.Context, from, to time.Time, fn func(*store.Cell) error) error
	Facts(ctx context.Context, from, to time.Time, fn func(*store.Fact) error) error
	// FactsOfKind is Facts for one kind only (store.Store.FactsOfKind).
	FactsOfKind(ctx context.Context, from, to time.Time, kind string, fn func(*store.Fact) error) error
	// TopicCounts counts topics over facts (store.Store.TopicCounts).
	TopicCounts(ctx context.Context, from, to time.Time, kind string, networks []string) (map[string]int64, error)
	TermHours(ctx context.Context, from, to time.Time, fn func(store.TermHour) error) error
	// TermHoursOf is TermHours for the named brands only, read without
	// decoding the others, its words numbered over the call
	// (store.TermCount.ID, as store.Store.TermHoursOf does): emerging
	// counts by that number.
	TermHoursOf(ctx context.Context, from, to time.Time, brands []string, fn func(store.TermHour) error) error
	// HourSums, HourSumReplies and FactsOf read the hour sums that stand
	// for a pass over the window's facts (facts_sums.go); HourSums must
	// number the authors of one call (store.AuthorSum.ID, as
	// store.Store.HourSums does): the merge indexes by that number.
	// Build calls Source from several goroutines at once.
	HourSums(ctx context.Context, from, to time.Time, fn func(*store.HourSum) error) error
	HourSumReplies(ctx context.Context, from, to time.Time, fn func(*store.HourSum) error) error
	FactsOf(ts []store.TopFact) ([]*store.Fact, error)
	// FactBrands walks facts reading only IDs and brands (phrase_pick.go).
	FactBrands(ctx context.Context, from, to time.Time, kind string, fn func(id string, brands []string) error) error
	// KeptPhrases and KeepPhrases read and keep the phrases a phrase
	// sample tagged, per mention and extractor version (phrases.go).
	KeptPhrases(ids []string, version string) ([][]string, []bool, error)
	KeepPhrases(version string, ids []string, phrases [][]string) error
	LinkCells(ctx context.Context, from, to time.Time, fn func(store.LinkCell) error) error
	Get(id string) (store.Mention, bool, error)
	LastSeq() uint64
	// Coverage is what each source has collected, by source name
	// (store.Store.Coverage).
	Coverage(ctx context.Context) (map[string]store.SourceCoverage, error)
}

// ErrBadRequest is wrapped by Build errors caused by the request.
var ErrBadRequest = errors.New("bad report request")

// Request asks for one report.
type Request struct {
	Config *config.Config // brands, domains, topics, goals, time zone
	Period string         // one of Periods; "week" when empty
	// Start is the first day of a "custom" period (ignored otherwise).
	Start time.Time
	// CompareStart, when set, is the first day of the comparison period
	// (as many days as the window, ending on or before its start); zero
	// means the days right before the window.
	CompareStart time.Time
	// End is the last day the report covers (its date in the configured
	// time zone; the time of day is ignored). A week or month (four weeks)
	// is made of ISO weeks, Monday to Sunday, as in the digest: it ends on
	// the Sunday of End's week. Zero means the day before Now for a day,
	// and the last complete ISO week (ending the Sunday before Now's day)
	// for a week or month.
	End      time.Time
	Networks []string  // report only these networks; empty = every network seen
	Now      time.Time // the only clock a report reads
	// Exact asks a Cache never to serve a stale report (the digest,
	// ?fresh=1): it builds, or waits for a build that started after every
	// change it could see. Build and Builder are always exact.
	Exact bool
}

// window is the resolved time frame of a report.
type window struct {
	loc        *time.Location
	days       int
	start, end time.Time // [start, end), local midnights
	prevStart  time.Time // the comparison period is [prevStart, prevStart+days)
	prevGap    int       // days from prevStart to start (days when adjacent)
	histStart  time.Time // start of the daily series (trend, baselines, goals)
	histDays   int
}

// resolve validates req and computes the window.
func resolve(req *Request) (window, error) {
	var w window
	if req.Config == nil {
		return w, fmt.Errorf("%w: no configuration", ErrBadRequest)
	}
	if req.Period == "" {
		req.Period = "week"
	}
	if !slices.Contains(Periods, req.Period) {
		return w, fmt.Errorf("%w: unknown period %q: want one of %v", ErrBadRequest, req.Period, Periods)
	}
	w.loc = req.Config.Earshot.Location
	if w.loc == nil {
		w.loc = time.UTC
	}
	first, last, err := periodDates(req, w.loc)
	if err != nil {
		return w, err
	}
	w.start = time.Date(first.y, first.m, first.d, 0, 0, 0, 0, w.loc)
	w.end = time.Date(last.y, last.m, last.d+1, 0, 0, 0, 0, w.loc)
	w.days = daysBetween(w.start, w.end)
	if w.days < 1 || w.days > maxCustomDays {
		return w, fmt.Errorf("%w: a period covers 1 to %d days, this one %d", ErrBadRequest, maxCustomDays, w.days)
	}
	w.prevStart = w.start.AddDate(0, 0, -w.days)
	if !req.CompareStart.IsZero() {
		y, m, d := req.CompareStart.Date()
		w.prevStart = time.Date(y, m, d, 0, 0, 0, 0, w.loc)
		if ends := w.prevStart.AddDate(0, 0, w.days); ends.After(w.start) {
			return w, fmt.Errorf("%w: the comparison period %s – %s overlaps the report's, which starts %s",
				ErrBadRequest, w.prevStart.Format(time.DateOnly), ends.AddDate(0, 0, -1).Format(time.DateOnly), w.start.Format(time.DateOnly))
		}
		if daysBetween(w.prevStart, w.start) > maxCustomDays+w.days {
			return w, fmt.Errorf("%w: the comparison period starts more than %d days before the report's", ErrBadRequest, maxCustomDays)
		}
	}
	w.prevGap = daysBetween(w.prevStart, w.start)
	// The history holds the trend (12 weeks), the comparison period and
	// the 28 baseline days before it.
	w.histDays = max(historyWeeks*7, w.prevGap+w.days+baselineDays)
	w.histStart = w.end.AddDate(0, 0, -w.histDays)
	return w, nil
}

type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) date { y, m, d := t.Date(); return date{y, m, d} }

// periodDates is the first and last day of the period req asks for
// (dates in loc; callers parse dates in loc).
func periodDates(req *Request, loc *time.Location) (first, last date, err error) {
	end := req.End
	if end.IsZero() {
		if req.Now.IsZero() {
			return first, last, fmt.Errorf("%w: neither End nor Now is set", ErrBadRequest)
		}
		today := dateOf(req.Now.In(loc))
		switch req.Period {
		case "calendar-month": // the last day of last month
			end = time.Date(today.y, today.m, 0, 12, 0, 0, 0, time.UTC)
		case "quarter": // the last day of last quarter
			end = time.Date(today.y, today.m-(today.m-1)%3, 0, 12, 0, 0, 0, time.UTC)
		default:
			end = time.Date(today.y, today.m, today.d-1, 12, 0, 0, 0, time.UTC)
			if req.Period == "week" || req.Period == "month" { // the Sunday before today
				end = end.AddDate(0, 0, -int(end.Weekday()))
			}
		}
	}
	last = dateOf(end)
	if last.y < 1971 || last.y > 9000 {
		return first, last, fmt.Errorf("%w: end date %04d-%02d-%02d out of range", ErrBadRequest, last.y, last.m, last.d)
	}
	at := func(y int, m time.Month, d int) date { return dateOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC)) }
	switch req.Period {
	case "day":
		first = last
	case "week", "month": // ISO weeks, Monday to Sunday, as in the digest
		last = at(last.y, last.m, last.d+isoSundayOffset(last.y, last.m, last.d))
		n := 7
		if req.Period == "month" {
			n = 28
		}
		first = at(last.y, last.m, last.d+1-n)
	case "28d":
		first = at(last.y, last.m, last.d-27)
	case "calendar-month":
		first = date{last.y, last.m, 1}
		last = at(last.y, last.m+1, 0)
	case "quarter":
		qm := last.m - (last.m-1)%3
		first = date{last.y, qm, 1}
		last = at(last.y, qm+3, 0)
	case "custom":
		if req.Start.IsZero() {
			return first, last, fmt.Errorf("%w: a custom period needs a start date", ErrBadRequest)
		}
		first = dateOf(req.Start)
		if time.Date(first.y, first.m, first.d, 0, 0, 0, 0, time.UTC).After(time.Date(last.y, last.m, last.d, 0, 0, 0, 0, time.UTC)) {
			return first, last, fmt.Errorf("%w: custom period starts %04d-%02d-%02d, after its end", ErrBadRequest, first.y, first.m, first.d)
		}
	}
	return first, last, nil
}

// daysBetween is how many calendar days lie between two local midnights
// (DST days count as one).
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return int(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// isoSundayOffset is how many days after y-m-d its ISO week's Sunday is.
func isoSundayOffset(y int, m time.Month, d int) int {
	return (7 - int(time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday())) % 7
}

// dayIndex is the local day of t counted from the start of the history
// (negative or ≥ histDays when outside it).
func (w window) dayIndex(t time.Time) int {
	lt := t.In(w.loc)
	y, m, d := lt.Date()
	hy, hm, hd := w.histStart.Date()
	a := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	b := time.Date(hy, hm, hd, 0, 0, 0, 0, time.UTC)
	return int(a.Sub(b).Hours() / 24)
}

// dayLabel is the date of history day i.
func (w window) dayLabel(i int) string {
	return w.histStart.AddDate(0, 0, i).Format(time.DateOnly)
}

// winFrom and winTo are the window's history day indexes [from, to).
func (w window) winFrom() int  { return w.histDays - w.days }
func (w window) prevFrom() int { return w.winFrom() - w.prevGap }
func (w window) prevTo() int   { return w.prevFrom() + w.days }

// inPrev reports whether t falls in the comparison period.
func (w window) inPrev(t time.Time) bool {
	return !t.Before(w.prevStart) && t.Before(w.prevStart.AddDate(0, 0, w.days))
}

// configHash fingerprints what the figures depend on in the configuration.
func configHash(c *config.Config) string {
	type brand struct {
		Name    string
		Own     bool
		Terms   []string
		Domains []string
		Handles [][2]string
	}
	var v struct {
		Timezone string
		Brands   []brand
		Topics   [][2]string
		Goals    []config.Goal
	}
	v.Timezone = c.Earshot.Timezone
	for _, b := range c.Brands {
		nb := brand{Name: b.Name, Own: b.Own, Terms: b.AllTerms(), Domains: b.Domains}
		for _, n := range sortedKeys(b.Handles) {
			for _, h := range b.Handles[n] {
				nb.Handles = append(nb.Handles, [2]string{n, h})
			}
		}
		v.Brands = append(v.Brands, nb)
	}
	for _, t := range c.Topics {
		v.Topics = append(v.Topics, [2]string{t.Name, t.Query})
	}
	v.Goals = c.Goals
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// brandOrder returns the own brand first, then competitors in config order.
func brandOrder(c *config.Config) (own string, brands []string) {
	for _, b := range c.Brands {
		if b.Own {
			own = b.Name
		}
	}
	brands = append(brands, own)
	for _, b := range c.Brands {
		if !b.Own && !slices.Contains(brands, b.Name) {
			brands = append(brands, b.Name)
		}
	}
	return own, brands
}
