package digest

import (
	"fmt"
	"image/color"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
)

// Limits keep a digest short enough to read on a phone.
const (
	maxSpikes   = 3
	maxTops     = 1 // top positive and negative post per brand
	maxEmerging = 4
	maxExcerpt  = 160
	// differsPts is how far (in SOV points) a network's own share must be
	// from the all-networks share for the network to get its own line; see
	// networkDiffers, the one rule.
	differsPts = 10
	// minCall is the report's sample for calling a lead (report: 10).
	minCall = 10
)

// View is what the templates render: every figure already formatted in the
// recipient's language, so the text and HTML parts say the same thing.
type View struct {
	L         report.Locale
	Lang      string
	Week      string // "2026-W47"
	From, To  string // first and last day, "2026-11-16" (subject fields)
	Dates     string // "Mon 16 Nov – Sun 22 Nov 2026", localized
	Own       string
	Recipient config.Recipient
	Partial   bool // the week is not over (sent with -partial)
	Preheader string
	Headline  string // the first finding, or the own share of voice
	Mentions  int64  // mentions of the brands over the recipient's networks
	Volume    string // Mentions formatted, "1,240"
	Sentiment string // own net sentiment change, "+0.12" ("—" when unknown)

	Findings []FindingView
	// FewFindings says why there are fewer than report.MinFindings.
	FewFindings string
	Voice       []VoiceRow // own first, followed competitors, then "others"
	Others      string     // the hidden competitors summed into Others
	Scope       string     // "Networks: Naver, X" (all networks = the recipient's)
	// TrendNote says what the sparklines cover: the report's 12 weeks, or
	// on a young install only the weeks since the first mention, none for
	// a single week; and the networks, when only some were collected in
	// every plotted week (trendNote).
	TrendNote string
	// VoicePrev says, once for the section, that no change is compared
	// (the previous week was not collected in full on every network): the
	// rows then show no change of their own.
	VoicePrev  string
	sparkOn    string // the sparklines' networks, when not all of Scope
	Gap        []GapRow
	WhiteSpace []string
	Networks   []NetworkView // only networks that differ (networkDiffers)
	Spikes     []SpikeView
	Goals      []GoalView
	Emerging   []EmergingView
	Tops       []TopView
	Notes      []string
	Images     []Image

	ReportURL string // base_url + /report?...
	// Unsubscribe is the recipient's signed one-click link (https base_url
	// and a signing key; the same link as List-Unsubscribe), else "".
	Unsubscribe string
	Filtered    string // "Competitors: Globex · Networks: Naver" when the recipient filters
}

// FindingView is one ranked finding as a sentence with its link.
type FindingView struct {
	Text, Link string
	Post       string // the post its evidence names first, "" when none
}

// VoiceRow is one brand's share of voice over the recipient's networks.
type VoiceRow struct {
	Brand, SOV, Change, Net, NetChange string
	Own, Up, Down, Others              bool
	Spark                              string // CID of the sparkline PNG ("" = none)
	SparkAlt                           string // alt text, also the text fallback's words
	SparkText                          string // "▂▃▅▇" for the plain-text part
	Bar                                int    // SOV 0–100
}

// GapRow is one CompIndex figure over the recipient's networks.
type GapRow struct {
	Metric, Own, Competitors, Index string
	Ahead, Behind                   bool
}

// NetworkView is a network whose story differs from all networks'.
type NetworkView struct {
	Label, Line, ReportURL string
}

// SpikeView is one spike with the post that drove it.
type SpikeView struct {
	Line, Link, Driver, DriverURL string
}

// GoalView is one goal's status (the company's unfiltered figures).
type GoalView struct {
	Name, Status, Line string
	Behind, Met        bool
}

// EmergingView is one brand's rising phrases.
type EmergingView struct {
	Brand string
	Terms string // "battery recall (×3.2), 배터리 (×2.5)"
}

// TopView is one top post.
type TopView struct {
	Brand, Tone, Network, Title, Excerpt, URL, Author, Published, Interactions string
	Negative                                                                   bool
}

// ViewInput is what BuildView needs: the report built for the recipient's
// networks, and the company's unfiltered report for goals (nil: Report).
type ViewInput struct {
	Report     *report.Report
	Unfiltered *report.Report
	Week       Week
	Recipient  config.Recipient
	BaseURL    string
	// Unsubscribe is the recipient's one-click link, shown in the footer.
	Unsubscribe string
	Loc         *time.Location
	Partial     bool
}

