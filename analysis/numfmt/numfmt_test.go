package numfmt

import (
	"math"
	"testing"
)

func TestCount(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345", 1234567: "1,234,567",
		-1: "-1", -1000: "-1,000", -123456: "-123,456",
		math.MinInt64: "-9,223,372,036,854,775,808", math.MaxInt64: "9,223,372,036,854,775,807",
	} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFixedSignedTrim(t *testing.T) {
	for _, c := range []struct {
		v                      float64
		dec                    int
		fixed, signed, trimmed string
	}{
		{2.345, 2, "2.35", "+2.35", "2.35"},
		{0.25, 1, "0.3", "+0.3", "0.3"},    // half away from zero, not to even
		{-0.25, 1, "-0.3", "-0.3", "-0.3"}, // likewise below zero
		{-0.04, 1, "0.0", "0.0", "0"},      // never "-0"
		{0.04, 1, "0.0", "0.0", "0"},       // no sign on a change that rounds to 0
		{55.25, 1, "55.3", "+55.3", "55.3"},
		{3, 2, "3.00", "+3.00", "3"},
		{2.5, 2, "2.50", "+2.50", "2.5"},
		{120, 0, "120", "+120", "120"}, // Trim keeps the zeros of a whole number
		{-9.5, 0, "-10", "-10", "-10"},
	} {
		if got := Fixed(c.v, c.dec); got != c.fixed {
			t.Errorf("Fixed(%v, %d) = %q, want %q", c.v, c.dec, got, c.fixed)
		}
		if got := Signed(c.v, c.dec); got != c.signed {
			t.Errorf("Signed(%v, %d) = %q, want %q", c.v, c.dec, got, c.signed)
		}
		if got := Trim(c.v, c.dec); got != c.trimmed {
			t.Errorf("Trim(%v, %d) = %q, want %q", c.v, c.dec, got, c.trimmed)
		}
	}
}
