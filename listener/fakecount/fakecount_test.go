package fakecount

import (
	"math"
	"testing"
	"time"
)

func TestGrow(t *testing.T) {
	pub := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		n    int64
		age  time.Duration
		want int64
	}{
		{0, 0, 0}, {0, -time.Hour, 0}, {0, 59 * time.Minute, 0}, {0, time.Hour, 1}, {0, 24 * time.Hour, 24},
		{10, 24 * time.Hour, 44}, {10, 6 * time.Hour, 18}, {10, 30 * 24 * time.Hour, 248}, {-3, 5 * time.Hour, -3},
		{math.MaxInt64 / 2, 100 * time.Hour, math.MaxInt64},
	} {
		if got := Grow(c.n, pub, pub.Add(c.age)); got != c.want {
			t.Errorf("Grow(%d, age %s) = %d, want %d", c.n, c.age, got, c.want)
		}
	}
}
