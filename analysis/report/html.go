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
	"flt":       flt,
	"label":     NetworkLabel,
	"add":       func(a, b any) float64 { return toF(a) + toF(b) },
	"tableView": func(t htmlTable, w map[string]string) tableView { return tableView{T: t, Words: w} },
	"inBar":     func(sov float64) bool { return sov >= barLabelMin },
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
	// CSVHref, when set, adds a "Download as CSV" link to the same
	// report as CSV (the web UI's /api/report?format=csv&…).
	CSVHref string
	// FreshHref, when set, is the "refresh now" link of the line a stale
	// report shows (the same report asked exact: ?fresh=1).
	FreshHref string
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
		fs = append(fs, findingLine{Text: f.Sentence(l), Link: f.Link, Post: f.PostURL()})
	}
	words := layoutWords(l.Lang)
	ts := translateTables(gapTables(r, linkTables(r, tables(r))), words)
	hw := heat(r)
	for d := range hw {
		hw[d].Day = words[hw[d].Day]
	}
	head := headerIn(r, words, l)
	// The heading lines: title, window (days in the reader's language and
	// the time zone), then the reproducibility lines (networks, config
	// hash, generated), then one per note.
	notes := len(r.Meta.Notes)
	v := htmlView{R: r, O: o, Lang: l.Lang, Words: words, Findings: fs, FewFindings: FewFindings(r, len(fs), l), FindingsFormula: FindingsFormula,
		Title: head[0], Window: head[1], Stale: staleLine(r.Meta, words), Repro: head[2 : len(head)-notes], Notes: head[len(head)-notes:],
		Tables: ts, SOV: sovBars(r), Trend: trendChart(r, words), Volume: volumeChart(r, words), Heat: hw, Legend: legend(r)}
	return htmlTmpl.Execute(w, v)
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

// gapTables anchors the gap tables (#gap, #white-space), shows the white
// space open (every other table is behind a disclosure headed by its
// title) and marks the white space rows worth acting on with class "ws".
func gapTables(r *Report, ts []htmlTable) []htmlTable {
	for i := range ts {
		switch ts[i].Title {
		case titleCompIndex:
			ts[i].ID = "gap" // one row per network and metric: a disclosure
		case titleWhiteSpace:
			ts[i].ID, ts[i].Open = "white-space", true
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

// tableView is one table and the page's words, for the "table" template.
type tableView struct {
	T     htmlTable
	Words map[string]string
}

// findingLine is one finding on the page.
type findingLine struct{ Text, Link, Post string }

type htmlView struct {
	Lang            string
	Words           map[string]string
	Findings        []findingLine
	FewFindings     string // why there are fewer than MinFindings (FewFindings)
	FindingsFormula []string
	R               *Report
	O               HTMLOptions
	// Title and Window head the page; Repro (networks, config
	// hash, generated) sits in the "how this is computed" disclosure and
	// Notes (what the report does not know) in one of their own.
	Title, Window string
	Stale         string // staleLine: "" unless the report is served stale
	Repro, Notes  []string
	Tables        []htmlTable
	SOV           []barRow
	Trend         chart
	Volume        chart
	Heat          [7]heatRow
	Legend        []barPart
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

// barPart is one brand's segment: its share of voice (the bar's width in
// per cent) and the search for the mentions it counts.
type barPart struct {
	Brand, Color, Href string
	SOV                float64
}

// barLabelMin is the smallest segment (SOV %) that prints its value
// inside the bar; every value is also printed under the bar.
const barLabelMin = 12

func sovBars(r *Report) []barRow {
	var out []barRow
	for _, nv := range r.Voice.Networks {
		row := barRow{Network: nv.Network}
		for i, b := range nv.Brands {
			if b.SOV <= 0 {
				continue
			}
			row.Parts = append(row.Parts, barPart{Brand: b.Brand, Color: color(i), SOV: b.SOV,
				Href: figureQuery(r.Meta, nv.Network, b.Brand).URL()})
		}
		out = append(out, row)
	}
	return out
}

// chart is an inline SVG line chart: one polyline per brand, plus markers,
// with both axes labelled (ticks and a title each).
type chart struct {
	W, H         int
	Lines        []line
	Marks        []mark
	Labels       []axisLabel // x ticks
	YTicks       []yTick
	XTitle       string
	YTitle       string
	Left, Bottom float64 // the plot area's left edge and baseline
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

type yTick struct {
	Y    float64
	Text string
}

// The charts' drawing box: 480 units wide so that, scaled down to a
// phone's 350 px, 12-unit text stays readable; padL leaves room for the
// y ticks, padB for the x ticks and the axis title.
const chartW, chartH, padL, padR, padT, padB = 480, 200, 40, 10, 18, 34

func xAt(i, n int) float64 {
	if n <= 1 {
		return padL
	}
	return round(padL+float64(i)*float64(chartW-padL-padR)/float64(n-1), 1)
}

// yAt maps v in [lo, hi] to the plot area (hi at the top).
func yAt(v, lo, hi float64) float64 {
	return round(padT+(hi-v)/(hi-lo)*(chartH-padT-padB), 1)
}

func newChart(xTitle, yTitle string) chart {
	return chart{W: chartW, H: chartH, XTitle: xTitle, YTitle: yTitle, Left: padL, Bottom: chartH - padB}
}

// trendChart plots weekly net sentiment (−1 at the bottom, +1 at the top).
func trendChart(r *Report, words map[string]string) chart {
	c := newChart(words["axis_week"], words["net"])
	for _, v := range []float64{1, 0, -1} {
		c.YTicks = append(c.YTicks, yTick{Y: yAt(v, -1, 1), Text: tickSigned(v)})
	}
	for i, b := range r.Trend.Brands {
		var pts []string
		for k, v := range b.WeeklyNet {
			if v != nil {
				pts = append(pts, fmt.Sprintf("%g,%g", xAt(k, len(b.WeeklyNet)), yAt(*v, -1, 1)))
			}
		}
		c.Lines = append(c.Lines, line{Brand: b.Brand, Color: color(i), Points: strings.Join(pts, " ")})
	}
	for k, wk := range r.Trend.Weeks {
		if k%4 == 0 {
			c.Labels = append(c.Labels, axisLabel{X: xAt(k, len(r.Trend.Weeks)), Text: shortDay(wk)})
		}
	}
	return c
}

func tickSigned(v float64) string {
	if v > 0 {
		return "+" + flt(v, 0)
	}
	return strings.Replace(flt(v, 0), "-", "−", 1)
}

// shortDay prints 2026-11-23 as 11-23 (the year is in the page's window).
func shortDay(d string) string {
	if len(d) == len("2006-01-02") {
		return d[5:]
	}
	return d
}

// volumeChart plots daily mentions with a marker on every spike of "all".
func volumeChart(r *Report, words map[string]string) chart {
	var top int64 = 1
	for _, b := range r.Trend.Brands {
		for _, v := range b.Daily {
			top = max(top, v)
		}
	}
	c := newChart(words["day"], words["mentions"])
	hi := float64(top)
	y := func(v int64) float64 { return yAt(float64(v), 0, hi) }
	c.YTicks = []yTick{{Y: y(top), Text: num(top)}, {Y: y(0), Text: "0"}}
	if top >= 4 {
		c.YTicks = append(c.YTicks, yTick{Y: y(top / 2), Text: num(top / 2)})
	}
	n := len(r.Trend.Days)
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
	for k := 0; k < n; k += 14 {
		c.Labels = append(c.Labels, axisLabel{X: xAt(k, n), Text: shortDay(r.Trend.Days[k])})
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