// brandColors are the sparkline colours: own brand first.
var brandColors = []color.RGBA{{37, 99, 235, 255}, {220, 38, 38, 255}, {22, 163, 74, 255}, {217, 119, 6, 255}, {124, 58, 237, 255}, {100, 116, 139, 255}}

// BuildView turns a report into what one recipient reads, in their language:
// only the competitors they follow (the own brand always; the others summed
// as "Others"), over their networks ("all networks" means theirs), goals
// from the company's unfiltered report.
func BuildView(in ViewInput) *View {
	r, rc, w := in.Report, in.Recipient, in.Week
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	l := report.NewLocale(rc.Lang)
	v := &View{L: l, Lang: l.Lang, Week: w.String(), From: w.Monday(loc).Format(time.DateOnly), To: w.Sunday(loc).Format(time.DateOnly),
		Own: r.Own, Recipient: rc, Partial: in.Partial, Sentiment: unknown, Notes: r.BriefNotesIn(l), Unsubscribe: in.Unsubscribe}
	v.Dates = l.WeekDay(v.From) + " – " + l.Date(v.To)
	show := func(b string) bool { return b == r.Own || len(rc.Brands) == 0 || slices.Contains(rc.Brands, b) }
	onNet := func(n string) bool { return n == "all" || len(rc.Networks) == 0 || slices.Contains(rc.Networks, n) }
	v.ReportURL = reportURL(in.BaseURL, v.To, "", rc)
	abs := func(link string) string {
		if strings.HasPrefix(link, "/") {
			return strings.TrimRight(in.BaseURL, "/") + link
		}
		return link
	}

	var netLabels []string
	nets := r.Meta.Networks
	if len(nets) == 0 {
		nets = rc.Networks
	}
	if len(nets) == 0 {
		nets = []string{"all"}
	}
	for _, n := range nets {
		netLabels = append(netLabels, l.Network(n))
	}
	if len(netLabels) > 0 {
		v.Scope = l.Sprintf(t(l, "scope"), strings.Join(netLabels, ", "))
	}

	// Findings over the recipient's brands: a finding about a hidden
	// competitor is not theirs to read.
	for _, f := range report.Findings(r) {
		if f.Kind == report.FindingGoal || !show(f.Brand) || f.Rival != "" && !show(f.Rival) || !onNet(f.Network) {
			continue
		}
		v.Findings = append(v.Findings, FindingView{Text: f.Sentence(l), Link: abs(f.Link), Post: f.PostURL()})
	}
	v.FewFindings = report.FewFindings(r, len(v.Findings), l)

	var all *report.NetworkVoices
	for i := range r.Voice.Networks {
		if r.Voice.Networks[i].Network == "all" {
			all = &r.Voice.Networks[i]
		}
	}
	if all != nil {
		v.voice(r, all, show)
		for _, nv := range r.Voice.Networks {
			if nv.Network != "all" && onNet(nv.Network) && networkDiffers(all, &nv, r.Own) {
				v.Networks = append(v.Networks, NetworkView{Label: l.Network(nv.Network), Line: leadLine(l, &nv, r.Own),
					ReportURL: reportURL(in.BaseURL, v.To, nv.Network, rc)})
			}
		}
	}
	v.Volume = l.Count(v.Mentions)
	switch {
	case len(v.Findings) > 0:
		v.Headline = v.Findings[0].Text
	case len(v.Voice) > 0:
		v.Headline = l.Sprintf("%s: %s %s", r.Own, t(l, "sov"), v.Voice[0].SOV)
	default:
		v.Headline = t(l, "no findings")
	}
	v.Preheader = l.Sprintf(t(l, "preheader"), v.Dates, v.Volume, v.Headline)

	for _, ix := range r.Gap.Index {
		if ix.Network != "all" || ix.CompIndex == nil || !slices.Contains([]string{"sov", "net_sentiment", "engagement_sov", "response_rate"}, ix.Metric) {
			continue
		}
		key := ix.Metric
		if key == "sov" || key == "mentions" {
			key += " idx"
		}
		g := GapRow{Metric: t(l, key), Own: fig(l, ix.Own, ix.Metric), Competitors: fig(l, ix.Competitors, ix.Metric),
			Index: l.Fixed(*ix.CompIndex, 2)}
		g.Ahead, g.Behind = *ix.CompIndex > 1 != ix.LowerIsBetter, *ix.CompIndex < 1 != ix.LowerIsBetter
		v.Gap = append(v.Gap, g)
	}
	for _, ws := range r.Gap.WhiteSpace {
		if !onNet(ws.Network) {
			continue
		}
		switch ws.Status {
		case "weak":
			v.WhiteSpace = append(v.WhiteSpace, l.Sprintf(t(l, "ws weak"), l.Network(ws.Network), ws.TopCompetitor, l.Pct(ws.TopCompetitorSV), l.Pct(ws.CategoryShare)))
		case "absent":
			v.WhiteSpace = append(v.WhiteSpace, l.Sprintf(t(l, "ws absent"), l.Network(ws.Network), l.Pct(ws.CategoryShare)))
		}
	}

	for _, s := range r.Spikes.Spikes {
		if !show(s.Brand) || !onNet(s.Network) || len(v.Spikes) == maxSpikes {
			continue
		}
		sv := SpikeView{Line: l.Sprintf(t(l, "spike"), s.Brand, l.Network(s.Network), l.Date(s.Day), l.Count(s.Mentions), l.Fixed(s.Mean, 1)),
			Link: abs(s.Search)}
		if s.Why != nil && len(s.Why.Top) > 0 {
			tv := topView(l, s.Brand, "", s.Why.Top[0])
			sv.Driver, sv.DriverURL = tv.Title, tv.URL
		}
		v.Spikes = append(v.Spikes, sv)
	}
	goals := r
	if in.Unfiltered != nil {
		goals = in.Unfiltered
	}
	for _, g := range goals.Goals.Goals {
		v.Goals = append(v.Goals, GoalView{Name: g.Name, Status: t(l, g.Status),
			Line:   l.Sprintf(t(l, "goal"), goalFig(l, g.Current, g.Unit), goalFig(l, &g.Target, g.Unit), l.Date(g.Deadline), pctOf(l, g.Progress)),
			Behind: g.Status == "behind" || g.Status == "missed", Met: g.Status == "met"})
	}
	for _, bt := range r.Emerging.Brands {
		list := emergingList(bt) // phrases ("battery recall") first
		if !show(bt.Brand) || len(list) == 0 {
			continue
		}
		var parts []string
		for _, e := range list {
			parts = append(parts, query.Display(e.Term)+" (×"+l.Fixed(e.Lift, 1)+")")
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
					v.Tops = append(v.Tops, topView(l, bt.Brand, tl.tone, tm))
					n++
				}
			}
		}
	}
	var filt []string
	if len(rc.Brands) > 0 {
		filt = append(filt, l.Sprintf(t(l, "scope brands"), strings.Join(rc.Brands, ", ")))
	}
	if len(rc.Networks) > 0 {
		filt = append(filt, v.Scope)
	}
	v.Filtered = strings.Join(filt, " · ")
	return v
}

