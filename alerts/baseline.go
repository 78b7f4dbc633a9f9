package alerts

import "math"

// Baseline is the seasonal baseline of one window: the counts of the same
// window (same hour-of-week) in earlier weeks.
type Baseline struct {
	Weeks     int     // earlier weeks counted (collected in full)
	Mean      float64 // mean count
	StdDev    float64 // sample standard deviation (n − 1)
	Threshold float64 // Mean + sigma × Spread()
}

// Spread is the deviation the threshold is measured in: the baseline's
// standard deviation, but at least √Mean + 1. Counts are Poisson-like, so
// a steady series has σ≈0 and would fire on one extra post; √Mean is the
// Poisson deviation and the + 1 a margin for a mean estimated from a few
// weeks and for the Poisson tail, heavier than the normal one at small
// means.
func (b Baseline) Spread() float64 {
	return math.Max(b.StdDev, math.Sqrt(b.Mean)+1)
}

// seasonal computes the baseline of counts with the given sigma.
func seasonal(counts []int64, sigma float64) Baseline {
	b := Baseline{Weeks: len(counts)}
	if len(counts) == 0 {
		return b
	}
	var sum float64
	for _, c := range counts {
		sum += float64(c)
	}
	b.Mean = sum / float64(len(counts))
	if len(counts) > 1 {
		var ss float64
		for _, c := range counts {
			d := float64(c) - b.Mean
			ss += d * d
		}
		b.StdDev = math.Sqrt(ss / float64(len(counts)-1))
	}
	b.Threshold = b.Mean + sigma*b.Spread()
	return b
}

// minBaselineWeeks is how many collected earlier weeks a spike needs.
const minBaselineWeeks = 2

// fires reports whether count is a spike against b: at least minCount, at
// or above the threshold, with enough weeks behind it.
func fires(count int64, b Baseline, minCount int) bool {
	return b.Weeks >= minBaselineWeeks && count >= int64(minCount) && float64(count) >= b.Threshold
}

// subsided reports whether an active spike has ended: the window is back
// within one spread of the baseline mean.
func subsided(count int64, b Baseline) bool {
	return float64(count) < b.Mean+b.Spread()
}
