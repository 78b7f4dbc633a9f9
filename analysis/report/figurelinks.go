package report

import (
	"strings"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// The sets a figure is computed from, as searches (docs/report.md, "A
// figure you can open"). A figure that is not itself a set of posts (a
// share, a median hour, an index) links to the set it is computed from.

// setOf is the search of the posts of brands (comma-joined; "" = every
// mention on the network) on network over the window, of one of the kinds
// below.
func setOf(m Meta, network string, brands []string, kind figureKind) SearchQuery {
	q := figureQuery(m, network, strings.Join(brands, ","))
	switch kind {
	case kindPrev:
		q.From, q.To = prevDays(m)
	case kindOwned:
		q.Kind = store.KindOwned
	case kindReplies:
		// Replies answer the window's mentions up to replyGrace after it.
		q.Kind, q.Replies = store.KindOwned, true
		if e, err := time.Parse(time.RFC3339, m.End); err == nil {
			q.To = e.Add(replyGrace).AddDate(0, 0, -1).Format(time.DateOnly)
		}
	case kindNet:
		q.Sentiments = []string{"positive", "negative"}
	}
	return q
}

// figureKind is which posts of a brand a figure counts.
type figureKind int

const (
	kindMentions figureKind = iota // mentions by others in the window
	kindPrev                       // … in the comparison period
	kindNet                        // … labelled positive or negative (net sentiment)
	kindOwned                      // the brand's own posts in the window
	kindReplies                    // the brand's own replies (customer care)
)

// metricKinds maps the CompIndex and goal metrics to the posts they are
// computed from.
var metricKinds = map[string]figureKind{
	"mentions": kindMentions, "sov": kindMentions, "engagement_sov": kindMentions, "link_mentions": kindMentions,
	"net_sentiment": kindNet, "interactions_per_post": kindOwned, config.GoalEngagementPerPost: kindOwned,
	"response_rate": kindReplies, "median_response_hours": kindReplies, config.GoalResponseTime: kindReplies,
}

// voiceKinds maps the share-of-voice columns without a label filter
// (voiceLinks) to their posts; prev and net prev read the comparison period.
var voiceKinds = map[string]figureKind{
	"prev": kindPrev, "change": kindMentions, "Δ pts": kindMentions, "interactions": kindMentions, "eng SOV %": kindMentions,
	"exposure": kindMentions, "reach": kindMentions, "reach SOV %": kindMentions, "unique reach SOV %": kindMentions,
	"avg": kindMentions, "link mentions": kindMentions, "owned/wk": kindOwned, "interactions/post": kindOwned,
}

// prevDays is the comparison period's first and last local day.
func prevDays(m Meta) (string, string) {
	s, err := time.Parse(time.RFC3339, m.PrevStart)
	if err != nil {
		return "", ""
	}
	return localDays(m.PrevStart, s.AddDate(0, 0, m.Days).Format(time.RFC3339))
}

// brandsOf is the brands reported on network, own first.
func brandsOf(r *Report, network string) []string {
	for _, nv := range r.Voice.Networks {
		if nv.Network == network {
			bs := make([]string, len(nv.Brands))
			for i, b := range nv.Brands {
				bs[i] = b.Brand
			}
			return bs
		}
	}
	return nil
}

// moreLinks is the search behind the cells of the tables figureQuery,
// spikes and emerging terms do not cover (cellLink); "" when none.
func moreLinks(r *Report, t table, i, j int) string {
	col, row := t.Head[j], t.Rows[i]
	m := r.Meta
	switch t.Title {
	case voiceTitle:
		if k, ok := voiceKinds[col]; ok && len(row) >= 2 {
			return setOf(m, row[0], []string{row[1]}, k).URL()
		}
		if col == "net prev" && len(row) >= 2 {
			q := setOf(m, row[0], []string{row[1]}, kindPrev)
			q.Sentiments = []string{"positive", "negative"}
			return q.URL()
		}
	case coverageTitle:
		if col == "brand mentions" || col == "reach known for" || col == "exposure known for" {
			return setOf(m, row[0], brandsOf(r, row[0]), kindMentions).URL()
		}
	case careTitle:
		switch col {
		case "mentions":
			return setOf(m, row[0], []string{row[1]}, kindMentions).URL()
		case "answered", "response rate %", "median h", "mean h":
			return setOf(m, row[0], []string{row[1]}, kindReplies).URL()
		}
	case titleCompIndex:
		if i < len(r.Gap.Index) {
			g := r.Gap.Index[i]
			bs := brandsOf(r, g.Network)
			if len(bs) == 0 {
				return ""
			}
			switch col {
			case "own":
				bs = bs[:1]
			case "competitors avg":
				bs = bs[1:]
			case "CompIndex":
			default:
				return ""
			}
			return setOf(m, g.Network, bs, metricKinds[g.Metric]).URL()
		}
	case titleWhiteSpace:
		if i < len(r.Gap.WhiteSpace) {
			w := r.Gap.WhiteSpace[i]
			switch col {
			case "category mentions", "share of category %":
				return setOf(m, w.Network, nil, kindMentions).URL()
			case "own SOV %":
				return setOf(m, w.Network, brandsOf(r, w.Network)[:1], kindMentions).URL()
			case "its SOV %":
				bs := brandsOf(r, w.Network)[1:] // no competitor mentioned: all of them, none found
				if w.TopCompetitor != "" {
					bs = []string{w.TopCompetitor}
				}
				return setOf(m, w.Network, bs, kindMentions).URL()
			}
		}
	case topicsTitle:
		q := setOf(m, allNetworks, nil, kindMentions)
		if col == "prev" {
			q = setOf(m, allNetworks, nil, kindPrev)
		}
		q.Topic = row[0]
		if col == "mentions" || col == "prev" || col == "change" || col == "by network" {
			return q.URL()
		}
	case goalsTitle:
		return goalLink(r, i, col)
	case trendTitle: // the column is the week's first day
		if start, err := time.Parse(time.DateOnly, col); err == nil {
			q := setOf(m, allNetworks, []string{row[0]}, kindNet)
			q.From, q.To = col, start.AddDate(0, 0, 6).Format(time.DateOnly)
			return q.URL()
		}
	case langsTitle:
		return setOf(m, allNetworks, []string{row[0]}, kindMentions).URL()
	case voicesTitle:
		if col == "mentions" || col == "interactions" || col == "followers" {
			return setOf(m, row[0], strings.Split(row[len(row)-1], ", "), kindMentions).URL()
		}
	case hourTitle:
		if row[j] == "0" {
			return "" // 168 cells: only the hours with mentions link
		}
		return setOf(m, allNetworks, brandsOf(r, allNetworks), kindMentions).URL()
	case sitesTitle, linkDomainsTitle:
		return setOf(m, allNetworks, brandsOf(r, allNetworks), kindMentions).URL()
	}
	return ""
}

// goalLink is the block a goal's baseline (first week) or current value
// (last week) is computed from.
func goalLink(r *Report, i int, col string) string {
	if i >= len(r.Goals.Goals) {
		return ""
	}
	g := r.Goals.Goals[i]
	if len(g.WeekStarts) == 0 || (col != "baseline" && col != "current") {
		return ""
	}
	week := g.WeekStarts[len(g.WeekStarts)-1]
	if col == "baseline" {
		week = g.WeekStarts[0]
	}
	start, err := time.Parse(time.DateOnly, week)
	if err != nil {
		return ""
	}
	network := g.Network
	if network == config.GoalAllNetworks {
		network = allNetworks
	}
	k := metricKinds[g.Metric]
	brands := []string{g.Brand}
	if g.Metric == config.GoalSOV {
		brands = brandsOf(r, allNetworks) // SOV's denominator: every brand
	}
	q := setOf(r.Meta, network, brands, k)
	q.From, q.To = week, start.AddDate(0, 0, 6).Format(time.DateOnly)
	if k == kindReplies {
		q.To = start.AddDate(0, 0, 6).Add(replyGrace).Format(time.DateOnly)
	}
	return q.URL()
}
