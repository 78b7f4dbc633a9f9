package report

import (
	"math"
	"strings"
	"testing"
)

func fp(v float64) *float64 { return &v }

// findingsFixture: Globex's Reddit SOV went 22% → 41% on 40 + 50
// mentions; Acme's mentions on all networks went 30 → 33 (small change,
// large sample); Initech's net sentiment went +0.1 → −0.5 on 8 labelled
// mentions (below the sample: no finding); one spike of 12 mentions over a
// mean of 2; a goal behind.
func findingsFixture() *Report {
	r := &Report{Own: "Acme", Meta: Meta{Start: "2026-11-16T00:00:00+09:00", End: "2026-11-23T00:00:00+09:00"}}
	r.Voice.Networks = []NetworkVoices{
		{Network: "all", Mentions: 200, Brands: []BrandFigures{
			{Brand: "Acme", Mentions: 33, MentionsPrev: 30, MentionsChange: fp(10), SOV: 50, SOVPrev: fp(50), SOVChange: fp(0)},
			{Brand: "Initech", Mentions: 10, MentionsPrev: 10, MentionsChange: fp(0), SOV: 10, Positive: 3, Negative: 5,
				NetSentiment: fp(-0.5), NetPrev: fp(0.1)},
		}},
		{Network: "reddit", Mentions: 50, Brands: []BrandFigures{
			{Brand: "Globex", Mentions: 41, MentionsPrev: 9, SOV: 41, SOVPrev: fp(22), SOVChange: fp(19)},
		}},
	}
	r.Spikes.Spikes = []Spike{{Day: "2026-11-18", Network: "reddit", Brand: "Globex", Mentions: 12, Mean: 2, Search: "/?q=spike",
		Why: &SpikeExplanation{Top: []TopMention{{Title: "Globex cuts prices"}}}}}
	r.Goals.Goals = []GoalStatus{{Name: "Acme sov", Brand: "Acme", Network: "all", Target: 35, Current: fp(20), Status: "behind"}}
	return r
}

func TestFindingsRankByEffectTimesConfidence(t *testing.T) {
	got := Findings(findingsFixture())
	// Hand-computed: confidence = n ÷ (n + 20).
	//   sov Globex reddit: |ln(42/23)| = 0.6022 × 50/70 = 0.4301
	//   mentions Globex reddit: no MentionsChange → no candidate
	//   spike Globex: ln(12/3) = 1.3863 × 12/32 = 0.5199
	//   goal Acme behind: 0.5 × 200/220 = 0.4545
	//   mentions Acme all: |ln(34/31)| = 0.0924 × 63/83 = 0.0701
	//   sov Acme all: effect 0 → none; Initech net: 8 labelled < 10 → none
	want := []struct {
		kind, brand string
		score       float64
	}{{FindingSpike, "Globex", 0.5199}, {FindingGoal, "Acme", 0.4545}, {FindingSOV, "Globex", 0.4301}, {FindingMentions, "Acme", 0.0701}}
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Brand != w.brand || math.Abs(got[i].Score-w.score) > 0.0001 {
			t.Errorf("finding %d = %s %s %.4f, want %s %s %.4f", i, got[i].Kind, got[i].Brand, got[i].Score, w.kind, w.brand, w.score)
		}
	}
	if got[0].Link != "/?q=spike" || got[2].Link != "/?brand=Globex&network=reddit&from=2026-11-16&to=2026-11-22" &&
		!strings.Contains(got[2].Link, "brand=Globex") {
		t.Errorf("links: %q, %q", got[0].Link, got[2].Link)
	}
}

func TestFindingsNeverFromOnePost(t *testing.T) {
	r := findingsFixture()
	r.Spikes.Spikes[0].Mentions = 1 // a spike the report would never flag; still guarded
	r.Voice.Networks[1].Brands[0] = BrandFigures{Brand: "Globex", Mentions: 1, MentionsPrev: 0, SOV: 100, SOVPrev: fp(0), SOVChange: fp(100)}
	for _, f := range Findings(r) {
		if f.N < minSample && f.Kind != FindingSpike || f.Kind == FindingSpike && f.N < 5 {
			t.Errorf("finding from a tiny sample: %+v", f)
		}
	}
}

func TestFindingSentences(t *testing.T) {
	fs := Findings(findingsFixture())
	en, ko := NewLocale("en"), NewLocale("ko")
	for _, c := range []struct {
		f    Finding
		l    Locale
		want string
	}{
		{fs[2], en, "Globex's share of voice on Reddit rose from 22.0% to 41.0% (50 mentions over both weeks)."},
		{fs[2], ko, "레딧에서 Globex의 점유율이 22.0%에서 41.0%로 올랐습니다 (두 주 언급 50건)."},
		{fs[0], en, "Globex spiked on Reddit on Wed 18 Nov 2026: 12 mentions against a usual 2.0. Most engaged post: “Globex cuts prices”."},
		{fs[1], ko, "목표 “Acme sov”: 뒤처짐 — 현재 20.0, 목표 35.0."},
		{Finding{Kind: FindingMentions, Brand: "Acme", Network: "all", Before: 1200, After: 900}, en, "Mentions of Acme on all networks fell from 1,200 to 900."},
	} {
		if got := c.f.Sentence(c.l); got != c.want {
			t.Errorf("%s %s:\n got %q\nwant %q", c.l.Lang, c.f.Kind, got, c.want)
		}
	}
	for k := range enPhrases {
		if _, ok := koPhrases[k]; !ok {
			t.Errorf("Korean phrase %q missing", k)
		}
	}
}

func TestLocaleNumbersAndDates(t *testing.T) {
	en, ko := NewLocale("en"), NewLocale("ko")
	for _, c := range [][2]string{
		{en.Count(1234567), "1,234,567"}, {ko.Count(1234567), "1,234,567"},
		{en.Signed(-3.14, 1), "−3.1"}, {en.Signed(0.01, 1), "±0.0"}, {en.Signed(2, 2), "+2.00"},
		{en.Date("2026-11-16"), "Mon 16 Nov 2026"}, {ko.Date("2026-11-16"), "2026년 11월 16일 (월)"},
		{ko.ShortDate("2026-11-16"), "11월 16일"}, {en.Pct(41.25), "41.2%"},
		{en.WeekDay("2026-11-16"), "Mon 16 Nov"}, {ko.WeekDay("2026-11-16"), "11월 16일 (월)"},
		{en.Time("2026-11-25T10:00:00Z", "Asia/Seoul"), "Wed 25 Nov 2026, 19:00 KST"},
		{ko.Time("2026-11-25T10:00:00Z", "Asia/Seoul"), "2026년 11월 25일 (수) 19:00 KST"},
		{en.Time("2026-11-25T10:00:00+09:00", "UTC"), "Wed 25 Nov 2026, 01:00 UTC"}, {en.Time("soon", "UTC"), "soon"},
	} {
		if c[0] != c[1] {
			t.Errorf("got %q, want %q", c[0], c[1])
		}
	}
}
