package report

import (
	"slices"
	"time"

	"github.com/earshot/earshot/store"
)

var careFormula = []string{
	"answered = mentions of the brand published in the window that one of the brand's own accounts replied to (a reply is an owned post whose reply_to is the mention, published up to 72 h after the window)",
	"response rate = answered ÷ mentions of the brand on the network × 100",
	"response time = first reply's published time − the mention's published time; median and mean over answered mentions, in hours",
	"a reply counts whenever both it and the mention are stored, in any order or poll (the mention may arrive after its reply); replies to posts the listener never matched cannot be paired",
}

// care builds customer-care rows per network ("all" first) and brand.
func care(d *daily, f *factFigures, brands []string) CareSection {
	delays := map[nb][]time.Duration{}
	for _, k := range sortedKeys(f.answers) {
		a := f.answers[k]
		delays[nb{a.network, a.brand}] = append(delays[nb{a.network, a.brand}], a.delay)
		delays[nb{allNetworks, a.brand}] = append(delays[nb{allNetworks, a.brand}], a.delay)
	}
	sec := CareSection{Formula: careFormula}
	for _, n := range d.rowNetworks() {
		for _, b := range brands {
			ds := delays[nb{n, b}]
			row := CareRow{Network: n, Brand: b, Mentions: d.win(n, b, store.KindMention).count, Answered: int64(len(ds))}
			if row.Mentions > 0 {
				row.ResponseRate = f64(pct(row.Answered, row.Mentions))
			}
			row.MedianHours, row.MeanHours = medianHours(ds), meanHours(ds)
			sec.Rows = append(sec.Rows, row)
		}
	}
	return sec
}

func medianHours(ds []time.Duration) *float64 {
	if len(ds) == 0 {
		return nil
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return f64(round(m.Hours(), 2))
}

func meanHours(ds []time.Duration) *float64 {
	if len(ds) == 0 {
		return nil
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return f64(round(sum.Hours()/float64(len(ds)), 2))
}
