package report

import "github.com/earshot/earshot/store"

var voiceFormula = []string{
	"mentions = posts by others (kind mention) naming the brand, published in the window; a post naming two brands counts for both",
	"SOV (mentions) = brand mentions ÷ Σ all brands' mentions on the network × 100",
	"engagement SOV = brand engagement ÷ Σ brands' engagement × 100, engagement = the network's likes+reposts+replies+score… (EngagementTotal); the all-networks row averages the per-network shares weighted by each network's mentions, over the networks where any engagement is known, so networks with big raw counts do not dominate",
	"reach SOV = Σ author followers (where known) ÷ Σ over brands × 100, weighted across networks like engagement (networks that report no follower counts are left out); unique reach counts each author once (their largest follower count)",
	"net sentiment = (positive − negative) ÷ (positive + negative), −1..1, null without labelled mentions (other tools divide by all mentions); avg sentiment = mean score of labelled mentions",
	"owned posts per week = owned posts × 7 ÷ days in the window; engagement per post = owned posts' engagement ÷ owned posts",
	"change = (window − previous period) ÷ previous × 100 (null when previous is 0); SOV change in percentage points",
	"link mentions (traffic proxy) = mentions linking to one of the brand's `domains` (subdomains included)",
	"leader = the brand with the highest SOV by mentions on the network",
}

// voices builds the per-network, per-brand figures.
func voices(d *daily, f *factFigures, brands []string) VoiceSection {
	sec := VoiceSection{Formula: voiceFormula}
	// Per-network shares of engagement and reach feed the weighted all-networks row.
	engShare := map[nb]float64{}
	reachShare := map[nb]float64{}
	engTotal, reachTotal := map[string]int64{}, map[string]int64{}
	var totalMentions int64
	netMentions := map[string]int64{}
	for _, n := range d.networks {
		var m, e, r int64
		for _, b := range brands {
			a := d.win(n, b, store.KindMention)
			m, e, r = m+a.count, e+a.eng, r+a.reach
		}
		netMentions[n] = m
		totalMentions += m
		engTotal[n], reachTotal[n] = e, r
		for _, b := range brands {
			a := d.win(n, b, store.KindMention)
			engShare[nb{n, b}] = pct(a.eng, e)
			reachShare[nb{n, b}] = pct(a.reach, r)
		}
	}
	for _, n := range d.rowNetworks() {
		nv := NetworkVoices{Network: n, Category: d.win(n, "", store.KindMention).count, CategoryPrev: d.prev(n, "", store.KindMention).count}
		var sum, sumPrev, sumUnique int64
		for _, b := range brands {
			sum += d.win(n, b, store.KindMention).count
			sumPrev += d.prev(n, b, store.KindMention).count
			sumUnique += uniqueReach(f.reach[nb{n, b}])
		}
		var best float64
		for _, b := range brands {
			cur, prev := d.win(n, b, store.KindMention), d.prev(n, b, store.KindMention)
			own := d.win(n, b, store.KindOwned)
			bf := BrandFigures{
				Brand: b, Mentions: cur.count, MentionsPrev: prev.count, MentionsChange: change(cur.count, prev.count),
				SOV: pct(cur.count, sum), SOVPrev: pct(prev.count, sumPrev),
				Engagement: cur.eng, Reach: cur.reach, UniqueReach: uniqueReach(f.reach[nb{n, b}]),
				Authors:  int64(len(f.reach[nb{n, b}])),
				Positive: cur.pos, Neutral: cur.neu, Negative: cur.neg,
				NetSentiment: netSentiment(cur), NetPrev: netSentiment(prev), AvgSentiment: ratio(cur.sent, float64(cur.pos+cur.neu+cur.neg)),
				OwnedPosts: own.count, PostsPerWeek: round(float64(own.count)*7/float64(d.w.days), 2), OwnedEng: own.eng,
				EngPerPost:   ratio(float64(own.eng), float64(own.count)),
				LinkMentions: f.links[nb{n, b}], LinkPrev: f.linksPrev[nb{n, b}],
			}
			bf.SOVChange = round(bf.SOV-bf.SOVPrev, 2)
			bf.UniqueReachSOV = pct(bf.UniqueReach, sumUnique)
			if n == allNetworks {
				bf.EngagementSOV = weighted(engShare, engTotal, netMentions, d.networks, b)
				bf.ReachSOV = weighted(reachShare, reachTotal, netMentions, d.networks, b)
			} else {
				bf.EngagementSOV, bf.ReachSOV = engShare[nb{n, b}], reachShare[nb{n, b}]
			}
			if bf.SOV > best {
				best, nv.Leader = bf.SOV, b
			}
			nv.Brands = append(nv.Brands, bf)
		}
		sec.Networks = append(sec.Networks, nv)
	}
	return sec
}

// weighted averages per-network shares by each network's share of
// mentions, over the networks where the figure is known (total > 0).
func weighted(shares map[nb]float64, totals, netMentions map[string]int64, networks []string, b string) float64 {
	var v, w float64
	for _, n := range networks {
		if totals[n] > 0 {
			v += shares[nb{n, b}] * float64(netMentions[n])
			w += float64(netMentions[n])
		}
	}
	if w == 0 {
		return 0
	}
	return round(v/w, 2)
}

func uniqueReach(m map[string]int64) int64 {
	var s int64
	for _, f := range m {
		s += f
	}
	return s
}
