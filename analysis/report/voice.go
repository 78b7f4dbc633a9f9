package report

import (
	"github.com/earshot/earshot/store"
)

var voiceFormula = []string{
	"mentions = posts by others (kind mention) naming the brand, published in the window; a post naming two brands counts for both",
	"SOV (mentions) = brand mentions ÷ Σ all brands' mentions on the network × 100",
	"interactions = likes, reposts/boosts, replies/comments, quotes, bookmarks, points (the networks table's interaction counts; never views or impressions); engagement SOV = brand interactions ÷ Σ brands' interactions × 100, null where the network has none; the all-networks row averages the per-network shares weighted by each network's mentions, over the networks where interactions are known",
	"exposure = Σ views/impressions over the mentions that carry one (null where none does; coverage: exposure known for k of n mentions)",
	"reach = Σ author followers over the mentions whose follower count is known (null where none is; coverage: reach known for k of n mentions); reach SOV = brand reach ÷ Σ brands' reach × 100, weighted across networks like engagement; unique reach counts each author once (their largest follower count)",
	"net sentiment = (positive − negative) ÷ (positive + negative), −1..1, null without labelled mentions (other tools divide by all mentions); avg sentiment = mean score of labelled mentions",
	"owned posts per week = owned posts × 7 ÷ days in the window; interactions per post = owned posts' interactions ÷ owned posts, over networks that give interactions",
	"change = (window − previous period) ÷ previous × 100; \"prev. partly collected\" when collection began after the previous period started (on \"all\": on any reported network; whatever it holds is not all there was), else \"new\" when the previous period is empty; \"too few to call\" when window + previous < 10 mentions; SOV change in percentage points, called when both periods have ≥ 10 brand mentions",
	"link mentions (traffic proxy) = mentions linking to one of the brand's `domains` (subdomains included)",
	"leader = the brand with the highest SOV by mentions on the network, named only with ≥ 10 brand mentions and no tie",
}

// voices builds the per-network, per-brand figures.
func voices(d *daily, f *factFigures, brands []string, col collection) VoiceSection {
	sec := VoiceSection{Formula: voiceFormula}
	// Per-network shares of interactions and reach feed the weighted all-networks row.
	engShare := map[nb]float64{}
	reachShare := map[nb]float64{}
	engTotal, reachTotal := map[string]int64{}, map[string]int64{}
	netMentions := map[string]int64{}
	for _, n := range d.networks {
		var m, e, r int64
		for _, b := range brands {
			a := d.win(n, b, store.KindMention)
			m, e, r = m+a.count, e+a.eng, r+a.reach
		}
		netMentions[n] = m
		engTotal[n], reachTotal[n] = e, r
		for _, b := range brands {
			a := d.win(n, b, store.KindMention)
			engShare[nb{n, b}] = pct(a.eng, e)
			reachShare[nb{n, b}] = pct(a.reach, r)
		}
	}
	for _, n := range d.rowNetworks() {
		nv := NetworkVoices{Network: n, Category: d.win(n, "", store.KindMention).count, CategoryPrev: d.prev(n, "", store.KindMention).count,
			PrevPartial: col.partial(n, d.w.prevStart, d.networks)}
		var sumPrev, sumUnique int64
		for _, b := range brands {
			cur := d.win(n, b, store.KindMention)
			nv.Mentions += cur.count
			nv.ReachKnown += cur.reachKnown
			nv.ExposureKnown += cur.expKnown
			sumPrev += d.prev(n, b, store.KindMention).count
			sumUnique += f.unique[nb{n, b}]
		}
		for _, b := range brands {
			cur, prev := d.win(n, b, store.KindMention), d.prev(n, b, store.KindMention)
			bf := BrandFigures{
				Brand: b, Mentions: cur.count, MentionsPrev: prev.count,
				SOV:           pct(cur.count, nv.Mentions),
				ExposureKnown: cur.expKnown, ReachKnown: cur.reachKnown,
				Authors:  f.authors[nb{n, b}],
				Positive: cur.pos, Neutral: cur.neu, Negative: cur.neg, NegativePrev: prev.neg,
				NetSentiment: netSentiment(cur), NetPrev: netSentiment(prev), AvgSentiment: ratio(cur.sent, float64(cur.pos+cur.neu+cur.neg)),
				LinkMentions: f.links[nb{n, b}], LinkPrev: f.linksPrev[nb{n, b}],
			}
			bf.MentionsChange, bf.ChangeNote = callChange(cur.count, prev.count, nv.PrevPartial)
			sovChange(&bf, nv.Mentions, sumPrev, prev.count, nv.PrevPartial)
			if interactionsKnown(n, d.networks) {
				bf.Interactions = i64(cur.eng)
			}
			if cur.expKnown > 0 {
				bf.Exposure = i64(cur.exp)
			}
			if cur.reachKnown > 0 {
				bf.Reach = i64(cur.reach)
			}
			if u := f.unique[nb{n, b}]; u > 0 {
				bf.UniqueReach = i64(u)
			}
			if sumUnique > 0 {
				bf.UniqueReachSOV = f64(pct(f.unique[nb{n, b}], sumUnique))
			}
			if n == allNetworks {
				bf.EngagementSOV = weighted(engShare, engTotal, netMentions, d.networks, b)
				bf.ReachSOV = weighted(reachShare, reachTotal, netMentions, d.networks, b)
			} else {
				if engTotal[n] > 0 {
					bf.EngagementSOV = f64(engShare[nb{n, b}])
				}
				if reachTotal[n] > 0 {
					bf.ReachSOV = f64(reachShare[nb{n, b}])
				}
			}
			owned(d, &bf, n, b)
			nv.Brands = append(nv.Brands, bf)
		}
		nv.Leader, nv.LeaderNote = leader(nv)
		sec.Networks = append(sec.Networks, nv)
	}
	return sec
}

