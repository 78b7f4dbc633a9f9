package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Round rounds v half away from zero to dec decimals; -0 becomes 0.
func Round(v float64, dec int) float64 {
	p := math.Pow(10, float64(dec))
	r := math.Round(v*p) / p
	if r == 0 {
		return 0
	}
	return r
}

// Fixed writes v rounded to dec decimals: Fixed(2.345, 2) = "2.35".
func Fixed(v float64, dec int) string {
	return strconv.FormatFloat(Round(v, dec), 'f', dec, 64)
}

// Signed writes v like Fixed with "+" before a positive value: a change.
// A change that rounds to zero has no sign ("0.0").
func Signed(v float64, dec int) string {
	s := Fixed(v, dec)
	if Round(v, dec) > 0 {
		s = "+" + s
	}
	return s
}

// Trim writes v like Fixed without trailing zeros: Trim(2.50, 2) = "2.5",
// Trim(3, 2) = "3".
func Trim(v float64, dec int) string {
	s := Fixed(v, dec)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Count writes n with comma thousands separators: 12345 → "12,345".
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	digits := strings.TrimPrefix(s, "-")
	var b strings.Builder
	b.Grow(len(s) + len(digits)/3)
	if len(digits) < len(s) {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
