package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"flt":        flt,
	"label":      NetworkLabel,
	"add":        func(a, b any) float64 { return toF(a) + toF(b) },
	"barY":       func(i int) int { return 4 + 24*i },
	"barsHeight": func(n int) int { return 8 + 24*n },
	"hours": func() []string {
		out := make([]string, 24)
		for h := range out {
			out[h] = fmt.Sprintf("%02d", h)
		}
		return out
	},
}).Parse(htmlSource))

// HTMLOptions add a form to the HTML page that asks for another report.
type HTMLOptions struct {
	FormAction string   // e.g. "/report"; "" = no form
	Networks   []string // choices for the network field
	Network    string
	Period     string
	End        string // YYYY-MM-DD
	// Periods are the period field's choices (value, label); Start is a
	// custom period's first day and CompareStart the comparison period's
	// (YYYY-MM-DD, "" = the days right before).
	Periods             []Choice
	Start, CompareStart string
	// Lang is the page's language, "en" (default) or "ko": the html lang
	// attribute, the findings' sentences and the page's own words.
	Lang string
	// Langs are the language field's choices (nil = no field).
	Langs []string
	// Nav, when not empty, puts a navigation bar at the top of the page
	// (the web UI's own links); SignOut adds a sign-out button to it that
	// posts to /logout.
	Nav     []NavLink
	SignOut bool
}

// Choice is one option of a select field.
type Choice struct{ Value, Label string }

// NavLink is one entry of the navigation bar; Current marks this page.
type NavLink struct {
	Label, Href string
	Current     bool
}

// RenderHTML writes r as a standalone HTML page (CSS only, no JavaScript;
// charts are inline SVG). Everything taken from mentions is escaped.
func RenderHTML(w io.Writer, r *Report, o HTMLOptions) error {
	return renderHTML(w, r, o)
}

func renderHTML(w io.Writer, r *Report, o HTMLOptions) error {
	var fs []findingLine
	l := NewLocale(o.Lang)
	for _, f := range Findings(r) {
		fs = append(fs, findingLine{Text: f.Sentence(l), Link: f.Link})
	}
	words := pageWords(l.Lang)
	ts := translateTables(gapTables(r, linkTables(r, tables(r))), words)
	hw := heat(r)
	for d := range hw {
		hw[d].Day = words[hw[d].Day]
	}
	return htmlTmpl.Execute(w, htmlView{R: r, O: o, Lang: l.Lang, Words: words, Findings: fs, FindingsFormula: FindingsFormula, Head: headerIn(r, words), Tables: ts, SOV: sovBars(r), Trend: trendChart(r), Volume: volumeChart(r), Heat: hw, Legend: legend(r)})
}

// Titles of the competitor gap tables, which the page anchors and whose
// white space rows it highlights.
const (
	titleCompIndex  = "CompIndex (own ÷ competitors' average)"
	titleWhiteSpace = "White space"
)

// whiteSpaceOpen are the white space statuses the page highlights: the
// category is discussed there and competitors are absent or weak.
var whiteSpaceOpen = map[string]bool{"absent": true, "weak": true}

// gapTables anchors the gap tables (#gap, #white-space) and marks the
// white space rows worth acting on with class "ws".
func gapTables(r *Report, ts []htmlTable) []htmlTable {
	for i := range ts {
		switch ts[i].Title {
		case titleCompIndex:
			ts[i].ID = "gap"
		case titleWhiteSpace:
			ts[i].ID = "white-space"
			ts[i].RowClass = make([]string, len(ts[i].Rows))
			for k, ws := range r.Gap.WhiteSpace {
				if k < len(ts[i].RowClass) && whiteSpaceOpen[ws.Status] {
					ts[i].RowClass[k] = "ws"
				}
			}
		}
	}
	return ts
}

// findingLine is one finding on the page.
type findingLine struct{ Text, Link string }

type htmlView struct {
	Lang            string
	Words           map[string]string
	Findings        []findingLine
	FindingsFormula []string
	R               *Report
	O               HTMLOptions
	Head            []string
	Tables          []htmlTable
	SOV             []barRow
	Trend           chart
	Volume          chart
	Heat            [7]heatRow
	Legend          []barPart
}