// sovChange sets the previous period's SOV and the change in points, or
// the note saying why they are not called.
func sovChange(bf *BrandFigures, sum, sumPrev, prev int64, partial bool) {
	switch {
	case sum == 0 && sumPrev == 0:
	case partial:
		bf.SOVChangeNote = notePrevPartial
	case sumPrev == 0:
		bf.SOVChangeNote = noteNew
	case sum < minSample || sumPrev < minSample:
		bf.SOVPrev, bf.SOVChangeNote = f64(pct(prev, sumPrev)), noteTooFew
	default:
		bf.SOVPrev = f64(pct(prev, sumPrev))
		bf.SOVChange = f64(round(bf.SOV-*bf.SOVPrev, 2))
	}
}

// owned sets the owned-post figures; interactions per post counts only
// networks that give interactions (elsewhere they are unknown, not 0).
func owned(d *daily, bf *BrandFigures, n, b string) {
	own := d.win(n, b, store.KindOwned)
	bf.OwnedPosts = own.count
	bf.PostsPerWeek = round(float64(own.count)*7/float64(d.w.days), 2)
	bf.OwnedEng = own.eng
	var posts int64
	for _, x := range d.networks {
		if (n == allNetworks || x == n) && givesInteractions(x) {
			posts += d.win(x, b, store.KindOwned).count
		}
	}
	bf.EngPerPost = ratio(float64(own.eng), float64(posts))
}

// leader names the brand with the highest SOV, or says why none is named.
func leader(nv NetworkVoices) (string, string) {
	if nv.Mentions == 0 {
		return "", ""
	}
	if nv.Mentions < minSample {
		return "", noteTooFew
	}
	var best float64
	name, tie := "", false
	for _, bf := range nv.Brands {
		switch {
		case bf.SOV > best:
			best, name, tie = bf.SOV, bf.Brand, false
		case bf.SOV == best:
			tie = true
		}
	}
	if tie {
		return "", noteTie
	}
	return name, ""
}

// weighted averages per-network shares by each network's share of
// mentions, over the networks where the figure is known (total > 0); nil
// when it is known on none.
func weighted(shares map[nb]float64, totals, netMentions map[string]int64, networks []string, b string) *float64 {
	var v, w float64
	for _, n := range networks {
		if totals[n] > 0 {
			v += shares[nb{n, b}] * float64(netMentions[n])
			w += float64(netMentions[n])
		}
	}
	if w == 0 {
		return nil
	}
	return f64(round(v/w, 2))
}

func i64(v int64) *int64 { return &v }
