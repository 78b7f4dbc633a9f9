package report

import (
	"math"

	"github.com/earshot/earshot/store"
)

// minSpike keeps a quiet brand's first few mentions from reading as spikes
// (a zero baseline has σ = 0, so any mention would exceed mean + 3σ).
const minSpike = 5

var spikeFormula = []string{
	"for each day of the window, per brand and network (\"all\" included): baseline = that brand's daily mentions over the 28 days before the day",
	"mean = Σ baseline ÷ 28; σ = population standard deviation of the 28 days; threshold = mean + 3σ",
	"spike = a day with mentions > threshold and at least 5 mentions",
}

var trendFormula = []string{
	"daily mentions per brand over the 28-day baseline and the window, local days",
	"weekly net sentiment = (positive − negative) ÷ (positive + negative) per 7-day block ending with the window, 12 blocks",
}

// spikes finds days of the window above their trailing baseline.
func spikes(d *daily, brands []string) SpikeSection {
	sec := SpikeSection{Formula: spikeFormula}
	for i := d.w.winFrom(); i < d.w.histDays; i++ {
		for _, n := range d.rowNetworks() {
			for _, b := range brands {
				cur := d.day(n, b, store.KindMention, i).count
				if cur < minSpike {
					continue
				}
				mean, sigma := baseline(d, n, b, i)
				th := mean + 3*sigma
				if float64(cur) > th {
					sec.Spikes = append(sec.Spikes, Spike{Day: d.w.dayLabel(i), Network: n, Brand: b, Mentions: cur,
						Mean: round(mean, 2), Sigma: round(sigma, 2), Threshold: round(th, 2)})
				}
			}
		}
	}
	return sec
}

// baseline is the mean and population σ of the baselineDays before day i.
func baseline(d *daily, network, brand string, i int) (mean, sigma float64) {
	var sum, sq float64
	for j := i - baselineDays; j < i; j++ {
		v := float64(d.day(network, brand, store.KindMention, j).count)
		sum += v
		sq += v * v
	}
	mean = sum / baselineDays
	return mean, math.Sqrt(math.Max(sq/baselineDays-mean*mean, 0))
}

// trend builds the daily volume and weekly sentiment series.
func trend(d *daily, brands []string) TrendSection {
	sec := TrendSection{Formula: trendFormula}
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
			bt.Daily = append(bt.Daily, d.day(allNetworks, b, store.KindMention, i).count)
		}
		for k := 0; k < weeks; k++ {
			a := d.sum(allNetworks, b, store.KindMention, first+7*k, first+7*k+7)
			bt.WeeklyNet = append(bt.WeeklyNet, netSentiment(a))
			bt.WeeklyVolume = append(bt.WeeklyVolume, a.count)
		}
		sec.Brands = append(sec.Brands, bt)
	}
	return sec
}
