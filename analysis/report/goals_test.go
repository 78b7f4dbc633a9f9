package report

import (
	"math/rand/v2"
	"testing"

	"github.com/earshot/earshot/config"
)

// TestGoalsNeverContradictThemselves: over random weekly series, targets
// and deadlines of every metric, met, progress and projection agree:
// progress is 100 exactly when the status is met, below 100 otherwise;
// the projection stays in the metric's range; on track means the
// projection reaches the target and behind means it does not.
func TestGoalsNeverContradictThemselves(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 11))
	metrics := []string{config.GoalSOV, config.GoalNetSentiment, config.GoalMentions, config.GoalEngagementPerPost,
		config.GoalResponseTime, config.GoalLinkMentions}
	for i := 0; i < 20000; i++ {
		metric := metrics[r.IntN(len(metrics))]
		lo, hi := goalRange(metric)
		span := 200.0
		if hi != nil {
			span = *hi - *lo
		}
		val := func() float64 { return round(*lo+r.Float64()*span, 2) }
		lower := metric == config.GoalResponseTime
		gs := GoalStatus{Metric: metric, Target: val(), Min: lo, Max: hi}
		var xs, ys []float64
		for k, n := 0, r.IntN(6); k < n; k++ {
			v := val()
			if r.IntN(4) == 0 {
				v = gs.Target // on the target exactly
			}
			xs, ys = append(xs, float64(k)), append(ys, v)
			gs.Weekly = append(gs.Weekly, f64(v))
		}
		settle(&gs, xs, ys, float64(len(xs))+r.Float64()*40, lower, r.IntN(5) == 0)
		reaches := func(v float64) bool { return (lower && v <= gs.Target) || (!lower && v >= gs.Target) }
		bad := func(why string) {
			t.Fatalf("%s: %+v (baseline %v current %v progress %v projected %v)", why, gs, deref(gs.Baseline), deref(gs.Current),
				deref(gs.Progress), deref(gs.Projected))
		}
		if gs.Current == nil {
			if gs.Status != "no data" || gs.Progress != nil {
				bad("no data")
			}
			continue
		}
		met := gs.Status == "met"
		if met != reaches(*gs.Current) || met != (*gs.Progress == 100) || *gs.Progress > 100 {
			bad("met and progress disagree")
		}
		if p := gs.Projected; p != nil && ((lo != nil && *p < *lo) || (hi != nil && *p > *hi)) {
			bad("projection out of range")
		}
		switch gs.Status {
		case "on track":
			if !reaches(*gs.Projected) {
				bad("on track but the projection misses")
			}
		case "behind":
			if reaches(*gs.Projected) {
				bad("behind but the projection reaches the target")
			}
		}
		if !met && reaches(*gs.Baseline) && *gs.Progress != 0 {
			bad("slipped from the target yet progress is not 0")
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
