package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/earshot/earshot/analysis/numfmt"
)

// table is one figure group as rows of text, shared by the text, markdown
// and CSV renderers. The first keys columns identify a row.
type table struct {
	Title   string
	Formula []string
	Head    []string
	Keys    int
	Rows    [][]string
	// Est says why a cell's figure is estimated or partial (the CSV's
	// estimated column), keyed by row and column index; most cells have
	// none.
	Est map[[2]int]string
}

// estimate notes, for the last row added, that column col's figure is
// estimated; an empty note or an unknown column is ignored.
func (t *table) estimate(col, note string) {
	i := slices.Index(t.Head, col)
	if note == "" || i < 0 || len(t.Rows) == 0 {
		return
	}
	if t.Est == nil {
		t.Est = map[[2]int]string{}
	}
	t.Est[[2]int{len(t.Rows) - 1, i}] = note
}

// partly is the estimated-column note of a figure known for k of n
// mentions, "" when it is known for all.
func partly(what string, k, n int64) string {
	if k >= n {
		return ""
	}
	return what + " known for " + known(k, n) + " mentions"
}

func num(v int64) string { return strconv.FormatInt(v, 10) }

func flt(v float64, dec int) string { return numfmt.Fixed(v, dec) }

// unknown is how a figure that is undefined or unknown reads (null in JSON).
const unknown = "—"

// opt formats an optional figure, "—" when undefined.
func opt(v *float64, dec int) string {
	if v == nil {
		return unknown
	}
	return flt(*v, dec)
}

// optNum formats an optional count, "—" when unknown.
func optNum(v *int64) string {
	if v == nil {
		return unknown
	}
	return num(*v)
}

// signed formats a change with its sign.
func signed(v *float64, dec int, unit string) string {
	if v == nil {
		return unknown
	}
	return numfmt.Signed(*v, dec) + unit
}

// called formats a change, or the note saying why it is not called.
func called(v *float64, note string, dec int, unit string) string {
	if v == nil && note != "" {
		return note
	}
	return signed(v, dec, unit)
}

// known states a figure's coverage: "k of n".
func known(k, n int64) string { return num(k) + " of " + num(n) }

