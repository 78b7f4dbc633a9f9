package report

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/earshot/earshot/store"
)

// Finding kinds, one per rule in Findings.
const (
	FindingSOV        = "sov"         // a brand's share of voice moved
	FindingMentions   = "mentions"    // a brand's mentions moved
	FindingNet        = "net"         // a brand's net sentiment moved
	FindingComplaints = "complaints"  // a brand's negative mentions moved
	FindingCare       = "care"        // own median reply time against the fastest competitor's
	FindingSpike      = "spike"       // a day far above the brand's baseline
	FindingWhiteSpace = "white_space" // a network where no competitor is strong
	FindingGoal       = "goal"        // a goal behind or missed
)

// Findings rank what changed; MaxFindings bound how many a digest or page
// opens with.
const (
	MaxFindings = 5
	// MinFindings is how many a brief aims for; with fewer, FewFindings
	// says why.
	MinFindings = 3
	// confidenceHalf is the sample at which confidence is ½: confidence =
	// n ÷ (n + confidenceHalf).
	confidenceHalf = 20
)

// Finding is one ranked headline: what changed, by how much, on how many
// mentions, and where to see them. Sentences are written by Sentence.
type Finding struct {
	Kind    string `json:"kind"`
	Brand   string `json:"brand"`
	Network string `json:"network"` // "all" for every reported network
	// Before and After are the figure in the previous period and in the
	// window (SOV and shares in %, net sentiment −1..1, counts); Before is
	// the baseline mean for a spike, the target for a goal.
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	// N is the sample behind the figure (mentions in window + previous
	// period, the spike day's mentions, the network's category mentions).
	N          int64   `json:"sample"`
	Effect     float64 `json:"effect"`
	Confidence float64 `json:"confidence"`
	Score      float64 `json:"score"`
	Day        string  `json:"day,omitempty"`    // spike day
	Status     string  `json:"status,omitempty"` // goal status, white space status
	Name       string  `json:"name,omitempty"`   // goal name
	Rival      string  `json:"rival,omitempty"`  // white space: the strongest competitor; care: the fastest
	// OwnRate and RivalRate are the response rates (%) of a care finding.
	OwnRate   *float64 `json:"own_response_rate_pct,omitempty"`
	RivalRate *float64 `json:"rival_response_rate_pct,omitempty"`
	// Evidence are the posts that drove a change or a spike (never the
	// finding itself: it needs its sample).
	Evidence *Evidence `json:"evidence,omitempty"`
	Link     string    `json:"link"` // the search showing the mentions behind it
}

// FindingsFormula states the ranking; it is printed with the findings and
// in docs/report.md.
var FindingsFormula = []string{
	"findings = candidates ranked by score = effect × confidence; confidence = n ÷ (n + 20), n = the mentions behind the figure; at most 5, one per kind and brand, and one of share of voice and mentions per brand and network (they move together); nothing below 10 mentions is a finding",
	"effect: share of voice and mentions |ln((after + 1) ÷ (before + 1))| (a doubling ≈ 0.69); net sentiment |after − before| (−1..1); spike ln(mentions ÷ (baseline mean + 1)); white space category share ÷ 100; goal behind 0.5, missed 1 (n = the goal network's window mentions)",
	"candidates: SOV and mention changes the report calls (both periods ≥ 10 mentions), net sentiment changes with ≥ 10 labelled mentions in each period and the previous period collected, complaints (negative mentions) with ≥ 10 mentions in each period, ≥ 10 negative ones over both and the previous period collected, spikes (≥ 5 mentions on the day), white space (weak or absent), goals behind or missed, customer care (the own brand's median reply time against the fastest competitor's, ≥ 10 answered mentions over both)",
	"effect (complaints, care): complaints |ln((negative + 1) ÷ (negative before + 1))|, n = negative mentions in both periods; care |ln((own median h + 1) ÷ (fastest competitor's median h + 1))|, n = both brands' answered mentions",
	"evidence of a share of voice, mention, net sentiment or complaints change: the brand's 3 most engaged dated posts by others on the network in the window (interactions, then newer, then ID); \"k posts drew s%\" = the fewest of them whose interactions reach half of the brand's interactions there (else all 3), s = their interactions ÷ the brand's × 100; no share where the network gives no interaction counts; a spike's evidence is its day's most engaged post",
}

