package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// The scenario of testdata/scenario (issue 16): every figure below is
// worked out by hand from mentions.tsv, with the arithmetic beside it;
// none was copied from the code's output.
const scenarioDir = "testdata/scenario"

// scenarioPolls reads mentions.tsv into its polls, in file order.
func scenarioPolls(t testing.TB) [][]store.Mention {
	t.Helper()
	f, err := os.Open(scenarioDir + "/mentions.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var polls [][]store.Mention
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 11 {
			t.Fatalf("mentions.tsv: %d columns in %q", len(c), line)
		}
		poll, _ := strconv.Atoi(c[0])
		published, err := time.Parse("2006-01-02T15:04", c[4])
		if err != nil {
			t.Fatal(err)
		}
		followers, _ := strconv.ParseInt(c[6], 10, 64)
		network, native, _ := strings.Cut(c[1], ":")
		m := store.Mention{ID: c[1], Network: network, Source: network, NativeID: native, URL: "https://" + network + ".example/" + native,
			Text: "about " + c[3], Kind: c[2], Author: c[5], AuthorFollowers: followers, Published: published, Fetched: published,
			Lang: "en", Brands: []string{c[3]}, ReplyTo: c[8], SentimentLabel: c[9], PublishedEstimated: c[10] == "estimated"}
		switch m.SentimentLabel {
		case "positive":
			m.Sentiment = 0.5
		case "negative":
			m.Sentiment = -0.5
		}
		if c[7] != "" {
			m.Engagement = map[string]int64{}
			for _, kv := range strings.Split(c[7], ",") {
				k, v, _ := strings.Cut(kv, "=")
				m.Engagement[k], _ = strconv.ParseInt(v, 10, 64)
			}
		}
		for len(polls) < poll {
			polls = append(polls, nil)
		}
		polls[poll-1] = append(polls[poll-1], m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return polls
}

func scenarioConfig(t testing.TB) *config.Config {
	t.Helper()
	raw, err := os.ReadFile(scenarioDir + "/earshot.toml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := config.Parse(raw, "earshot.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scenarioReport commits the polls in order and builds the week 11-16..11-22.
func scenarioReport(t testing.TB, polls [][]store.Mention) (*Report, *store.Store) {
	t.Helper()
	s := fixtureStore(t, nil)
	for i, p := range polls {
		if _, err := s.Commit("poll"+strconv.Itoa(i+1), p, nil); err != nil {
			t.Fatal(err)
		}
	}
	return buildT(t, s, Request{Config: scenarioConfig(t), Period: "week", End: winEnd, Now: fixNow}), s
}

func p64(v float64) *float64 { return &v }
func pi(v int64) *int64      { return &v }

func TestScenarioHandComputed(t *testing.T) {
	r, _ := scenarioReport(t, scenarioPolls(t))
	const too, nw, pp = "too few to call", "new", "prev. partly collected"
	// Share of voice: networks "all", then naver, reddit, x.
	want := []NetworkVoices{
		{Network: "all", Category: 16, CategoryPrev: 11, // 12 reddit + 3 x + 1 naver; 10 reddit + 1 x
			Mentions: 16, ReachKnown: 2, ExposureKnown: 2, // xa1 and xg1 carry followers and impressions
			PrevPartial: true, Leader: "", LeaderNote: noteTie, // X began 11-12 09:00, Naver 11-20: after 11-09; Acme 7 = Globex 7
			Brands: []BrandFigures{
				{Brand: "Acme", Mentions: 7, MentionsPrev: 7, ChangeNote: pp, SOV: 43.75, SOVChangeNote: pp, // 7 of 16
					// interactions: reddit 4 × (10 + 2) = 48, x (5 + 1) + 2 = 8 → 56; engagement SOV weighted by
					// network mentions over reddit and x: (57.14 × 12 + 40 × 3) ÷ 15 = 805.68 ÷ 15 = 53.712
					Interactions: pi(56), EngagementSOV: p64(53.71), Exposure: pi(98012), ExposureKnown: 1,
					Reach: pi(1000), ReachKnown: 1, ReachSOV: p64(66.67), UniqueReach: pi(1000), UniqueReachSOV: p64(66.67),
					Authors: 7, Neutral: 5, Positive: 1, Negative: 1, NetSentiment: p64(0), AvgSentiment: p64(0),
					// owned: r1, r2, r3 with score 2 each: 6 ÷ 3
					OwnedPosts: 3, PostsPerWeek: 3, OwnedEng: 6, EngPerPost: p64(2)},
				{Brand: "Globex", Mentions: 7, MentionsPrev: 4, ChangeNote: pp, SOV: 43.75, SOVChangeNote: pp,
					// 6 × (5 + 1) + (10 + 2) = 48; (42.86 × 12 + 60 × 3) ÷ 15 = 694.32 ÷ 15 = 46.288
					Interactions: pi(48), EngagementSOV: p64(46.29), Exposure: pi(4000), ExposureKnown: 1,
					Reach: pi(500), ReachKnown: 1, ReachSOV: p64(33.33), UniqueReach: pi(500), UniqueReachSOV: p64(33.33),
					Authors: 7, Neutral: 7, AvgSentiment: p64(0), OwnedPosts: 1, PostsPerWeek: 1, EngPerPost: p64(0)},
				{Brand: "Initech", Mentions: 2, ChangeNote: pp, SOV: 12.5, SOVChangeNote: pp, // 2 of 16
					Interactions: pi(0), EngagementSOV: p64(0), ReachSOV: p64(0), UniqueReachSOV: p64(0), Authors: 2, Neutral: 2, AvgSentiment: p64(0)},
			}},
		{Network: "naver", Category: 1, Mentions: 1, PrevPartial: true, LeaderNote: too, // its only post is in the window
			Brands: []BrandFigures{
				// Naver gives no counts: interactions, engagement SOV and exposure unknown, not 0.
				{Brand: "Acme", Mentions: 1, ChangeNote: pp, SOV: 100, SOVChangeNote: pp, Authors: 1, Neutral: 1, AvgSentiment: p64(0)},
				{Brand: "Globex", SOVChangeNote: pp},
				{Brand: "Initech", SOVChangeNote: pp},
			}},
		{Network: "reddit", Category: 12, CategoryPrev: 10, Mentions: 12, Leader: "Globex", // 6 of 12 = 50 %
			Brands: []BrandFigures{
				// 4 vs 6: (4 − 6) ÷ 6 = −33.33 %; SOV 4/12 = 33.33 against 6/10 = 60: −26.67 pts
				{Brand: "Acme", Mentions: 4, MentionsPrev: 6, MentionsChange: p64(-33.33), SOV: 33.33, SOVPrev: p64(60), SOVChange: p64(-26.67),
					Interactions: pi(48), EngagementSOV: p64(57.14), // 48 ÷ (48 + 36 + 0)
					Authors: 4, Neutral: 4, AvgSentiment: p64(0), OwnedPosts: 3, PostsPerWeek: 3, OwnedEng: 6, EngPerPost: p64(2)},
				// 6 vs 4: +50 %; 50 − 40 = +10 pts; 36 ÷ 84 = 42.86
				{Brand: "Globex", Mentions: 6, MentionsPrev: 4, MentionsChange: p64(50), SOV: 50, SOVPrev: p64(40), SOVChange: p64(10),
					Interactions: pi(36), EngagementSOV: p64(42.86), Authors: 6, Neutral: 6, AvgSentiment: p64(0),
					OwnedPosts: 1, PostsPerWeek: 1, EngPerPost: p64(0)},
				// an empty previous week, fully collected: "new"; SOV 2/12 = 16.67 against 0/10
				{Brand: "Initech", Mentions: 2, ChangeNote: nw, SOV: 16.67, SOVPrev: p64(0), SOVChange: p64(16.67),
					Interactions: pi(0), EngagementSOV: p64(0), Authors: 2, Neutral: 2, AvgSentiment: p64(0)},
			}},
		{Network: "x", Category: 3, CategoryPrev: 1, Mentions: 3, ReachKnown: 2, ExposureKnown: 2, PrevPartial: true, LeaderNote: too,
			Brands: []BrandFigures{
				// interactions 6 + 2 = 8 of 20 (the 98,012 impressions are exposure); reach 1000 of 1500, known for 1 of 2
				{Brand: "Acme", Mentions: 2, MentionsPrev: 1, ChangeNote: pp, SOV: 66.67, SOVChangeNote: pp,
					Interactions: pi(8), EngagementSOV: p64(40), Exposure: pi(98012), ExposureKnown: 1,
					Reach: pi(1000), ReachKnown: 1, ReachSOV: p64(66.67), UniqueReach: pi(1000), UniqueReachSOV: p64(66.67),
					Authors: 2, Positive: 1, Negative: 1, NetSentiment: p64(0), AvgSentiment: p64(0)},
				{Brand: "Globex", Mentions: 1, ChangeNote: pp, SOV: 33.33, SOVChangeNote: pp,
					Interactions: pi(12), EngagementSOV: p64(60), Exposure: pi(4000), ExposureKnown: 1,
					Reach: pi(500), ReachKnown: 1, ReachSOV: p64(33.33), UniqueReach: pi(500), UniqueReachSOV: p64(33.33),
					Authors: 1, Neutral: 1, AvgSentiment: p64(0)},
				{Brand: "Initech", SOVChangeNote: pp, Interactions: pi(0), EngagementSOV: p64(0), ReachSOV: p64(0), UniqueReachSOV: p64(0)},
			}},
	}
	if !reflect.DeepEqual(r.Voice.Networks, want) {
		for i := range want {
			if i < len(r.Voice.Networks) && !reflect.DeepEqual(r.Voice.Networks[i], want[i]) {
				got, _ := json.Marshal(r.Voice.Networks[i])
				exp, _ := json.Marshal(want[i])
				t.Errorf("share of voice, %s:\ngot  %s\nwant %s", want[i].Network, got, exp)
			}
		}
		if len(r.Voice.Networks) != len(want) {
			t.Errorf("share of voice networks = %d, want %d", len(r.Voice.Networks), len(want))
		}
	}

	// Customer care: Acme answered a1 (+30 min, reply stored first in one
	// batch), a2 (+2 h, after it) and a3 (+1 h, parent a poll after the
	// reply); Globex answered g1 (+4 h, reply a poll after the parent).
	// median(0.5, 1, 2) = 1; mean 3.5 ÷ 3 = 1.1667.
	wantCare := []CareRow{
		{Network: "all", Brand: "Acme", Mentions: 7, Answered: 3, ResponseRate: p64(42.86), MedianHours: p64(1), MeanHours: p64(1.17)}, // 3 ÷ 7
		{Network: "all", Brand: "Globex", Mentions: 7, Answered: 1, ResponseRate: p64(14.29), MedianHours: p64(4), MeanHours: p64(4)},
		{Network: "all", Brand: "Initech", Mentions: 2, ResponseRate: p64(0)},
		{Network: "naver", Brand: "Acme", Mentions: 1, ResponseRate: p64(0)},
		{Network: "naver", Brand: "Globex"},
		{Network: "naver", Brand: "Initech"},
		{Network: "reddit", Brand: "Acme", Mentions: 4, Answered: 3, ResponseRate: p64(75), MedianHours: p64(1), MeanHours: p64(1.17)},
		{Network: "reddit", Brand: "Globex", Mentions: 6, Answered: 1, ResponseRate: p64(16.67), MedianHours: p64(4), MeanHours: p64(4)},
		{Network: "reddit", Brand: "Initech", Mentions: 2, ResponseRate: p64(0)},
		{Network: "x", Brand: "Acme", Mentions: 2, ResponseRate: p64(0)},
		{Network: "x", Brand: "Globex", Mentions: 1, ResponseRate: p64(0)},
		{Network: "x", Brand: "Initech"},
	}
	if !reflect.DeepEqual(r.Care.Rows, wantCare) {
		got, _ := json.Marshal(r.Care.Rows)
		t.Errorf("care rows = %s", got)
	}

	// Goals: reddit blocks from 10-26 (collection began 10-26 00:00), so 4 of
	// the 12; Acme's SOV 3/5, 3/5, 6/10, 4/12 = 60, 60, 60, 33.33. Slope =
	// Σ(x − 9.5)·y ÷ Σ(x − 9.5)² = (−90 − 30 + 30 + 49.995) ÷ 5 = −8.001.
	// The deadline's end 2027-04-01 is 129 days = 18.43 weeks after the
	// window: the line reads 53.33 − 8.001 × 19.93 < 0, clamped to 0.
	// Baseline 60 was above the target 50 and current 33.33 is below it:
	// progress 0, not 226 %.
	weeks := []string{"2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"}
	wantGoals := []GoalStatus{
		{Name: "acme reddit sov", Brand: "Acme", Metric: "sov", Network: "reddit", Unit: "% SOV", Target: 50, Deadline: "2027-03-31",
			Baseline: p64(60), Current: p64(33.33), Progress: p64(0), Slope: p64(-8.001), Projected: p64(0), Status: "behind",
			Min: p64(0), Max: p64(100), WeekStarts: weeks, Weekly: []*float64{p64(60), p64(60), p64(60), p64(33.33)}},
		// Globex 2/5, 2/5, 4/10, 6/12 = 40, 40, 40, 50: slope (−60 − 20 + 20 + 75) ÷ 5 = 3;
		// 42.5 + 3 × 19.93 = 102.29, clamped to 100; current 50 reaches 50: met, progress 100.
		{Name: "globex reddit sov", Brand: "Globex", Metric: "sov", Network: "reddit", Unit: "% SOV", Target: 50, Deadline: "2027-03-31",
			Baseline: p64(40), Current: p64(50), Progress: p64(100), Slope: p64(3), Projected: p64(100), Status: "met",
			Min: p64(0), Max: p64(100), WeekStarts: weeks, Weekly: []*float64{p64(40), p64(40), p64(40), p64(50)}},
		// X began 11-12 09:00: only the window's block is collected; (1 − 1) ÷ (1 + 1) = 0.
		{Name: "acme x sentiment", Brand: "Acme", Metric: "net_sentiment", Network: "x", Unit: "net sentiment", Target: 0.5,
			Deadline: "2027-03-31", Baseline: p64(0), Current: p64(0), Progress: p64(0), Status: "too early",
			Min: p64(-1), Max: p64(1), WeekStarts: []string{"2026-11-16"}, Weekly: []*float64{p64(0)}},
	}
	if !reflect.DeepEqual(r.Goals.Goals, wantGoals) {
		got, _ := json.Marshal(r.Goals.Goals)
		t.Errorf("goals = %s", got)
	}

	// White space: Naver has 1 of 16 category mentions (6.25 % ≥ 5 %) and no
	// competitor, but 1 < 10: too few to call. Reddit and X have a competitor ≥ 20 %.
	wantWS := []WhiteSpace{{Network: "naver", Category: 1, CategoryShare: 6.25, OwnSOV: 100, Status: too}}
	if !reflect.DeepEqual(r.Gap.WhiteSpace, wantWS) {
		t.Errorf("white space = %+v", r.Gap.WhiteSpace)
	}
	idx := map[string]IndexRow{}
	for _, g := range r.Gap.Index {
		idx[g.Network+"/"+g.Metric] = g
	}
	// response rate: own 42.86 ÷ avg(14.29, 0) = 42.86 ÷ 7.145 = 5.9986
	near(t, "all response rate CompIndex", idx["all/response_rate"].CompIndex, 5.9986)
	for k, leader := range map[string]string{"all/response_rate": "Acme", "reddit/sov": "Globex", "reddit/engagement_sov": "Acme",
		"x/sov": "", "all/mentions": "", "naver/engagement_sov": ""} {
		if idx[k].Leader != leader {
			t.Errorf("%s leader = %q, want %q", k, idx[k].Leader, leader)
		}
	}
	if idx["naver/engagement_sov"].Own != nil {
		t.Error("naver engagement SOV must be unknown (null)")
	}

	// Top voices by interactions: the four Acme redditors (12 each), gfan on
	// X (12), then Globex redditors (6 each) by name; fan1 with 98,012
	// impressions but 6 interactions is not among the ten.
	var voices []string
	for _, v := range r.Audience.TopVoices {
		voices = append(voices, v.Network+"/"+v.Author)
	}
	wantVoices := []string{"reddit/r_a1", "reddit/r_a2", "reddit/r_a3", "reddit/r_a4", "x/gfan",
		"reddit/r_g1", "reddit/r_g2", "reddit/r_g3", "reddit/r_g4", "reddit/r_g5"}
	if !reflect.DeepEqual(voices, wantVoices) {
		t.Errorf("top voices = %v, want %v", voices, wantVoices)
	}
	if v := r.Audience.TopVoices[4]; v.Interactions != 12 || v.Followers == nil || *v.Followers != 500 {
		t.Errorf("gfan = %+v", v)
	}
	if r.Audience.TopVoices[0].Followers != nil {
		t.Error("a Reddit author's followers are unknown: null")
	}
	for _, bt := range r.Top.Brands {
		if bt.Brand == "Acme" && (len(bt.Positive) != 1 || bt.Positive[0].ID != "x:xa1" || bt.Positive[0].Engagement != 6) {
			t.Errorf("Acme top positive = %+v, want x:xa1 with 6 interactions", bt.Positive)
		}
	}
	if r.Meta.Watermark != 41 { // 10 history + 11 previous week + 14 + 6 in the window's two polls
		t.Errorf("watermark = %d", r.Meta.Watermark)
	}
}

// The replies pair whatever the order: all in one batch, parents last,
// gives the same report as the polls; and so does a rebuild.
func TestScenarioOrderAndRebuildInvariant(t *testing.T) {
	polls := scenarioPolls(t)
	r1, s := scenarioReport(t, polls)
	var all []store.Mention
	for i := len(polls) - 1; i >= 0; i-- {
		for j := len(polls[i]) - 1; j >= 0; j-- {
			all = append(all, polls[i][j])
		}
	}
	r2, _ := scenarioReport(t, [][]store.Mention{all})
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	r3 := buildT(t, s, Request{Config: scenarioConfig(t), Period: "week", End: winEnd, Now: fixNow})
	j := func(r *Report) []byte {
		var b bytes.Buffer
		if err := Render(&b, r, "json"); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if !reflect.DeepEqual(r1.Care, r2.Care) {
		t.Errorf("care differs when every reply is stored before its parent:\n%+v\n%+v", r1.Care.Rows, r2.Care.Rows)
	}
	if !bytes.Equal(j(r1), j(r3)) {
		t.Error("the report differs after a rebuild from the log")
	}
}
