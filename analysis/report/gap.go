package report

import "github.com/earshot/earshot/store"

// White-space thresholds: a network is "discussed" with at least
// minSample mentions and minCategoryShare % of all networks' volume; its
// competitors are "weak" when none of them reaches weakSOV % there.
const (
	minCategoryShare = 5.0
	weakSOV          = 20.0
)

var gapFormula = []string{
	"CompIndex = own figure ÷ competitors' average of the same figure (competitors with the figure defined), per network and metric; > 1 means ahead, except where lower is better (response time); null when the average is ≤ 0 or undefined (a ratio to a negative net sentiment means nothing)",
	"leader = the brand with the best figure on the network; none where no figure is known, every brand has the same figure (all 0), or the network has fewer than 10 brand mentions",
	"white space = a network with ≥ 10 category mentions and ≥ 5% of all networks' category volume where no competitor reaches 20% SOV (weak) or none is mentioned at all (absent); a network that would qualify but has fewer than 10 category mentions reads \"too few to call\"",
}

// gapMetric reads one figure of one brand on one network.
type gapMetric struct {
	name  string
	lower bool
	get   func(bf BrandFigures, cr CareRow) *float64
}

var gapMetrics = []gapMetric{
	{"mentions", false, func(bf BrandFigures, _ CareRow) *float64 { return f64(float64(bf.Mentions)) }},
	{"sov", false, func(bf BrandFigures, _ CareRow) *float64 { return f64(bf.SOV) }},
	{"engagement_sov", false, func(bf BrandFigures, _ CareRow) *float64 { return bf.EngagementSOV }},
	{"net_sentiment", false, func(bf BrandFigures, _ CareRow) *float64 { return bf.NetSentiment }},
	{"interactions_per_post", false, func(bf BrandFigures, _ CareRow) *float64 { return bf.EngPerPost }},
	{"link_mentions", false, func(bf BrandFigures, _ CareRow) *float64 { return f64(float64(bf.LinkMentions)) }},
	{"response_rate", false, func(_ BrandFigures, cr CareRow) *float64 { return cr.ResponseRate }},
	{"median_response_hours", true, func(_ BrandFigures, cr CareRow) *float64 { return cr.MedianHours }},
}

// gap computes CompIndex rows and white space from the built sections.
func gap(v VoiceSection, c CareSection, d *daily, brands []string) GapSection {
	sec := GapSection{Formula: gapFormula}
	careOf := map[nb]CareRow{}
	for _, r := range c.Rows {
		careOf[nb{r.Network, r.Brand}] = r
	}
	for _, nv := range v.Networks {
		for _, m := range gapMetrics {
			row := IndexRow{Network: nv.Network, Metric: m.name, LowerIsBetter: m.lower}
			var sum float64
			var n int
			var best *float64
			tie := false
			for i, bf := range nv.Brands {
				x := m.get(bf, careOf[nb{nv.Network, bf.Brand}])
				if x == nil {
					continue
				}
				if i == 0 {
					row.Own = x
				} else {
					sum += *x
					n++
				}
				switch {
				case best == nil || (!m.lower && *x > *best) || (m.lower && *x < *best):
					best, row.Leader, tie = x, bf.Brand, false
				case *x == *best:
					tie = true
				}
			}
			if tie || nv.Mentions < minSample {
				row.Leader = ""
			}
			if n > 0 {
				row.Competitors = f64(round(sum/float64(n), 4))
				if row.Own != nil && *row.Competitors > 0 {
					row.CompIndex = ratio(*row.Own, *row.Competitors)
				}
			}
			sec.Index = append(sec.Index, row)
		}
	}
	var total int64
	for _, n := range d.networks {
		total += d.win(n, "", store.KindMention).count
	}
	for _, nv := range v.Networks {
		if nv.Network == allNetworks {
			continue
		}
		share := pct(nv.Category, total)
		if nv.Category == 0 || share < minCategoryShare {
			continue
		}
		ws := WhiteSpace{Network: nv.Network, Category: nv.Category, CategoryShare: share, OwnSOV: nv.Brands[0].SOV}
		var compMentions int64
		for _, bf := range nv.Brands[1:] {
			compMentions += bf.Mentions
			if bf.Mentions > 0 && bf.SOV > ws.TopCompetitorSV {
				ws.TopCompetitor, ws.TopCompetitorSV = bf.Brand, bf.SOV
			}
		}
		switch {
		case len(brands) < 2:
			continue
		case nv.Category < minSample && (compMentions == 0 || ws.TopCompetitorSV < weakSOV):
			ws.Status = noteTooFew
		case compMentions == 0:
			ws.Status = "absent"
		case ws.TopCompetitorSV < weakSOV:
			ws.Status = "weak"
		default:
			continue
		}
		sec.WhiteSpace = append(sec.WhiteSpace, ws)
	}
	return sec
}