// voice fills the share-of-voice rows from the all-networks figures (the
// recipient's networks) and the 12-week trend, hidden competitors summed
// as Others so the shares add to 100%.
func (v *View) voice(r *report.Report, all *report.NetworkVoices, show func(string) bool) {
	l := v.L
	weeks := len(r.Trend.Weeks)
	// The weekly shares are the report's (Trend.WeeklySOV): over the
	// networks collected in every plotted week, so every point compares
	// the same networks; the note says which when they are not all of the
	// recipient's networks.
	n, nets := r.Trend.ShareWeeks, r.Trend.ShareNetworks
	v.TrendNote = trendNote(l, n, weeks, nets, r.Meta.Networks)
	if !slices.Equal(nets, r.Meta.Networks) && n >= 2 {
		v.sparkOn = networkList(l, nets)
	}
	series := map[string][]*float64{}
	for _, bt := range r.Trend.Brands {
		series[bt.Brand] = bt.WeeklySOV
	}
	share := func(sov []*float64) []*float64 {
		if n < 2 || len(sov) < weeks {
			return nil // one point is no trend
		}
		return sov[weeks-n:]
	}
	if prevPartial := all.PrevPartial; prevPartial {
		v.VoicePrev = t(l, "prev partial")
	}
	var others report.BrandFigures
	var hidden []string
	otherSOV := make([]*float64, weeks) // Σ hidden brands' shares: the same denominator
	var othersPrev float64
	othersPrevKnown := true
	for _, b := range all.Brands {
		if b.Brand == r.Own {
			v.Mentions += b.Mentions
		}
		if !show(b.Brand) {
			hidden = append(hidden, b.Brand)
			others.Mentions += b.Mentions
			others.SOV += b.SOV
			if b.SOVPrev != nil && b.SOVChange != nil {
				othersPrev += *b.SOVPrev
			} else {
				othersPrevKnown = false
			}
			for i, x := range series[b.Brand] {
				if i < weeks && x != nil {
					otherSOV[i] = ptr(deref(otherSOV[i]) + *x)
				}
			}
			continue
		}
		if b.Brand != r.Own {
			v.Mentions += b.Mentions
		}
		if all.PrevPartial {
			// The previous week was not collected on every network: its net
			// sentiment is of part of them, as its share of voice ("prev.
			// partly collected").
			b.NetPrev = nil
		}
		if b.Brand == r.Own {
			v.Sentiment = netDelta(l, b.NetSentiment, b.NetPrev)
		}
		row := v.voiceRow(b, share(series[b.Brand]), b.Brand == r.Own)
		if all.PrevPartial && b.NetSentiment != nil {
			row.NetChange = l.T("prev. partly collected")
		}
		v.Voice = append(v.Voice, row)
	}
	if len(hidden) > 0 {
		v.Mentions += others.Mentions
		if othersPrevKnown {
			d := others.SOV - othersPrev
			others.SOVChange = &d
		} else {
			others.SOVChangeNote = "too few to call"
		}
		others.Brand = t(l, "others")
		row := v.voiceRow(others, share(otherSOV), false)
		row.Others, row.Net, row.NetChange = true, unknown, unknown
		v.Voice = append(v.Voice, row)
		v.Others = l.Sprintf(t(l, "others note"), strings.Join(hidden, ", "))
	}
}

