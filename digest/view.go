package digest

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/analysis/numfmt"
	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
)

// Limits keep a digest short enough to read on a phone.
const (
	maxSpikes   = 5
	maxTops     = 2 // top positive and negative posts per brand
	maxEmerging = 5
	maxExcerpt  = 220
)

// View is what the templates render: every figure already formatted, so
// the text and HTML parts say the same thing.
type View struct {
	Week      string // "2026-W47"
	From, To  string // first and last day, "2026-11-16"
	Own       string
	Recipient config.Recipient
	Headline  string // one line: the whole digest in brief
	Mentions  int64  // mentions of the shown brands over every shown network
	Volume    string // Mentions formatted, "1,240"
	Sentiment string // own net sentiment change, "+0.12" ("n/a" when unknown)

	Networks []NetworkView // "all" first
	Spikes   []SpikeView
	Goals    []GoalView
	Topics   []TopicView
	Emerging []EmergingView
	Tops     []TopView
	Notes    []string

	ReportURL string // base_url + /report?...
	Filtered  string // "Brands: Globex · Networks: naver, x" when the recipient filters
}

// NetworkView is the headline and the brand table of one network.
type NetworkView struct {
	Network   string
	Label     string // "All networks", "Hacker News"
	Headline  string
	Category  string // "1,234 (+12%)"
	Brands    []BrandRow
	ReportURL string
}

// BrandRow is one brand's line in a network table.
type BrandRow struct {
	Brand     string
	Own       bool
	Mentions  string // "120"
	Change    string // "+12%" / "new" / "too few to call" / "—"
	SOV       string // "41.2%"
	SOVChange string // "+3.1 pts" / "new" / "too few to call"
	// Interactions are likes, reposts, replies… (never views); "—" where
	// the network gives none.
	Interactions string
	SOVUp        bool
	SOVDown      bool
	Bar          int    // SOV as a bar width in percent, 0–100
	Net          string // net sentiment "+0.35"
	NetChange    string // "+0.10"
	NetUp        bool
	NetDown      bool
}

// SpikeView is one spike.
type SpikeView struct {
	Day, Network, Brand string
	Mentions            int64
	Baseline            string // "12.3 ± 4.0"
}

// GoalView is one goal's status.
type GoalView struct {
	Name, Status, Current, Target, Deadline, Progress string
	Behind                                            bool
}

// TopicView is one topic's volume.
type TopicView struct {
	Topic, Change string
	Mentions      int64
}

// EmergingView is one brand's rising words.
type EmergingView struct {
	Brand string
	Terms string // "battery (×3.2), 배터리 (×2.5)"
}

// TopView is one top post.
type TopView struct {
	Brand, Tone, Network, Title, Excerpt, URL, Author, Published string
	Engagement                                                   int64
}

