package digest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Sparkline size in CSS pixels; the PNG is drawn at twice that for
// high-density screens.
const (
	sparkW, sparkH = 96, 24
	sparkScale     = 2
)

// Image is an inline image of the HTML part, attached with a Content-ID
// (cid:) because Gmail blocks data: URIs.
type Image struct {
	CID string // "spark-0.png"
	PNG []byte
}

// sparkline draws values (nil = unknown, left as a gap) as a line on a
// transparent background, scaled to [lo, hi]; the last known point gets a
// dot. It is deterministic: the same values give the same bytes.
func sparkline(values []*float64, lo, hi float64, c color.RGBA) []byte {
	w, h := sparkW*sparkScale, sparkH*sparkScale
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	if hi <= lo {
		hi = lo + 1
	}
	pad := 3.0 * sparkScale
	x := func(i int) float64 {
		if len(values) < 2 {
			return float64(w) / 2
		}
		return pad + float64(i)*(float64(w)-2*pad)/float64(len(values)-1)
	}
	y := func(v float64) float64 { return float64(h) - pad - (v-lo)/(hi-lo)*(float64(h)-2*pad) }
	var px, py float64
	have := false
	last := -1
	for i, v := range values {
		if v == nil {
			have = false
			continue
		}
		cx, cy := x(i), y(*v)
		if have {
			line(img, px, py, cx, cy, 1.6*sparkScale/2, c)
		}
		px, py, have, last = cx, cy, true, i
	}
	if last >= 0 {
		disc(img, x(last), y(*values[last]), 2.2*sparkScale, c)
	}
	var b bytes.Buffer
	_ = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img)
	return b.Bytes()
}

// line draws an anti-aliased thick segment by covering pixels within r of it.
func line(img *image.NRGBA, x0, y0, x1, y1, r float64, c color.RGBA) {
	minX, maxX := int(math.Floor(math.Min(x0, x1)-r-1)), int(math.Ceil(math.Max(x0, x1)+r+1))
	minY, maxY := int(math.Floor(math.Min(y0, y1)-r-1)), int(math.Ceil(math.Max(y0, y1)+r+1))
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	for py := minY; py <= maxY; py++ {
		for px := minX; px <= maxX; px++ {
			fx, fy := float64(px)+0.5, float64(py)+0.5
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((fx-x0)*dx+(fy-y0)*dy)/l2))
			}
			d := math.Hypot(fx-(x0+t*dx), fy-(y0+t*dy))
			blend(img, px, py, c, math.Max(0, math.Min(1, r-d+0.5)))
		}
	}
}

func disc(img *image.NRGBA, cx, cy, r float64, c color.RGBA) { line(img, cx, cy, cx, cy, r, c) }

// blend raises the pixel's alpha to a (coverage) in colour c.
func blend(img *image.NRGBA, x, y int, c color.RGBA, a float64) {
	if a <= 0 || !(image.Point{x, y}.In(img.Rect)) {
		return
	}
	old := img.NRGBAAt(x, y)
	na := uint8(math.Round(a * 255))
	if na > old.A {
		img.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, na})
	}
}

// sparkBlocks is the text fallback of a sparkline: "▂▃▅▇" scaled to
// [lo, hi], "·" for an unknown week.
func sparkBlocks(values []*float64, lo, hi float64) string {
	const blocks = "▁▂▃▄▅▆▇█"
	r := []rune(blocks)
	if hi <= lo {
		hi = lo + 1
	}
	out := make([]rune, 0, len(values))
	for _, v := range values {
		if v == nil {
			out = append(out, '·')
			continue
		}
		i := int(math.Round((*v - lo) / (hi - lo) * float64(len(r)-1)))
		out = append(out, r[max(0, min(len(r)-1, i))])
	}
	return string(out)
}