// confidence is n ÷ (n + confidenceHalf): 0 without data, ½ at 20, → 1.
func confidence(n int64) float64 {
	if n <= 0 {
		return 0
	}
	return float64(n) / float64(n+confidenceHalf)
}

func logRatio(after, before float64) float64 {
	return math.Abs(math.Log((after + 1) / (before + 1)))
}

// Findings ranks what changed in r: every candidate scored effect ×
// confidence (FindingsFormula), best first, at most MaxFindings and one per
// kind and brand (the network where it is strongest). A single post never
// makes a finding: every candidate needs minSample mentions (a spike, 5 on
// its day over a baseline of ≥ 14 days).
func Findings(r *Report) []Finding {
	from, to := windowDays(r)
	// link opens the posts the figure is computed from (the rule of
	// docs/report.md "A figure you can open"): a brand's mentions by
	// others (for care, the own brand's), its positive and negative ones
	// for net sentiment, its negative ones for complaints, every mention
	// on the network for white space.
	link := func(f Finding) string {
		q := SearchQuery{Brand: f.Brand, From: from, To: to}
		switch f.Kind {
		case FindingSOV, FindingMentions, FindingCare:
			q.Kind = store.KindMention
		case FindingNet:
			q.Kind, q.Sentiments = store.KindMention, []string{"positive", "negative"}
		case FindingComplaints:
			q.Kind, q.Sentiments = store.KindMention, []string{"negative"}
		case FindingWhiteSpace:
			q.Brand = ""
		}
		if f.Network != allNetworks && f.Network != "" {
			q.Networks = []string{f.Network}
		}
		return q.URL()
	}
	var c []Finding
	add := func(f Finding, effect float64) {
		if f.N < minSample && f.Kind != FindingSpike || effect <= 0 || math.IsNaN(effect) {
			return
		}
		f.Effect, f.Confidence = round(effect, 3), round(confidence(f.N), 3)
		f.Score = round(effect*confidence(f.N), 4)
		if f.Link == "" {
			f.Link = link(f)
		}
		c = append(c, f)
	}
	ev := func(n string, b BrandFigures) *Evidence { return evidence(r, n, b.Brand, b.Interactions) }
	for _, nv := range r.Voice.Networks {
		for _, b := range nv.Brands {
			if b.SOVChange != nil && b.SOVPrev != nil {
				add(Finding{Kind: FindingSOV, Brand: b.Brand, Network: nv.Network, Before: *b.SOVPrev, After: b.SOV,
					N: b.Mentions + b.MentionsPrev, Evidence: ev(nv.Network, b)}, logRatio(b.SOV, *b.SOVPrev))
			}
			if b.MentionsChange != nil {
				add(Finding{Kind: FindingMentions, Brand: b.Brand, Network: nv.Network, Before: float64(b.MentionsPrev),
					After: float64(b.Mentions), N: b.Mentions + b.MentionsPrev, Evidence: ev(nv.Network, b)},
					logRatio(float64(b.Mentions), float64(b.MentionsPrev)))
			}
			if b.NetSentiment != nil && b.NetPrev != nil && !nv.PrevPartial && b.Positive+b.Negative >= minSample && b.MentionsPrev >= minSample {
				add(Finding{Kind: FindingNet, Brand: b.Brand, Network: nv.Network, Before: *b.NetPrev, After: *b.NetSentiment,
					N: b.Positive + b.Negative, Evidence: ev(nv.Network, b)}, math.Abs(*b.NetSentiment-*b.NetPrev))
			}
			if !nv.PrevPartial && b.Mentions >= minSample && b.MentionsPrev >= minSample {
				add(Finding{Kind: FindingComplaints, Brand: b.Brand, Network: nv.Network, Before: float64(b.NegativePrev),
					After: float64(b.Negative), N: b.Negative + b.NegativePrev, Evidence: ev(nv.Network, b)},
					logRatio(float64(b.Negative), float64(b.NegativePrev)))
			}
		}
	}
	if f, ok := careFinding(r); ok {
		add(f, logRatio(f.After, f.Before))
	}
	for _, s := range r.Spikes.Spikes {
		f := Finding{Kind: FindingSpike, Brand: s.Brand, Network: s.Network, Before: s.Mean, After: float64(s.Mentions),
			N: s.Mentions, Day: s.Day, Link: s.Search}
		if s.Why != nil && len(s.Why.Top) > 0 {
			f.Evidence = &Evidence{Posts: s.Why.Top[:1]}
		}
		add(f, math.Log(float64(s.Mentions)/(s.Mean+1)))
	}
	for _, ws := range r.Gap.WhiteSpace {
		if ws.Status == noteTooFew {
			continue
		}
		add(Finding{Kind: FindingWhiteSpace, Brand: r.Own, Network: ws.Network, Before: ws.TopCompetitorSV, After: ws.OwnSOV,
			N: ws.Category, Status: ws.Status, Rival: ws.TopCompetitor}, ws.CategoryShare/100)
	}
	for _, g := range r.Goals.Goals {
		effect := map[string]float64{"behind": 0.5, "missed": 1}[g.Status]
		f := Finding{Kind: FindingGoal, Brand: g.Brand, Network: g.Network, Before: g.Target, Status: g.Status, Name: g.Name,
			N: networkMentions(r, g.Network)}
		if g.Current != nil {
			f.After = *g.Current
		}
		add(f, effect)
	}
	slices.SortStableFunc(c, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Brand, b.Brand),
			cmp.Compare(a.Network, b.Network), cmp.Compare(a.Day, b.Day))
	})
	var out []Finding
	seen := map[[3]string]bool{}
	for _, f := range c {
		k := [3]string{f.Kind, f.Brand}
		// A brand's share of voice and its mentions on one network move
		// together: one fact, told once (the stronger of the two).
		v := [3]string{"volume", f.Brand, f.Network}
		volume := f.Kind == FindingSOV || f.Kind == FindingMentions
		if seen[k] || volume && seen[v] || len(out) == MaxFindings {
			continue
		}
		seen[k] = true
		if volume {
			seen[v] = true
		}
		out = append(out, f)
	}
	return out
}