func (v *View) voiceRow(b report.BrandFigures, spark []*float64, own bool) VoiceRow {
	l := v.L
	row := VoiceRow{Brand: b.Brand, Own: own, SOV: l.Pct(b.SOV), Change: called(l, b.SOVChange, b.SOVChangeNote, 1, " pts"),
		Up: b.SOVChange != nil && *b.SOVChange >= 0.05, Down: b.SOVChange != nil && *b.SOVChange <= -0.05,
		Net: signed(l, b.NetSentiment), NetChange: netDelta(l, b.NetSentiment, b.NetPrev),
		Bar: int(math.Round(math.Max(0, math.Min(100, b.SOV))))}
	if l.Lang == "ko" && b.SOVChange != nil {
		row.Change = l.Signed(*b.SOVChange, 1) + "%p"
	}
	var first, last *float64
	hi := 0.0
	for _, s := range spark {
		if s == nil {
			continue
		}
		if first == nil {
			first = s
		}
		last = s
		hi = math.Max(hi, *s)
	}
	if last == nil {
		return row
	}
	hi = math.Min(100, math.Ceil(hi/10)*10)
	i := len(v.Images)
	row.Spark = fmt.Sprintf("spark-%d.png", i)
	row.SparkAlt = l.Sprintf(t(l, "sparkline alt"), b.Brand, len(spark), l.Pct(*first), l.Pct(*last))
	if v.sparkOn != "" {
		row.SparkAlt = l.Sprintf(t(l, "sparkline alt on"), b.Brand, len(spark), l.Pct(*first), l.Pct(*last), v.sparkOn)
	}
	row.SparkText = sparkBlocks(spark, 0, hi)
	v.Images = append(v.Images, Image{CID: row.Spark, PNG: sparkline(spark, 0, hi, brandColors[min(i, len(brandColors)-1)])})
	return row
}

// trendNote says what the sparklines cover: n weeks (the report's
// Trend.ShareWeeks) of weeks, over nets of the reported networks (the
// report's Trend.ShareNetworks) — named when they are not all of them.
func trendNote(l report.Locale, n, weeks int, nets, reported []string) string {
	switch {
	case n < 2:
		return t(l, "trend none")
	case !slices.Equal(nets, reported) && len(nets) == 1:
		return l.Sprintf(t(l, "trend on one"), networkList(l, nets), n)
	case !slices.Equal(nets, reported):
		return l.Sprintf(t(l, "trend on"), networkList(l, nets), n, len(nets))
	case n == weeks:
		return l.Sprintf(t(l, "trend full"), n)
	}
	return l.Sprintf(t(l, "trend young"), n)
}

func networkList(l report.Locale, nets []string) string {
	labels := make([]string, len(nets))
	for i, n := range nets {
		labels[i] = l.Network(n)
	}
	return strings.Join(labels, ", ")
}

func ptr(f float64) *float64 { return &f }

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// networkDiffers is the one rule for per-network detail: a network gets
// its own line when it has at least minCall brand mentions and either its
// leader differs from the all-networks leader or the own brand's share
// differs from its all-networks share by differsPts points or more.
func networkDiffers(all, nv *report.NetworkVoices, own string) bool {
	if nv.Mentions < minCall {
		return false
	}
	if nv.Leader != "" && nv.Leader != all.Leader {
		return true
	}
	return math.Abs(sovOf(nv, own)-sovOf(all, own)) >= differsPts
}