// BuildView turns a report into what one recipient reads: only the brands
// they follow (the own brand always) and only the report's networks.
func BuildView(r *report.Report, w Week, rc config.Recipient, baseURL string, loc *time.Location) *View {
	if loc == nil {
		loc = time.UTC
	}
	v := &View{
		Week: w.String(), From: w.Monday(loc).Format(time.DateOnly), To: w.Sunday(loc).Format(time.DateOnly),
		Own: r.Own, Recipient: rc, Sentiment: unknown, Notes: r.Meta.Notes,
	}
	show := func(b string) bool { return b == r.Own || len(rc.Brands) == 0 || slices.Contains(rc.Brands, b) }
	// The report is built for the recipient's networks; this only guards
	// against a report that was not.
	onNet := func(n string) bool { return n == "all" || len(rc.Networks) == 0 || slices.Contains(rc.Networks, n) }
	v.ReportURL = reportURL(baseURL, v.To, "", rc)

	for _, nv := range r.Voice.Networks {
		if !onNet(nv.Network) {
			continue
		}
		catChange := changePct(nv.Category, nv.CategoryPrev)
		if nv.PrevPartial && nv.Category > 0 {
			catChange = "new"
		}
		n := NetworkView{Network: nv.Network, Label: report.NetworkLabel(nv.Network),
			Category: fmt.Sprintf("%s (%s)", numfmt.Count(nv.Category), catChange)}
		if nv.Network != "all" {
			n.ReportURL = reportURL(baseURL, v.To, nv.Network, rc)
		}
		var own *report.BrandFigures
		var lead *report.BrandFigures
		for i := range nv.Brands {
			b := &nv.Brands[i]
			if !show(b.Brand) {
				continue
			}
			if b.Brand == r.Own {
				own = b
			}
			if b.Brand == nv.Leader { // the report names a leader only on a sample it can call
				lead = b
			}
			n.Brands = append(n.Brands, brandRow(b, r.Own))
			if nv.Network == "all" {
				v.Mentions += b.Mentions
			}
		}
		n.Headline = networkHeadline(n.Label, own, lead, nv)
		if nv.Network == "all" && own != nil {
			v.Sentiment = netDelta(own.NetSentiment, own.NetPrev)
		}
		v.Networks = append(v.Networks, n)
	}
	v.Volume = numfmt.Count(v.Mentions)
	if len(v.Networks) > 0 {
		v.Headline = v.Networks[0].Headline
	} else {
		v.Headline = "No mentions this week."
	}

	for _, s := range r.Spikes.Spikes {
		if !show(s.Brand) || !onNet(s.Network) || len(v.Spikes) == maxSpikes {
			continue
		}
		v.Spikes = append(v.Spikes, SpikeView{Day: s.Day, Network: report.NetworkLabel(s.Network), Brand: s.Brand,
			Mentions: s.Mentions, Baseline: numfmt.Fixed(s.Mean, 1) + " ± " + numfmt.Fixed(s.Sigma, 1)})
	}
	for _, g := range r.Goals.Goals {
		if !show(g.Brand) {
			continue
		}
		v.Goals = append(v.Goals, GoalView{Name: g.Name, Status: g.Status, Current: figure(g.Current, g.Unit),
			Target: figure(&g.Target, g.Unit), Deadline: g.Deadline, Progress: pctPtr(g.Progress),
			Behind: g.Status == "behind" || g.Status == "missed"})
	}
	for _, t := range r.Topics.Topics {
		v.Topics = append(v.Topics, TopicView{Topic: t.Topic, Mentions: t.Mentions, Change: called(t.Change, t.Note, 0, "%")})
	}
	for _, bt := range r.Emerging.Brands {
		list := append(slices.Clone(bt.Phrases), bt.Terms...) // phrases ("battery recall") first
		if !show(bt.Brand) || len(list) == 0 {
			continue
		}
		var parts []string
		for _, t := range list[:min(len(list), maxEmerging)] {
			parts = append(parts, t.Term+" (×"+numfmt.Fixed(t.Lift, 1)+")")
		}
		v.Emerging = append(v.Emerging, EmergingView{Brand: bt.Brand, Terms: strings.Join(parts, ", ")})
	}
	for _, bt := range r.Top.Brands {
		if !show(bt.Brand) {
			continue
		}
		for _, tl := range []struct {
			tone string
			list []report.TopMention
		}{{"negative", bt.Negative}, {"positive", bt.Positive}} {
			n := 0
			for _, tm := range tl.list {
				if n < maxTops && onNet(tm.Network) {
					v.Tops = append(v.Tops, topView(bt.Brand, tl.tone, tm))
					n++
				}
			}
		}
	}
	var filt []string
	if len(rc.Brands) > 0 {
		filt = append(filt, "brands: "+strings.Join(rc.Brands, ", "))
	}
	if len(rc.Networks) > 0 {
		filt = append(filt, "networks: "+strings.Join(rc.Networks, ", "))
	}
	v.Filtered = strings.Join(filt, " · ")
	return v
}

func brandRow(b *report.BrandFigures, own string) BrandRow {
	row := BrandRow{Brand: b.Brand, Own: b.Brand == own, Mentions: numfmt.Count(b.Mentions),
		Change: called(b.MentionsChange, b.ChangeNote, 0, "%"), SOV: pct(b.SOV),
		SOVChange:    called(b.SOVChange, b.SOVChangeNote, 1, " pts"),
		SOVUp:        b.SOVChange != nil && *b.SOVChange >= 0.05,
		SOVDown:      b.SOVChange != nil && *b.SOVChange <= -0.05,
		Interactions: unknown,
		Bar:          int(math.Round(math.Max(0, math.Min(100, b.SOV)))), Net: signed(b.NetSentiment),
		NetChange: netDelta(b.NetSentiment, b.NetPrev)}
	if b.Interactions != nil {
		row.Interactions = numfmt.Count(*b.Interactions)
	}
	if b.NetSentiment != nil && b.NetPrev != nil {
		d := *b.NetSentiment - *b.NetPrev
		row.NetUp, row.NetDown = d >= 0.005, d <= -0.005
	}
	return row
}