func toF(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

var palette = []string{"#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#475569", "#ea580c"}

func color(i int) string { return palette[i%len(palette)] }

// barRow is one network's stacked SOV bar.
type barRow struct {
	Network string
	Parts   []barPart
}

type barPart struct {
	Brand, Color string
	X, W, SOV    float64
}

func sovBars(r *Report) []barRow {
	var out []barRow
	for _, nv := range r.Voice.Networks {
		row := barRow{Network: nv.Network}
		x := 0.0
		for i, b := range nv.Brands {
			if b.SOV <= 0 {
				continue
			}
			row.Parts = append(row.Parts, barPart{Brand: b.Brand, Color: color(i), X: round(x*6, 1), W: round(b.SOV*6, 1), SOV: b.SOV})
			x += b.SOV
		}
		out = append(out, row)
	}
	return out
}

// chart is an inline SVG line chart: one polyline per brand, plus markers.
type chart struct {
	W, H    int
	Lines   []line
	Marks   []mark
	Labels  []axisLabel
	MaxText string
}

type line struct {
	Brand, Color, Points string
}

type mark struct {
	X, Y  float64
	Title string
}

type axisLabel struct {
	X    float64
	Text string
}

const chartW, chartH, pad = 720, 200, 20

func xAt(i, n int) float64 {
	if n <= 1 {
		return pad
	}
	return round(pad+float64(i)*float64(chartW-2*pad)/float64(n-1), 1)
}

// trendChart plots weekly net sentiment (−1 at the bottom, +1 at the top).
func trendChart(r *Report) chart {
	c := chart{W: chartW, H: chartH, MaxText: "+1"}
	y := func(v float64) float64 { return round(pad+(1-v)/2*(chartH-2*pad), 1) }
	for i, b := range r.Trend.Brands {
		var pts []string
		for k, v := range b.WeeklyNet {
			if v != nil {
				pts = append(pts, fmt.Sprintf("%g,%g", xAt(k, len(b.WeeklyNet)), y(*v)))
			}
		}
		c.Lines = append(c.Lines, line{Brand: b.Brand, Color: color(i), Points: strings.Join(pts, " ")})
	}
	for k, wk := range r.Trend.Weeks {
		if k%3 == 0 {
			c.Labels = append(c.Labels, axisLabel{X: xAt(k, len(r.Trend.Weeks)), Text: wk})
		}
	}
	return c
}

// volumeChart plots daily mentions with a marker on every spike of "all".
func volumeChart(r *Report) chart {
	var top int64 = 1
	for _, b := range r.Trend.Brands {
		for _, v := range b.Daily {
			top = max(top, v)
		}
	}
	c := chart{W: chartW, H: chartH, MaxText: num(top)}
	n := len(r.Trend.Days)
	y := func(v int64) float64 { return round(chartH-pad-float64(v)/float64(top)*(chartH-2*pad), 1) }
	for i, b := range r.Trend.Brands {
		var pts []string
		for k, v := range b.Daily {
			pts = append(pts, fmt.Sprintf("%g,%g", xAt(k, n), y(v)))
		}
		c.Lines = append(c.Lines, line{Brand: b.Brand, Color: color(i), Points: strings.Join(pts, " ")})
	}
	for _, s := range r.Spikes.Spikes {
		if s.Network != allNetworks {
			continue
		}
		for k, d := range r.Trend.Days {
			if d == s.Day {
				c.Marks = append(c.Marks, mark{X: xAt(k, n), Y: y(s.Mentions), Title: fmt.Sprintf("%s spike on %s: %d mentions > threshold %s", s.Brand, s.Day, s.Mentions, flt(s.Threshold, 1))})
			}
		}
	}
	for k := 0; k < n; k += 7 {
		c.Labels = append(c.Labels, axisLabel{X: xAt(k, n), Text: r.Trend.Days[k]})
	}
	return c
}

type heatRow struct {
	Day   string
	Cells [24]heatCell
}

type heatCell struct {
	Count int64
	Level int // 0..5, a CSS class
}

func heat(r *Report) [7]heatRow {
	var top int64
	for _, d := range r.Audience.HourOfWeek {
		for _, v := range d {
			top = max(top, v)
		}
	}
	var out [7]heatRow
	for d := range out {
		out[d].Day = weekdays[d]
		for h, v := range r.Audience.HourOfWeek[d] {
			lvl := 0
			if top > 0 && v > 0 {
				lvl = 1 + int(4*v/top)
				lvl = min(lvl, 5)
			}
			out[d].Cells[h] = heatCell{Count: v, Level: lvl}
		}
	}
	return out
}

func legend(r *Report) []barPart {
	out := make([]barPart, len(r.Brands))
	for i, b := range r.Brands {
		out[i] = barPart{Brand: b, Color: color(i)}
	}
	return out
}