// tables lays out every section of r.
func tables(r *Report) []table {
	var ts []table
	sov := table{Title: voiceTitle, Formula: r.Voice.Formula, Keys: 2,
		Head: []string{"network", "brand", "mentions", "prev", "change", "SOV %", "Δ pts", "interactions", "eng SOV %", "exposure",
			"reach", "reach SOV %", "unique reach SOV %", "pos", "neu", "neg", "net", "net prev", "avg", "owned/wk", "interactions/post",
			"link mentions", "leader"}}
	cov := table{Title: coverageTitle, Keys: 1,
		Head: []string{"network", "brand mentions", "reach known for", "exposure known for", "previous period", "leader"}}
	for _, nv := range r.Voice.Networks {
		for _, b := range nv.Brands {
			leader := ""
			if b.Brand == nv.Leader {
				leader = "★"
			}
			sov.Rows = append(sov.Rows, []string{nv.Network, b.Brand, num(b.Mentions), num(b.MentionsPrev), called(b.MentionsChange, b.ChangeNote, 1, "%"),
				flt(b.SOV, 1), called(b.SOVChange, b.SOVChangeNote, 1, ""), optNum(b.Interactions), opt(b.EngagementSOV, 1), optNum(b.Exposure),
				optNum(b.Reach), opt(b.ReachSOV, 1), opt(b.UniqueReachSOV, 1),
				num(b.Positive), num(b.Neutral), num(b.Negative), opt(b.NetSentiment, 2), opt(b.NetPrev, 2), opt(b.AvgSentiment, 2),
				flt(b.PostsPerWeek, 1), opt(b.EngPerPost, 1), num(b.LinkMentions), leader})
			for _, c := range []string{"reach", "reach SOV %", "unique reach SOV %"} {
				sov.estimate(c, partly("reach", b.ReachKnown, b.Mentions))
			}
			sov.estimate("exposure", partly("exposure", b.ExposureKnown, b.Mentions))
			if nv.PrevPartial {
				for _, c := range []string{"prev", "change", "Δ pts", "net prev"} {
					sov.estimate(c, "previous period partly collected")
				}
			}
		}
		prev := "collected"
		if nv.PrevPartial {
			prev = "partly collected: changes read prev. partly collected"
		}
		lead := nv.Leader
		if lead == "" {
			lead = dash(nv.LeaderNote)
		}
		cov.Rows = append(cov.Rows, []string{nv.Network, num(nv.Mentions), known(nv.ReachKnown, nv.Mentions) + " mentions",
			known(nv.ExposureKnown, nv.Mentions) + " mentions", prev, lead})
	}
	ts = append(ts, sov, cov)
	careT := table{Title: careTitle, Formula: r.Care.Formula, Keys: 2,
		Head: []string{"network", "brand", "mentions", "answered", "response rate %", "median h", "mean h"}}
	for _, c := range r.Care.Rows {
		careT.Rows = append(careT.Rows, []string{c.Network, c.Brand, num(c.Mentions), num(c.Answered), opt(c.ResponseRate, 1), opt(c.MedianHours, 2), opt(c.MeanHours, 2)})
	}
	ts = append(ts, careT)
	idx := table{Title: titleCompIndex, Formula: r.Gap.Formula, Keys: 2,
		Head: []string{"network", "metric", "own", "competitors avg", "CompIndex", "leader"}}
	for _, g := range r.Gap.Index {
		m := g.Metric
		if g.LowerIsBetter {
			m += " (lower is better)"
		}
		idx.Rows = append(idx.Rows, []string{g.Network, m, opt(g.Own, 2), opt(g.Competitors, 2), opt(g.CompIndex, 2), g.Leader})
	}
	ts = append(ts, idx)
	ws := table{Title: titleWhiteSpace, Keys: 1, Head: []string{"network", "category mentions", "share of category %", "own SOV %", "top competitor", "its SOV %", "status"}}
	for _, w := range r.Gap.WhiteSpace {
		ws.Rows = append(ws.Rows, []string{w.Network, num(w.Category), flt(w.CategoryShare, 1), flt(w.OwnSOV, 1), dash(w.TopCompetitor), flt(w.TopCompetitorSV, 1), w.Status})
	}
	ts = append(ts, ws)
	sp := table{Title: spikeTitle, Formula: r.Spikes.Formula, Keys: 3, Head: []string{"day", "network", "brand", "mentions", "mean", "σ", "threshold"}}
	for _, s := range r.Spikes.Spikes {
		sp.Rows = append(sp.Rows, []string{s.Day, s.Network, s.Brand, num(s.Mentions), flt(s.Mean, 2), flt(s.Sigma, 2), flt(s.Threshold, 2)})
		if s.Estimated > 0 {
			sp.estimate("mentions", num(s.Estimated)+" mentions with an estimated date left out")
		}
	}
	ts = append(ts, sp)
	ts = append(ts, trendTable(r))
	ts = append(ts, audienceTables(r)...)
	return append(ts, restTables(r)...)
}

func dash(s string) string {
	if s == "" {
		return unknown
	}
	return s
}