// careFinding compares the own brand's median reply time with the
// fastest competitor's (lowest median; ties in brand order) on the network
// where that comparison scores highest (effect × confidence): one care
// finding, as the ranker keeps one per kind and brand anyway.
func careFinding(r *Report) (Finding, bool) {
	var best Finding
	var bestEffect float64
	for _, n := range careNetworks(r) {
		var own, rival *CareRow
		for i := range r.Care.Rows {
			c := &r.Care.Rows[i]
			if c.Network != n || c.MedianHours == nil {
				continue
			}
			if c.Brand == r.Own {
				own = c
			} else if rival == nil || *c.MedianHours < *rival.MedianHours {
				rival = c
			}
		}
		if own == nil || rival == nil || own.Answered+rival.Answered < minSample {
			continue
		}
		f := Finding{Kind: FindingCare, Brand: r.Own, Network: n, Before: *rival.MedianHours, After: *own.MedianHours,
			N: own.Answered + rival.Answered, Rival: rival.Brand, OwnRate: own.ResponseRate, RivalRate: rival.ResponseRate}
		if e := logRatio(f.After, f.Before) * confidence(f.N); e > bestEffect {
			best, bestEffect = f, e
		}
	}
	return best, bestEffect > 0
}

// careNetworks are the networks of the care rows, in their order.
func careNetworks(r *Report) []string {
	var out []string
	for _, c := range r.Care.Rows {
		if !slices.Contains(out, c.Network) {
			out = append(out, c.Network)
		}
	}
	return out
}

// networkMentions is Σ brands' mentions in the window on network n.
func networkMentions(r *Report, n string) int64 {
	for _, nv := range r.Voice.Networks {
		if nv.Network == n {
			return nv.Mentions
		}
	}
	return 0
}

// windowDays is the first and last local day of r's window (YYYY-MM-DD).
func windowDays(r *Report) (from, to string) {
	s, err1 := time.Parse(time.RFC3339, r.Meta.Start)
	e, err2 := time.Parse(time.RFC3339, r.Meta.End)
	if err1 != nil || err2 != nil {
		return "", ""
	}
	return s.Format(time.DateOnly), e.AddDate(0, 0, -1).Format(time.DateOnly)
}
