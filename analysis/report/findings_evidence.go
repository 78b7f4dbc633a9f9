package report

import (
	"fmt"
	"slices"

	"github.com/earshot/earshot/store"
)

// evidencePosts bounds a change finding's driving posts.
const evidencePosts = 3

// Drivers are one brand's most engaged posts on one network ("all"
// included) in the window: the evidence a change finding names.
type Drivers struct {
	Network string       `json:"network"`
	Brand   string       `json:"brand"`
	Posts   []TopMention `json:"posts"`
}

// Evidence is what a finding shows besides its figure: the posts that
// drove it and how much of the brand's interactions they drew
// (FindingsFormula's evidence line).
type Evidence struct {
	// Posts are the most engaged first (at most evidencePosts; for a
	// spike, the day's).
	Posts []TopMention `json:"posts"`
	// Drove is how many of Posts drew Share % of the brand's interactions
	// on the network in the window: the fewest whose interactions reach
	// half of them, else all of Posts. 0, with Share null, where the
	// network gives no interaction counts or the brand has none there.
	Drove int      `json:"drove"`
	Share *float64 `json:"interaction_share_pct"`
}

// drivers reads the evidencePosts most engaged dated mentions of each
// brand on each network of v where a change can be called (previous period
// collected, mentions in both periods, minSample over both: what a change
// finding needs), from the
// window days' spike candidates (each day keeps its whyTop most engaged,
// so the window's first whyTop ≥ evidencePosts are among them).
func drivers(src Source, f *factFigures, w window, v VoiceSection) ([]Drivers, error) {
	first := w.dayIndex(w.start)
	out := []Drivers{}
	read := map[string]store.Mention{} // a post is read once ("all" and its network)
	for _, nv := range v.Networks {
		if nv.PrevPartial {
			continue // no change is called there
		}
		for _, b := range nv.Brands {
			if b.Mentions == 0 || b.MentionsPrev == 0 || b.Mentions+b.MentionsPrev < minSample {
				continue // no change of it can be a finding
			}
			var c []*store.Fact
			for d := first; d < first+w.days; d++ {
				c = append(c, f.why[whyKey{day: d, network: nv.Network, brand: b.Brand}]...)
			}
			slices.SortFunc(c, whyOrder)
			dr := Drivers{Network: nv.Network, Brand: b.Brand, Posts: []TopMention{}}
			for _, x := range c[:min(len(c), evidencePosts)] {
				m, ok := read[x.ID]
				if !ok {
					var err error
					if m, ok, err = src.Get(x.ID); err != nil {
						return nil, fmt.Errorf("finding drivers: %w", err)
					}
					if !ok {
						continue
					}
					read[x.ID] = m
				}
				tm := topMention(m, x, w.loc)
				score, _ := x.SentimentFor(b.Brand)
				tm.Sentiment = round(score, 3)
				dr.Posts = append(dr.Posts, tm)
			}
			out = append(out, dr)
		}
	}
	return out, nil
}

// evidence is the Evidence of brand b's change on network n: its drivers,
// and the fewest of them drawing half of interactions (the brand's
// interactions there; nil when unknown).
func evidence(r *Report, n, b string, interactions *int64) *Evidence {
	i := slices.IndexFunc(r.Drivers, func(d Drivers) bool { return d.Network == n && d.Brand == b })
	if i < 0 || len(r.Drivers[i].Posts) == 0 {
		return nil
	}
	e := &Evidence{Posts: r.Drivers[i].Posts}
	if interactions == nil || *interactions <= 0 {
		return e
	}
	var sum int64
	for k, p := range e.Posts {
		sum += p.Engagement
		e.Drove = k + 1
		if 2*sum >= *interactions {
			break
		}
	}
	if sum == 0 { // none of them drew any: nothing drove it
		e.Drove = 0
		return e
	}
	e.Share = f64(round(100*float64(sum)/float64(*interactions), 1))
	return e
}