func trendTable(r *Report) table {
	t := table{Title: trendTitle, Formula: r.Trend.Formula, Keys: 1, Head: append([]string{"brand"}, r.Trend.Weeks...)}
	for _, b := range r.Trend.Brands {
		row := []string{b.Brand}
		for _, v := range b.WeeklyNet {
			row = append(row, opt(v, 2))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func audienceTables(r *Report) []table {
	a := r.Audience
	langs := table{Title: langsTitle, Formula: a.Formula, Keys: 1, Head: []string{"brand", "languages"}}
	for _, l := range a.Languages {
		var parts []string
		for _, c := range l.Counts {
			parts = append(parts, fmt.Sprintf("%s %d", c.Label, c.Count))
		}
		langs.Rows = append(langs.Rows, []string{l.Brand, dash(strings.Join(parts, ", "))})
	}
	how := table{Title: hourTitle, Keys: 1, Head: []string{"day"}}
	for h := 0; h < 24; h++ {
		how.Head = append(how.Head, fmt.Sprintf("%02d", h))
	}
	for d, name := range weekdays {
		row := []string{name}
		for h := 0; h < 24; h++ {
			row = append(row, num(a.HourOfWeek[d][h]))
		}
		how.Rows = append(how.Rows, row)
	}
	voices := table{Title: voicesTitle, Keys: 2, Head: []string{"network", "author", "mentions", "interactions", "followers", "brands"}}
	for _, v := range a.TopVoices {
		voices.Rows = append(voices.Rows, []string{v.Network, v.Author, num(v.Mentions), num(v.Interactions), optNum(v.Followers), strings.Join(v.Brands, ", ")})
	}
	sites := table{Title: sitesTitle, Keys: 1, Head: []string{"domain", "mentions", "brand domain"}}
	for _, s := range a.Sites {
		sites.Rows = append(sites.Rows, []string{s.Domain, num(s.Mentions), dash(s.Brand)})
	}
	links := table{Title: linkDomainsTitle, Keys: 1, Head: []string{"domain", "mentions", "brand domain"}}
	for _, s := range a.Links {
		links.Rows = append(links.Rows, []string{s.Domain, num(s.Mentions), dash(s.Brand)})
	}
	return []table{langs, how, voices, sites, links}
}

var weekdays = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

func restTables(r *Report) []table {
	tp := table{Title: topicsTitle, Formula: r.Topics.Formula, Keys: 1, Head: []string{"topic", "mentions", "prev", "change", "by network"}}
	for _, t := range r.Topics.Topics {
		var parts []string
		for _, c := range t.ByNetwork {
			parts = append(parts, fmt.Sprintf("%s %d", c.Label, c.Count))
		}
		tp.Rows = append(tp.Rows, []string{t.Topic, num(t.Mentions), num(t.Prev), called(t.Change, t.Note, 1, "%"), dash(strings.Join(parts, ", "))})
	}
	em := table{Title: emergingTitle, Formula: r.Emerging.Formula, Keys: 2, Head: []string{"brand", "term", "count", "baseline", "lift", "G²"}}
	for _, b := range r.Emerging.Brands {
		for _, t := range b.Terms {
			em.Rows = append(em.Rows, []string{b.Brand, t.Term, num(t.Count), num(t.Baseline), flt(t.Lift, 2), flt(t.G2, 2)})
		}
		for _, t := range b.Phrases { // phrases.go: sampled, said in the formula
			em.Rows = append(em.Rows, []string{b.Brand, t.Term, num(t.Count), num(t.Baseline), flt(t.Lift, 2), flt(t.G2, 2)})
			for _, c := range []string{"count", "baseline", "lift", "G²"} {
				em.estimate(c, "sampled: "+dash(b.PhraseSample))
			}
		}
	}
	gl := table{Title: goalsTitle, Formula: r.Goals.Formula, Keys: 1,
		Head: []string{"goal", "brand", "metric", "network", "target", "deadline", "baseline", "current", "progress %", "slope/wk", "projected", "status"}}
	for _, g := range r.Goals.Goals {
		gl.Rows = append(gl.Rows, []string{g.Name, g.Brand, g.Metric, g.Network, flt(g.Target, 2) + " " + g.Unit, g.Deadline,
			opt(g.Baseline, 2), opt(g.Current, 2), opt(g.Progress, 1), opt(g.Slope, 3), opt(g.Projected, 2), g.Status})
	}
	top := table{Title: "Top mentions", Formula: r.Top.Formula, Keys: 3, Head: []string{"brand", "tone", "id", "interactions", "sentiment", "url", "excerpt"}}
	for _, b := range r.Top.Brands {
		for _, tone := range []struct {
			name string
			ms   []TopMention
		}{{"positive", b.Positive}, {"negative", b.Negative}} {
			for _, m := range tone.ms {
				top.Rows = append(top.Rows, []string{b.Brand, tone.name, m.ID, num(m.Engagement), flt(m.Sentiment, 2), m.URL, excerpt(m.Title+" "+m.Excerpt, 120)})
			}
		}
	}
	return []table{tp, em, gl, top}
}