func networkHeadline(label string, own, lead *report.BrandFigures, nv report.NetworkVoices) string {
	switch {
	case nv.Category == 0 || nv.Mentions == 0:
		return fmt.Sprintf("%s: no mentions this week.", label)
	case lead == nil && nv.LeaderNote == "tie":
		return fmt.Sprintf("%s: no single leader (a tie).", label)
	case lead == nil:
		return fmt.Sprintf("%s: %s mentions of the brands, too few to call a leader.", label, numfmt.Count(nv.Mentions))
	case own != nil && lead.Brand == own.Brand:
		return fmt.Sprintf("%s: %s leads with %s share of voice (%s).", label, own.Brand, pct(own.SOV), sovChange(own))
	case own != nil:
		return fmt.Sprintf("%s: %s leads with %s; %s has %s (%s).", label, lead.Brand, pct(lead.SOV), own.Brand, pct(own.SOV), sovChange(own))
	default:
		return fmt.Sprintf("%s: %s leads with %s.", label, lead.Brand, pct(lead.SOV))
	}
}

func topView(brand, tone string, tm report.TopMention) TopView {
	// Fetched text: no bidi overrides or invisible characters (query.Display).
	tm.Title, tm.Excerpt = query.Display(tm.Title), query.Display(tm.Excerpt)
	title, excerpt := tm.Title, truncate(tm.Excerpt, maxExcerpt)
	if title == "" {
		title = truncate(tm.Excerpt, 80)
		if title == tm.Excerpt {
			excerpt = "" // said in full by the title
		}
	}
	pub := tm.Published
	if t, err := time.Parse(time.RFC3339, tm.Published); err == nil {
		pub = t.Format(time.DateOnly)
	}
	return TopView{Brand: brand, Tone: tone, Network: report.NetworkLabel(tm.Network), Title: title,
		Excerpt: excerpt, URL: safeURL(tm.URL), Author: query.Display(tm.Author), Published: pub, Engagement: tm.Engagement}
}

// safeURL keeps http(s) links only: a post's URL comes from the network
// and must not become a javascript: link in the e-mail.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func reportURL(base, end, network string, rc config.Recipient) string {
	q := url.Values{}
	q.Set("period", "week")
	q.Set("end", end)
	switch {
	case network != "":
		q.Set("network", network)
	case len(rc.Networks) > 0:
		q.Set("network", strings.Join(rc.Networks, ","))
	}
	if len(rc.Brands) > 0 {
		q.Set("brand", strings.Join(rc.Brands, ","))
	}
	return strings.TrimRight(base, "/") + "/report?" + q.Encode()
}

// unknown is how an unknown or undefined figure reads, as in the report.
const unknown = "—"

func changePct(cur, prev int64) string {
	switch {
	case prev == 0 && cur == 0:
		return unknown
	case prev == 0:
		return "new"
	}
	return numfmt.Signed(float64(cur-prev)/float64(prev)*100, 0) + "%"
}

// called writes a change the report computed, or its note ("new", "too
// few to call") when it did not.
func called(v *float64, note string, dec int, unit string) string {
	switch {
	case v != nil:
		return numfmt.Signed(*v, dec) + unit
	case note != "":
		return note
	}
	return unknown
}

// sovChange is a brand's SOV change in points, or why it is not called.
func sovChange(b *report.BrandFigures) string {
	return called(b.SOVChange, b.SOVChangeNote, 1, " pts")
}

func signed(p *float64) string {
	if p == nil {
		return unknown
	}
	return numfmt.Signed(*p, 2)
}

func netDelta(cur, prev *float64) string {
	if cur == nil || prev == nil {
		return unknown
	}
	return numfmt.Signed(*cur-*prev, 2)
}

func pctPtr(p *float64) string {
	if p == nil {
		return unknown
	}
	return numfmt.Fixed(*p, 0) + "%"
}

func figure(p *float64, unit string) string {
	if p == nil {
		return unknown
	}
	switch unit {
	case "%", "pct", "percent":
		return numfmt.Fixed(*p, 1) + "%"
	case "":
		return numfmt.Trim(*p, 2)
	}
	return numfmt.Trim(*p, 2) + " " + unit
}

// pct writes a share of voice: "55.3%".
func pct(v float64) string { return numfmt.Fixed(v, 1) + "%" }
