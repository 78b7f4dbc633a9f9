package report

import (
	"slices"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

var goalFormula = []string{
	"goals are tracked weekly: 7-day blocks ending with the window, the last 12 (from the goal's start when set); blocks that start before collection began on the goal's network (\"all\": the first network) are left out, not counted as zeros",
	"baseline = the first block's value; current = the last block's",
	"progress = 100 when current reaches the target (met); 0 when the baseline had reached it and current no longer does; otherwise (current − baseline) ÷ (target − baseline) × 100, below 100 (negative = moved away from the target); \"reaches\" is ≥ target, or ≤ for lower-is-better metrics (response time)",
	"projection = least-squares line through the blocks' values, read at the deadline and clamped to the metric's range (SOV 0–100, net sentiment −1…1, counts, per-post figures and hours ≥ 0); status: met (current reaches the target), missed (deadline passed), too early (one block), on track (the projection reaches it), behind",
	"sov and net_sentiment as in share of voice; engagement_per_post = owned interactions per owned post; response_time = mean hours from a mention to the brand's reply, over replies published in the block",
}

var goalUnits = map[string]string{
	config.GoalSOV: "% SOV", config.GoalNetSentiment: "net sentiment", config.GoalMentions: "mentions/week",
	config.GoalEngagementPerPost: "interactions/post", config.GoalResponseTime: "hours", config.GoalLinkMentions: "link mentions/week",
}

// goalRange is each metric's range: [lo, hi], nil = unbounded.
func goalRange(metric string) (lo, hi *float64) {
	switch metric {
	case config.GoalSOV:
		return f64(0), f64(100)
	case config.GoalNetSentiment:
		return f64(-1), f64(1)
	}
	return f64(0), nil
}

func goals(d *daily, links map[nb][]int64, cfg *config.Config, brands []string, col collection) GoalSection {
	sec := GoalSection{Formula: goalFormula}
	weeks := d.w.histDays / 7
	first := d.w.histDays - weeks*7
	for _, g := range cfg.Goals {
		gs := GoalStatus{Name: g.Name, Brand: g.Brand, Metric: g.Metric, Network: g.Network, Unit: goalUnits[g.Metric],
			Target: g.TargetValue(), Deadline: g.Deadline.Format(time.DateOnly)}
		gs.Min, gs.Max = goalRange(g.Metric)
		began, collected := col.began(g.Network, d.networks)
		var xs, ys []float64
		for k := 0; k < weeks; k++ {
			from := first + 7*k
			if !g.Start.IsZero() && d.w.dayLabel(from) < g.Start.Format(time.DateOnly) {
				continue
			}
			if !collected || began.After(d.w.dayStart(from)) {
				continue // not (fully) collected: unknown, not zero
			}
			v := goalValue(d, links, g, brands, from, k)
			gs.WeekStarts = append(gs.WeekStarts, d.w.dayLabel(from))
			gs.Weekly = append(gs.Weekly, v)
			if v != nil {
				xs, ys = append(xs, float64(k)), append(ys, *v)
			}
		}
		deadline := time.Date(g.Deadline.Year(), g.Deadline.Month(), g.Deadline.Day()+1, 0, 0, 0, 0, d.w.loc)
		xd := float64(weeks-1) + deadline.Sub(d.w.end).Hours()/(24*7)
		settle(&gs, xs, ys, xd, g.LowerIsBetter(), !deadline.After(d.w.end))
		sec.Goals = append(sec.Goals, gs)
	}
	return sec
}

// settle sets a goal's baseline, current value, projection at week xd,
// progress and status from its weekly values (ys at weeks xs; the last of
// gs.Weekly is current): the one place they are decided, so they agree.
func settle(gs *GoalStatus, xs, ys []float64, xd float64, lower, passed bool) {
	if len(ys) > 0 {
		gs.Baseline = f64(ys[0])
		gs.Current = gs.Weekly[len(gs.Weekly)-1]
	}
	if a, b, ok := fitLine(xs, ys); ok {
		gs.Slope, gs.Projected = f64(round(b, 4)), f64(round(clamp(a+b*xd, gs.Min, gs.Max), 4))
	}
	reaches := func(v float64) bool {
		if lower {
			return v <= gs.Target
		}
		return v >= gs.Target
	}
	gs.Progress = goalProgress(gs.Baseline, gs.Current, gs.Target, reaches)
	gs.Status = goalStatus(*gs, reaches, passed)
}

// goalProgress is direction-aware: 100 exactly when current reaches the
// target, 0 when the baseline had reached it and current slipped back,
// else the share of the way from baseline to target, kept below 100.
func goalProgress(base, cur *float64, target float64, reaches func(float64) bool) *float64 {
	switch {
	case cur == nil || base == nil:
		return nil
	case reaches(*cur):
		return f64(100)
	case reaches(*base) || target == *base:
		return f64(0)
	}
	return f64(min(round((*cur-*base)*100/(target-*base), 2), 99.99))
}

func goalStatus(gs GoalStatus, reaches func(float64) bool, passed bool) string {
	switch {
	case gs.Current == nil:
		return "no data"
	case reaches(*gs.Current):
		return "met"
	case passed:
		return "missed"
	case gs.Projected == nil:
		return "too early"
	case reaches(*gs.Projected):
		return "on track"
	}
	return "behind"
}

// clamp bounds v to [lo, hi] (nil = unbounded).
func clamp(v float64, lo, hi *float64) float64 {
	if lo != nil && v < *lo {
		v = *lo
	}
	if hi != nil && v > *hi {
		v = *hi
	}
	return v
}

// goalValue is a goal's metric over the block starting at history day from.
func goalValue(d *daily, links map[nb][]int64, g config.Goal, brands []string, from, k int) *float64 {
	n, to := g.Network, from+7
	cur := d.sum(n, g.Brand, store.KindMention, from, to)
	switch g.Metric {
	case config.GoalSOV:
		var all int64
		for _, b := range brands {
			all += d.sum(n, b, store.KindMention, from, to).count
		}
		if all == 0 {
			return nil
		}
		return f64(pct(cur.count, all))
	case config.GoalNetSentiment:
		return netSentiment(cur)
	case config.GoalMentions:
		return f64(float64(cur.count))
	case config.GoalEngagementPerPost:
		o := d.sum(n, g.Brand, store.KindOwned, from, to)
		return ratio(float64(o.eng), float64(o.count))
	case config.GoalResponseTime:
		o := d.sum(n, g.Brand, store.KindOwned, from, to)
		return ratio(float64(o.respSec)/3600, float64(o.replies))
	case config.GoalLinkMentions:
		if s := links[nb{n, g.Brand}]; k < len(s) {
			return f64(float64(s[k]))
		}
		return f64(0)
	}
	return nil
}

// fitLine is the least-squares line y = a + b·x; ok is false under 2 points.
func fitLine(xs, ys []float64) (a, b float64, ok bool) {
	n := float64(len(xs))
	if len(xs) < 2 || slices.Min(xs) == slices.Max(xs) {
		return 0, 0, false
	}
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx, sy, sxx, sxy = sx+xs[i], sy+ys[i], sxx+xs[i]*xs[i], sxy+xs[i]*ys[i]
	}
	b = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	return (sy - b*sx) / n, b, true
}
