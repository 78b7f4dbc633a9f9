package report

import (
	"math"

	"github.com/earshot/earshot/analysis/numfmt"
)

// pct is part ÷ whole × 100 rounded to 2 decimals, 0 when whole is 0.
func pct(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return round(float64(part)*100/float64(whole), 2)
}

// ratio is a ÷ b rounded to 4 decimals, nil when b is 0.
func ratio(a, b float64) *float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return nil
	}
	v := round(a/b, 4)
	return &v
}

// change is (cur − prev) ÷ prev × 100, nil when prev is 0.
func change(cur, prev int64) *float64 {
	if prev == 0 {
		return nil
	}
	v := round(float64(cur-prev)*100/float64(prev), 2)
	return &v
}

// netSentiment is (pos − neg) ÷ (pos + neg), nil without labelled mentions.
func netSentiment(a acc) *float64 {
	return ratio(float64(a.pos-a.neg), float64(a.pos+a.neg))
}

// round is the rounding rule of every figure (numfmt's: half away from
// zero, never -0), so stored figures and their text agree.
func round(v float64, n int) float64 { return numfmt.Round(v, n) }

func f64(v float64) *float64 { return &v }
