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
const FormulaVersion = "earshot-report/2"

// Periods a report may cover; a month is four weeks so periods compare
// like with like.
var periodDays = map[string]int{"day": 1, "week": 7, "month": 28}

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
	TermHours(ctx context.Context, from, to time.Time, fn func(store.TermHour) error) error
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
	Period string         // "day", "week" (default) or "month" (28 days)
	// End is the last day the report covers (its date in the configured
	// time zone; the time of day is ignored). A week or month (four weeks)
	// is made of ISO weeks, Monday to Sunday, as in the digest: it ends on
	// the Sunday of End's week. Zero means the day before Now for a day,
	// and the last complete ISO week (ending the Sunday before Now's day)
	// for a week or month.
	End      time.Time
	Networks []string  // report only these networks; empty = every network seen
	Now      time.Time // the only clock a report reads
}

// window is the resolved time frame of a report.
type window struct {
	loc        *time.Location
	days       int
	start, end time.Time // [start, end), local midnights
	prevStart  time.Time
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
	d, ok := periodDays[req.Period]
	if !ok {
		return w, fmt.Errorf("%w: unknown period %q: want day, week or month", ErrBadRequest, req.Period)
	}
	w.loc = req.Config.Earshot.Location
	if w.loc == nil {
		w.loc = time.UTC
	}
	end := req.End
	if end.IsZero() {
		if req.Now.IsZero() {
			return w, fmt.Errorf("%w: neither End nor Now is set", ErrBadRequest)
		}
		end = req.Now.In(w.loc).AddDate(0, 0, -1)
		if d >= 7 { // the last complete ISO week: the Sunday before today
			end = end.AddDate(0, 0, -(int(end.Weekday())))
		}
	}
	y, m, dd := end.Date() // the date as given (callers parse dates in loc)
	if y < 1971 || y > 9000 {
		return w, fmt.Errorf("%w: end date %04d-%02d-%02d out of range", ErrBadRequest, y, m, dd)
	}
	if d >= 7 { // weeks are ISO weeks (Monday to Sunday), as in the digest
		dd += isoSundayOffset(y, m, dd)
	}
	w.days = d
	w.end = time.Date(y, m, dd+1, 0, 0, 0, 0, w.loc)
	w.start = time.Date(y, m, dd+1-d, 0, 0, 0, 0, w.loc)
	w.prevStart = time.Date(y, m, dd+1-2*d, 0, 0, 0, 0, w.loc)
	w.histDays = max(historyWeeks*7, 2*d+baselineDays)
	w.histStart = time.Date(y, m, dd+1-w.histDays, 0, 0, 0, 0, w.loc)
	return w, nil
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
func (w window) prevFrom() int { return w.histDays - 2*w.days }

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
