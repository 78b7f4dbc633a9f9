package report

import (
	"math"
	"testing"
)

func fixtureReport(t *testing.T) *Report {
	t.Helper()
	s := fixtureStore(t, fixtureMentions())
	return buildT(t, s, Request{Config: fixtureCfg(t, ""), Period: "week", End: winEnd, Now: fixNow})
}

func figures(t *testing.T, r *Report, network, brand string) BrandFigures {
	t.Helper()
	for _, nv := range r.Voice.Networks {
		if nv.Network != network {
			continue
		}
		for _, b := range nv.Brands {
			if b.Brand == brand {
				return b
			}
		}
	}
	t.Fatalf("no figures for %s/%s", network, brand)
	return BrandFigures{}
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 1e-9 {
		if got == nil {
			t.Errorf("%s = nil, want %v", what, want)
			return
		}
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

func TestHandComputedShareOfVoiceAndSentiment(t *testing.T) {
	r := fixtureReport(t)
	// reddit: Acme 6, Globex 3, Initech 1 of 10; the week before 4, 4, 2 of 10.
	a := figures(t, r, "reddit", "Acme")
	if a.Mentions != 6 || a.MentionsPrev != 4 || a.SOV != 60 {
		t.Errorf("reddit Acme volume/SOV = %+v", a)
	}
	near(t, "reddit Acme SOV prev", a.SOVPrev, 40)
	near(t, "reddit Acme SOV change", a.SOVChange, 20)
	near(t, "reddit Acme mentions change", a.MentionsChange, 50)
	// engagement 60 : 60 : 0
	near(t, "reddit Acme engagement SOV", a.EngagementSOV, 50)
	near(t, "reddit Initech engagement SOV", figures(t, r, "reddit", "Initech").EngagementSOV, 0)
	// x: Acme 2 of 8, Globex 6 of 8; no Acme the week before (new), Globex 7
	// then: 8 and 7 brand mentions are under 10, so the SOV change is not called.
	if x := figures(t, r, "x", "Acme"); x.SOV != 25 || x.SOVChange != nil || x.SOVChangeNote != "too few to call" ||
		x.MentionsChange != nil || x.ChangeNote != "new" {
		t.Errorf("x Acme = %+v", x)
	}
	near(t, "x Acme SOV prev 0 of 7", figures(t, r, "x", "Acme").SOVPrev, 0)
	near(t, "x Globex net sentiment (3−1)/(3+1)", figures(t, r, "x", "Globex").NetSentiment, 0.5)
	// all networks: 11, 9, 1 of 21.
	all := figures(t, r, "all", "Acme")
	if all.Mentions != 11 || all.SOV != 52.38 || figures(t, r, "all", "Globex").SOV != 42.86 || figures(t, r, "all", "Initech").SOV != 4.76 {
		t.Errorf("all SOV = %v / %v / %v", all.SOV, figures(t, r, "all", "Globex").SOV, figures(t, r, "all", "Initech").SOV)
	}
	// Weighted engagement SOV: (50·10 + 25·8 + 100·3) ÷ 21.
	near(t, "all Acme engagement SOV", all.EngagementSOV, 47.62)
	near(t, "all Globex engagement SOV", figures(t, r, "all", "Globex").EngagementSOV, 52.38)
	// Net sentiment: (5 − 2) ÷ (5 + 2); Initech has no labelled polar mention.
	near(t, "all Acme net sentiment", all.NetSentiment, 0.4286)
	if figures(t, r, "all", "Initech").NetSentiment != nil {
		t.Error("Initech net sentiment should be null: no positive or negative mention")
	}
	// Owned: 2 replies with 3 + 5 engagement.
	if all.OwnedPosts != 2 || all.PostsPerWeek != 2 || all.OwnedEng != 8 {
		t.Errorf("owned = %d posts, %v/wk, %d engagement", all.OwnedPosts, all.PostsPerWeek, all.OwnedEng)
	}
	near(t, "engagement per post", all.EngPerPost, 4)
	// Traffic proxy: two reddit mentions link to acme.example hosts, one x mention of Globex too.
	if a.LinkMentions != 2 || figures(t, r, "x", "Acme").LinkMentions != 1 || all.LinkMentions != 3 || figures(t, r, "all", "Globex").LinkMentions != 0 {
		t.Errorf("link mentions = %d, %d, %d", a.LinkMentions, figures(t, r, "x", "Acme").LinkMentions, all.LinkMentions)
	}
	for _, nv := range r.Voice.Networks {
		// 3 and 8 brand mentions: under 10, no leader is named.
		if nv.Network == "hackernews" && (nv.Category != 15 || nv.Leader != "" || nv.LeaderNote != "too few to call") {
			t.Errorf("hackernews category = %d, leader %q %q; want 15 (12 topic-only + 3), too few to call", nv.Category, nv.Leader, nv.LeaderNote)
		}
		if nv.Network == "x" && (nv.Leader != "" || nv.LeaderNote != "too few to call") {
			t.Errorf("x leader = %q", nv.Leader)
		}
		if nv.Network == "reddit" && nv.Leader != "Acme" {
			t.Errorf("reddit leader = %q", nv.Leader)
		}
	}
}

func TestHandComputedCareAndCompIndex(t *testing.T) {
	r := fixtureReport(t)
	rows := map[string]CareRow{}
	for _, c := range r.Care.Rows {
		rows[c.Network+"/"+c.Brand] = c
	}
	ra := rows["reddit/Acme"]
	if ra.Mentions != 6 || ra.Answered != 2 {
		t.Errorf("reddit Acme care = %+v", ra)
	}
	near(t, "reddit Acme response rate 2/6", ra.ResponseRate, 33.33)
	near(t, "reddit Acme median (1 h, 2.5 h)", ra.MedianHours, 1.75)
	near(t, "x Globex median", rows["x/Globex"].MedianHours, 6)
	near(t, "x Globex response rate 1/6", rows["x/Globex"].ResponseRate, 16.67)
	near(t, "all Acme response rate 2/11", rows["all/Acme"].ResponseRate, 18.18)
	if rows["all/Initech"].MedianHours != nil || rows["all/Initech"].ResponseRate == nil || *rows["all/Initech"].ResponseRate != 0 {
		t.Errorf("Initech care = %+v; want rate 0 and no median", rows["all/Initech"])
	}
	idx := map[string]IndexRow{}
	for _, g := range r.Gap.Index {
		idx[g.Network+"/"+g.Metric] = g
	}
	near(t, "reddit sov CompIndex 60 ÷ avg(30, 10)", idx["reddit/sov"].CompIndex, 3)
	near(t, "x sov CompIndex 25 ÷ avg(75, 0)", idx["x/sov"].CompIndex, 0.6667)
	near(t, "all mentions CompIndex 11 ÷ avg(9, 1)", idx["all/mentions"].CompIndex, 2.2)
	near(t, "all net sentiment CompIndex 0.4286 ÷ 0.1429", idx["all/net_sentiment"].CompIndex, 2.9993)
	near(t, "all median response CompIndex 1.75 ÷ 6", idx["all/median_response_hours"].CompIndex, 0.2917)
	if idx["x/sov"].Leader != "" || idx["all/median_response_hours"].Leader != "Acme" || !idx["all/median_response_hours"].LowerIsBetter {
		t.Errorf("leaders = %q, %q", idx["x/sov"].Leader, idx["all/median_response_hours"].Leader)
	}
	if idx["hackernews/sov"].CompIndex != nil {
		t.Error("hackernews CompIndex over competitors' average 0 must be null")
	}
	// White space: hackernews has 15 of 33 category mentions, no competitor.
	if len(r.Gap.WhiteSpace) != 1 {
		t.Fatalf("white space = %+v", r.Gap.WhiteSpace)
	}
	ws := r.Gap.WhiteSpace[0]
	if ws.Network != "hackernews" || ws.Status != "absent" || ws.Category != 15 || ws.CategoryShare != 45.45 || ws.OwnSOV != 100 {
		t.Errorf("white space = %+v", ws)
	}
}

func TestHandComputedSpikes(t *testing.T) {
	r := fixtureReport(t)
	// x, 2026-11-18: baseline 10-21..11-17 is 26 days of 1 and 2 of 0.
	mx := 26.0 / 28
	sx := math.Sqrt(26.0/28 - mx*mx)
	// all: the same x days, plus 11-10 (1 + 4 reddit = 5) and 11-17 (2 reddit): sum 32, squares 25 + 25 + 4.
	ma := 32.0 / 28
	sa := math.Sqrt(54.0/28 - ma*ma)
	want := []Spike{
		{Day: "2026-11-18", Network: "all", Brand: "Globex", Mentions: 6, Mean: round(ma, 2), Sigma: round(sa, 2), Threshold: round(ma+3*sa, 2), BaselineDays: 28,
			Search: "/?brand=Globex&network=hackernews%2Creddit%2Cx&kind=mention&from=2026-11-18&to=2026-11-18"},
		{Day: "2026-11-18", Network: "x", Brand: "Globex", Mentions: 6, Mean: round(mx, 2), Sigma: round(sx, 2), Threshold: round(mx+3*sx, 2), BaselineDays: 28,
			Search: "/?brand=Globex&network=x&kind=mention&from=2026-11-18&to=2026-11-18"},
	}
	if len(r.Spikes.Spikes) != len(want) {
		t.Fatalf("spikes = %+v, want %+v", r.Spikes.Spikes, want)
	}
	for i := range want {
		got := r.Spikes.Spikes[i]
		if got.Why == nil || len(got.Why.Top) == 0 {
			t.Errorf("spike %d has no explanation", i)
		}
		got.Why = nil
		if got != want[i] {
			t.Errorf("spike %d = %+v, want %+v", i, got, want[i])
		}
	}
}

func TestHandComputedGoals(t *testing.T) {
	r := fixtureReport(t)
	if len(r.Goals.Goals) != 2 {
		t.Fatalf("goals = %+v", r.Goals.Goals)
	}
	g := r.Goals.Goals[0]
	// Weekly SOV of Acme, weeks 7..11 of the history: 0, 0, 0, 4/17, 11/21.
	xs := []float64{7, 8, 9, 10, 11}
	ys := []float64{0, 0, 0, 23.53, 52.38}
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx, sy, sxx, sxy = sx+xs[i], sy+ys[i], sxx+xs[i]*xs[i], sxy+xs[i]*ys[i]
	}
	slope := (5*sxy - sx*sy) / (5*sxx - sx*sx)
	icpt := (sy - slope*sx) / 5
	weeksLeft := 39.0 / 7 // window end 11-23 to the end of 12-31
	near(t, "sov goal baseline", g.Baseline, 0)
	near(t, "sov goal current", g.Current, 52.38)
	near(t, "sov goal progress", g.Progress, round(52.38*100/60, 2))
	near(t, "sov goal slope", g.Slope, round(slope, 4))
	// The line reaches 112.3 at the deadline: clamped to SOV's 100.
	near(t, "sov goal projection", g.Projected, round(min(icpt+slope*(11+weeksLeft), 100), 4))
	if g.Status != "on track" || len(g.Weekly) != 12 || g.Weekly[0] != nil {
		t.Errorf("sov goal = %+v", g)
	}
	rt := r.Goals.Goals[1]
	near(t, "response time goal current (2.5 h + 1 h) ÷ 2", rt.Current, 1.75)
	if rt.Status != "met" || rt.Target != 2 || rt.Unit != "hours" {
		t.Errorf("response goal = %+v", rt)
	}
}

func TestTopicsAudienceTop(t *testing.T) {
	r := fixtureReport(t)
	if len(r.Topics.Topics) != 1 || r.Topics.Topics[0].Mentions != 12 || r.Topics.Topics[0].Change != nil ||
		r.Topics.Topics[0].ByNetwork[0] != (LabelCount{"hackernews", 12}) {
		t.Errorf("topics = %+v", r.Topics.Topics)
	}
	// Monday 09:00 and 11:00: one reddit Acme mention each; Wednesday 08:00 one Globex x.
	if h := r.Audience.HourOfWeek; h[0][9] != 1 || h[0][11] != 1 || h[2][8] != 1 || h[6][23] != 0 {
		t.Errorf("hour of week Mon9 %d Mon11 %d Wed8 %d", h[0][9], h[0][11], h[2][8])
	}
	var acme BrandTops
	for _, b := range r.Top.Brands {
		if b.Brand == "Acme" {
			acme = b
		}
	}
	if len(acme.Positive) != 3 || acme.Positive[0].Engagement != 10 || len(acme.Negative) != 2 || acme.Negative[0].Network != "reddit" {
		t.Errorf("Acme top = %+v", acme)
	}
	if r.Meta.Watermark != uint64(len(fixtureMentions())) || r.Meta.Start != "2026-11-16T00:00:00Z" || r.Meta.End != "2026-11-23T00:00:00Z" {
		t.Errorf("meta = %+v", r.Meta)
	}
}
