package report

import (
	"math"
	"slices"

	"github.com/earshot/earshot/store"
)

// minSpike keeps a quiet brand's first few mentions from reading as spikes;
// minBaselineDays is the fewest collected days a baseline needs: a young
// install (or a new source) has days of zeros that are not quiet days but
// days nobody was listening, and σ over them is no measure of anything.
const (
	minSpike        = 5
	minBaselineDays = 14
	maxExplained    = 10 // spikes explained (largest excess first)
)

var spikeFormula = []string{
	"for each day of the window, per brand and network (\"all\" included): baseline = that brand's daily mentions over the 28 days before the day, counting only collected days (whole local days after collection began on the network: the latest of its sources' first poll − lookback; \"all\": on every reported network); a baseline needs at least 14 collected days, else \"baseline too short\"",
	"mean = Σ baseline ÷ collected days; σ = population standard deviation over the same days; threshold = mean + 3σ",
	"spike = a day with mentions > threshold and at least 5 mentions; mentions whose date is estimated (stamped when seen) are left out of every day and hour figure",
	"why = the day's 3 most engaged mentions of the brand on the network and its words with G² ≥ 3.84 against the 28 days before (all networks), each linked to the search that shows them",
}

var trendFormula = []string{
	"daily mentions per brand over the 28-day baseline and the window, local days, dated mentions only",
	"weekly net sentiment = (positive − negative) ÷ (positive + negative) per 7-day block ending with the window, 12 blocks",
}

// firstDay is the first history day wholly collected on network (collection
// began at or before its local midnight), math.MaxInt when collection never
// began; negative when it began before the history. For "all" it is the
// first day collected on every reported network: a source added later
// would otherwise read as a spike of the whole.
func (d *daily) firstDay(col collection, network string) int {
	if network == allNetworks {
		first := math.MinInt
		for _, n := range d.networks {
			first = max(first, d.firstDay(col, n))
		}
		return first
	}
	b, ok := col.began(network, nil)
	if !ok {
		return math.MaxInt
	}
	i := d.w.dayIndex(b)
	if lt := b.In(d.w.loc); lt.Hour() != 0 || lt.Minute() != 0 || lt.Second() != 0 || lt.Nanosecond() != 0 {
		i++ // that day was collected only in part
	}
	return i
}

// collected is how many of the baselineDays before day i were collected.
func collected(first, i int) int {
	if first >= i {
		return 0
	}
	return i - max(first, i-baselineDays)
}

// spikes finds days of the window above their trailing baseline.
func spikes(d *daily, brands []string, col collection) SpikeSection {
	sec := SpikeSection{Formula: spikeFormula}
	for _, n := range d.rowNetworks() {
		first := d.firstDay(col, n)
		short := -1
		for i := d.w.winFrom(); i < d.w.histDays; i++ {
			days := collected(first, i)
			if days < minBaselineDays {
				if short < 0 {
					short = i
				}
				continue
			}
			for _, b := range brands {
				a := d.day(n, b, store.KindMention, i)
				cur := a.dated()
				if cur < minSpike {
					continue
				}
				mean, sigma := baseline(d, n, b, i, days)
				th := mean + 3*sigma
				if float64(cur) > th {
					sec.Spikes = append(sec.Spikes, Spike{Day: d.w.dayLabel(i), Network: n, Brand: b, Mentions: cur,
						Mean: round(mean, 2), Sigma: round(sigma, 2), Threshold: round(th, 2), BaselineDays: days, Estimated: a.est})
				}
			}
		}
		if short >= 0 {
			note := Note{Key: "short", Network: n, Args: []any{collected(first, short), minBaselineDays, d.w.dayLabel(short)}}
			sec.notes = append(sec.notes, note)
			sec.Notes = append(sec.Notes, note.Text(NewLocale("en")))
		}
	}
	return sec
}

// baseline is the mean and population σ of the dated mentions over the
// last days collected days before day i.
func baseline(d *daily, network, brand string, i, days int) (mean, sigma float64) {
	var sum, sq float64
	for j := i - days; j < i; j++ {
		v := float64(d.day(network, brand, store.KindMention, j).dated())
		sum += v
		sq += v * v
	}
	mean = sum / float64(days)
	return mean, math.Sqrt(math.Max(sq/float64(days)-mean*mean, 0))
}

// trend builds the daily volume and weekly sentiment series.
func trend(d *daily, brands []string, col collection) TrendSection {
	sec := TrendSection{Formula: append(slices.Clone(trendFormula), trendShareFormula)}
	from := d.w.winFrom() - baselineDays
	for i := from; i < d.w.histDays; i++ {
		sec.Days = append(sec.Days, d.w.dayLabel(i))
	}
	weeks := d.w.histDays / 7
	first := d.w.histDays - weeks*7
	for k := 0; k < weeks; k++ {
		sec.Weeks = append(sec.Weeks, d.w.dayLabel(first+7*k))
	}
	for _, b := range brands {
		bt := BrandTrend{Brand: b}
		for i := from; i < d.w.histDays; i++ {
			bt.Daily = append(bt.Daily, d.day(allNetworks, b, store.KindMention, i).dated())
		}
		for k := 0; k < weeks; k++ {
			a := d.sum(allNetworks, b, store.KindMention, first+7*k, first+7*k+7)
			bt.WeeklyNet = append(bt.WeeklyNet, netSentiment(a))
			bt.WeeklyVolume = append(bt.WeeklyVolume, a.count)
		}
		sec.Brands = append(sec.Brands, bt)
	}
	trendShares(d, col, &sec, first)
	return sec
}