func sovOf(nv *report.NetworkVoices, brand string) float64 {
	for _, b := range nv.Brands {
		if b.Brand == brand {
			return b.SOV
		}
	}
	return 0
}

// leadLine says who leads a network: the leader and the own brand, or the
// own brand alone when it leads or nobody does.
func leadLine(l report.Locale, nv *report.NetworkVoices, own string) string {
	switch nv.Leader {
	case own:
		return l.Sprintf(t(l, "own leads"), own, l.Pct(sovOf(nv, own)))
	case "":
		return l.Sprintf(t(l, "no leader"), own, l.Pct(sovOf(nv, own)))
	}
	return l.Sprintf(t(l, "leads"), nv.Leader, l.Pct(sovOf(nv, nv.Leader)), own, l.Pct(sovOf(nv, own)))
}

// interactions writes a post's interaction count, or says that its
// network gives none (null, not 0: RSS and web pages carry no counts).
func interactions(l report.Locale, network string, n int64) string {
	row, _ := config.LookupNetwork(network)
	counted := n > 0
	for _, c := range row.Engagement {
		counted = counted || c == config.Interaction
	}
	if !counted {
		return t(l, "no counts")
	}
	return l.Sprintf(t(l, "interactions n"), l.Count(n))
}

func topView(l report.Locale, brand, tone string, tm report.TopMention) TopView {
	// Fetched text: no bidi overrides or invisible characters (query.Display).
	tm.Title, tm.Excerpt = query.Display(tm.Title), query.Display(tm.Excerpt)
	title, excerpt := tm.Title, truncate(tm.Excerpt, maxExcerpt)
	if title == "" {
		// A post without a title (a toot, a comment) is said once: its
		// text is the title, not cut short and then repeated below it.
		title, excerpt = excerpt, ""
	}
	if safeURL(excerpt) != "" && !strings.ContainsAny(excerpt, " \n") {
		excerpt = "" // a link post's text is its link: no text to quote
	}
	pub := tm.Published
	if pt, err := time.Parse(time.RFC3339, tm.Published); err == nil {
		pub = l.ShortDate(pt.Format(time.DateOnly))
	}
	return TopView{Brand: brand, Tone: t(l, tone), Negative: tone == "negative", Network: l.Network(tm.Network), Title: title,
		Excerpt: excerpt, URL: safeURL(tm.URL), Author: query.Display(tm.Author), Published: pub, Interactions: interactions(l, tm.Network, tm.Engagement)}
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
	if rc.Lang == "ko" {
		q.Set("lang", "ko")
	}
	return strings.TrimRight(base, "/") + "/report?" + q.Encode()
}

// unknown is how an unknown or undefined figure reads, as in the report.
const unknown = "—"

// called writes a change the report computed, or its note ("new", "prev.
// partly collected", "too few to call") in the reader's language when it
// did not.
func called(l report.Locale, v *float64, note string, dec int, unit string) string {
	switch {
	case v != nil:
		return l.Signed(*v, dec) + unit
	case note == "too few to call":
		return l.T("too few")
	case note != "":
		return l.T(note)
	}
	return unknown
}

func signed(l report.Locale, p *float64) string {
	if p == nil {
		return unknown
	}
	return l.Signed(*p, 2)
}

func netDelta(l report.Locale, cur, prev *float64) string {
	if cur == nil || prev == nil {
		return unknown
	}
	return l.Signed(*cur-*prev, 2)
}

func pctOf(l report.Locale, p *float64) string {
	if p == nil {
		return unknown
	}
	return l.Fixed(*p, 0) + "%"
}

// fig writes a CompIndex input figure by metric.
func fig(l report.Locale, p *float64, metric string) string {
	if p == nil {
		return unknown
	}
	switch metric {
	case "sov", "engagement_sov", "response_rate":
		return l.Pct(*p)
	case "net_sentiment":
		return l.Signed(*p, 2)
	}
	return l.Fixed(*p, 1)
}

func goalFig(l report.Locale, p *float64, unit string) string {
	if p == nil {
		return unknown
	}
	if unit == "%" || unit == "pct" || unit == "percent" {
		return l.Pct(*p)
	}
	dec := 2
	if unit == "% SOV" {
		dec = 1
	}
	s := l.Fixed(*p, dec)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if f, ok := phrases[l.Lang]["goal "+unit]; ok { // the report's units, in the reader's words
		return l.Sprintf(f, s)
	}
	if unit != "" {
		s += " " + unit
	}
	return s
}
