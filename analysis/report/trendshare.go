package report

import (
	"slices"

	"github.com/earshot/earshot/store"
)

// trendShareFormula defines the weekly shares of voice behind the digest's
// sparklines (docs/digest.md#share-of-voice-trend).
var trendShareFormula = "weekly share of voice = brand's mentions ÷ all brands' mentions per 7-day block, over the share networks only: the reported networks collected in full (collection began at or before the block's first day) in every plotted block; plotted blocks = from the first block with a mention on those networks to the window; when no network was collected in all of them, the earliest blocks are dropped until one is; null for a block outside them or with no mention"

// trendShares fills sec.ShareNetworks and each brand's WeeklySOV: shares
// over the networks collected in every plotted week, so that each point
// compares the same networks (a week with Hacker News alone is not set
// against a week with every network).
func trendShares(d *daily, col collection, sec *TrendSection, first int) {
	weeks := len(sec.Weeks)
	// covered[k]: the networks collected in full in week k.
	covered := make([][]string, weeks)
	for k := range weeks {
		from := d.w.dayStart(first + 7*k)
		for _, n := range d.networks {
			if !col.partial(n, from, nil) {
				covered[k] = append(covered[k], n)
			}
		}
	}
	volume := func(nets []string, b string, k int) int64 {
		var s int64
		for _, n := range nets {
			s += d.sum(n, b, store.KindMention, first+7*k, first+7*k+7).count
		}
		return s
	}
	total := func(nets []string, k int) int64 {
		var s int64
		for _, bt := range sec.Brands {
			s += volume(nets, bt.Brand, k)
		}
		return s
	}
	// The longest run of weeks ending with the window whose networks in
	// common are not none; then the run starts at its first week with a
	// mention on those networks.
	start, nets := weeks, []string(nil)
	for k := weeks - 1; k >= 0; k-- {
		common := intersect(nets, covered[k], k == weeks-1)
		if len(common) == 0 {
			break
		}
		start, nets = k, common
	}
	for start < weeks && total(nets, start) == 0 {
		start++
	}
	if start == weeks || nets == nil {
		nets = []string{}
	}
	sec.ShareNetworks = nets
	sec.ShareWeeks = weeks - start
	for i := range sec.Brands {
		sov := make([]*float64, weeks)
		for k := start; k < weeks; k++ {
			if t := total(nets, k); t > 0 {
				s := round(float64(volume(nets, sec.Brands[i].Brand, k))/float64(t)*100, 2)
				sov[k] = &s
			}
		}
		sec.Brands[i].WeeklySOV = sov
	}
}

// intersect is a ∩ b in a's order (b when first).
func intersect(a, b []string, first bool) []string {
	if first {
		return slices.Clone(b)
	}
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
