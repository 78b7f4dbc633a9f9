package report

import (
	"slices"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

var goalFormula = []string{
	"goals are tracked weekly: 7-day blocks ending with the window, the last 12 (from the goal's start when set)",
	"baseline = the first block's value; current = the last block's; progress = (current − baseline) ÷ (target − baseline) × 100",
	"projection = least-squares line through the blocks' values, read at the deadline; on track when it reaches the target (response time: stays under it), behind otherwise; met when current already reaches it; missed when the deadline passed unmet",
	"sov and net_sentiment as in share of voice; response_time = mean hours from a mention to the brand's reply, over replies published in the block",
}

var goalUnits = map[string]string{
	config.GoalSOV: "% SOV", config.GoalNetSentiment: "net sentiment", config.GoalMentions: "mentions/week",
	config.GoalEngagementPerPost: "engagement/post", config.GoalResponseTime: "hours", config.GoalLinkMentions: "link mentions/week",
}

func goals(d *daily, links map[nb][]int64, cfg *config.Config, brands []string) GoalSection {
	sec := GoalSection{Formula: goalFormula}
	weeks := d.w.histDays / 7
	first := d.w.histDays - weeks*7
	for _, g := range cfg.Goals {
		gs := GoalStatus{Name: g.Name, Brand: g.Brand, Metric: g.Metric, Network: g.Network, Unit: goalUnits[g.Metric],
			Target: g.TargetValue(), Deadline: g.Deadline.Format(time.DateOnly)}
		var xs, ys []float64
		for k := 0; k < weeks; k++ {
			from := first + 7*k
			if !g.Start.IsZero() && d.w.dayLabel(from) < g.Start.Format(time.DateOnly) {
				continue
			}
			v := goalValue(d, links, g, brands, from, k)
			gs.WeekStarts = append(gs.WeekStarts, d.w.dayLabel(from))
			gs.Weekly = append(gs.Weekly, v)
			if v != nil {
				xs, ys = append(xs, float64(k)), append(ys, *v)
			}
		}
		if len(ys) > 0 {
			gs.Baseline = f64(ys[0])
			if len(gs.Weekly) > 0 {
				gs.Current = gs.Weekly[len(gs.Weekly)-1]
			}
		}
		if gs.Current != nil && gs.Target != *gs.Baseline {
			gs.Progress = f64(round((*gs.Current-*gs.Baseline)*100/(gs.Target-*gs.Baseline), 2))
		}
		deadline := time.Date(g.Deadline.Year(), g.Deadline.Month(), g.Deadline.Day()+1, 0, 0, 0, 0, d.w.loc)
		if a, b, ok := fitLine(xs, ys); ok {
			xd := float64(weeks-1) + deadline.Sub(d.w.end).Hours()/(24*7)
			gs.Slope, gs.Projected = f64(round(b, 4)), f64(round(a+b*xd, 4))
		}
		gs.Status = goalStatus(g, gs, !deadline.After(d.w.end))
		sec.Goals = append(sec.Goals, gs)
	}
	return sec
}

func goalStatus(g config.Goal, gs GoalStatus, passed bool) string {
	reaches := func(v float64) bool {
		if g.LowerIsBetter() {
			return v <= gs.Target
		}
		return v >= gs.Target
	}
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
