package report

import (
	"context"
	"slices"
	"time"

	"github.com/earshot/earshot/store"
)

// allNetworks names the row that adds up every reported network.
const allNetworks = "all"

// acc is a sum of rollup cells.
type acc struct {
	count, pos, neu, neg, eng, reach int64
	sent                             float64
	replies, respSec                 int64
	// reachKnown and expKnown count the mentions whose followers and
	// exposure are known; exp sums their exposure.
	reachKnown, exp, expKnown int64
	est                       int64 // mentions with estimated dates (in count)
}

func (a *acc) add(c *store.Cell) {
	a.count += c.Count
	a.pos += c.Positive
	a.neu += c.Neutral
	a.neg += c.Negative
	a.eng += c.Engagement
	a.reach += c.Reach
	a.sent += c.SentimentSum
	a.replies += c.Replies
	a.respSec += c.ResponseSeconds
	a.reachKnown += c.ReachKnown
	a.exp += c.Exposure
	a.expKnown += c.ExposureKnown
	a.est += c.Estimated
}

func (a *acc) merge(o acc) {
	a.count += o.count
	a.pos += o.pos
	a.neu += o.neu
	a.neg += o.neg
	a.eng += o.eng
	a.reach += o.reach
	a.sent += o.sent
	a.replies += o.replies
	a.respSec += o.respSec
	a.reachKnown += o.reachKnown
	a.exp += o.exp
	a.expKnown += o.expKnown
	a.est += o.est
}

// dated is the count of mentions whose date is known: day and hour figures
// (spikes, the daily trend, the hour-of-week heatmap) use it, because a
// mention stamped when it was seen piles up on the day of the fetch.
func (a acc) dated() int64 { return a.count - a.est }

type seriesKey struct{ network, brand, kind string }

// daily holds the cells of the history as one acc per local day, per
// network ("all" included), brand ("" = every mention once) and kind.
type daily struct {
	w        window
	series   map[seriesKey][]acc
	networks []string // seen (or requested), sorted
	how      [7][24]int64
}

// readCells sums the cells of the history into local days.
func readCells(ctx context.Context, src Source, w window, filter []string) (*daily, error) {
	d := &daily{w: w, series: map[seriesKey][]acc{}}
	seen := map[string]bool{}
	for _, n := range filter {
		seen[n] = true
	}
	from, to := w.histStart, w.end
	var lastHour time.Time
	var i int
	series := func(k seriesKey) []acc {
		s := d.series[k]
		if s == nil {
			s = make([]acc, w.histDays)
			d.series[k] = s
		}
		return s
	}
	// Every hour holds about the same keys in the same order (the store's
	// key order): the j-th cell of an hour is looked up first at the j-th
	// of the hour before, and the maps only when that misses.
	var prev, cur []cellSeries
	err := src.Cells(ctx, from, to, func(c *store.Cell) error {
		if len(filter) > 0 && !slices.Contains(filter, c.Network) {
			return nil
		}
		if !c.Hour.Equal(lastHour) { // cells come in hour order
			lastHour, i = c.Hour, w.dayIndex(c.Hour)
			prev, cur = cur, prev[:0]
		}
		if i < 0 || i >= w.histDays {
			return nil
		}
		var cs cellSeries
		if j := len(cur); j < len(prev) && prev[j].network == c.Network && prev[j].brand == c.Brand && prev[j].kind == c.Kind {
			cs = prev[j]
		} else {
			seen[c.Network] = true
			cs = cellSeries{network: c.Network, brand: c.Brand, kind: c.Kind,
				own: series(seriesKey{c.Network, c.Brand, c.Kind}), all: series(seriesKey{allNetworks, c.Brand, c.Kind})}
		}
		cur = append(cur, cs)
		cs.own[i].add(c)
		cs.all[i].add(c)
		if c.Brand == "" && c.Kind == store.KindMention && i >= w.winFrom() {
			lt := c.Hour.In(w.loc)
			d.how[(int(lt.Weekday())+6)%7][lt.Hour()] += c.Count - c.Estimated
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.networks = sortedKeys(seen)
	return d, nil
}

// cellSeries is a cell key's two series: its network's and "all".
type cellSeries struct {
	network, brand, kind string
	own, all             []acc
}

// sum adds the days [from, to) of one series.
func (d *daily) sum(network, brand, kind string, from, to int) acc {
	var a acc
	s := d.series[seriesKey{network, brand, kind}]
	for i := max(from, 0); i < min(to, len(s)); i++ {
		a.merge(s[i])
	}
	return a
}

// win and prev are the window's and the previous period's sums.
func (d *daily) win(network, brand, kind string) acc {
	return d.sum(network, brand, kind, d.w.winFrom(), d.w.histDays)
}

func (d *daily) prev(network, brand, kind string) acc {
	return d.sum(network, brand, kind, d.w.prevFrom(), d.w.prevTo())
}

// day is one day of a series.
func (d *daily) day(network, brand, kind string, i int) acc {
	s := d.series[seriesKey{network, brand, kind}]
	if i < 0 || i >= len(s) {
		return acc{}
	}
	return s[i]
}

// rowNetworks is "all" followed by every reported network.
func (d *daily) rowNetworks() []string { return append([]string{allNetworks}, d.networks...) }
