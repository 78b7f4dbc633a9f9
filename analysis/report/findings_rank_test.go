package report

import (
	"math"
	"strings"
	"testing"
)

// A brand's SOV and its mentions on one network are one fact: the ranker
// keeps the stronger and lets the other kind through on another network.
func TestFindingsOneVolumeFactPerNetwork(t *testing.T) {
	r := findingsFixture()
	g := &r.Voice.Networks[1].Brands[0]
	g.MentionsChange = fp(355) // 9 → 41: |ln(42/10)| = 1.4351 × 50/70 = 1.0251 beats the SOV's 0.4301
	got := Findings(r)
	var kinds []string
	for _, f := range got {
		if f.Brand == "Globex" && f.Network == "reddit" && (f.Kind == FindingSOV || f.Kind == FindingMentions) {
			kinds = append(kinds, f.Kind)
			if f.Kind != FindingMentions || math.Abs(f.Score-1.0251) > 0.0001 {
				t.Errorf("kept %s %.4f, want mentions 1.0251", f.Kind, f.Score)
			}
		}
	}
	if len(kinds) != 1 {
		t.Fatalf("Globex on Reddit told %d times (%v), want once: %+v", len(kinds), kinds, got)
	}
	// The same brand's SOV on another network is another fact.
	r.Voice.Networks = append(r.Voice.Networks, NetworkVoices{Network: "x", Mentions: 40, Brands: []BrandFigures{
		{Brand: "Globex", Mentions: 30, MentionsPrev: 10, SOV: 75, SOVPrev: fp(25), SOVChange: fp(50)}}})
	n := 0
	for _, f := range Findings(r) {
		if f.Brand == "Globex" && (f.Kind == FindingSOV || f.Kind == FindingMentions) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("Globex volume findings = %d, want 2 (mentions on Reddit, SOV on X)", n)
	}
}

// A net-sentiment change against a previous period that was not fully
// collected is not a finding (the report calls such changes "new").
func TestFindingsNetNeedsCollectedPrevious(t *testing.T) {
	r := findingsFixture()
	b := &r.Voice.Networks[0].Brands[1] // Initech, all networks
	b.Positive, b.Negative, b.MentionsPrev = 4, 16, 12
	has := func() bool {
		for _, f := range Findings(r) {
			if f.Kind == FindingNet && f.Brand == "Initech" {
				// |−0.5 − 0.1| = 0.6 × 20/40 = 0.3
				if math.Abs(f.Score-0.3) > 0.0001 {
					t.Errorf("net score %.4f, want 0.3", f.Score)
				}
				return true
			}
		}
		return false
	}
	if !has() {
		t.Fatal("a net change on 20 labelled mentions over a collected week is a finding")
	}
	r.Voice.Networks[0].PrevPartial = true
	if has() {
		t.Error("a net change against a partly collected week is a finding")
	}
}

func TestFewFindingsSaysWhy(t *testing.T) {
	r := findingsFixture()
	r.Voice.Networks = append(r.Voice.Networks, NetworkVoices{Network: "rss", PrevPartial: true})
	r.Voice.Networks[0].PrevPartial = true // "all" is partial whenever one network is: not named
	en, ko := NewLocale("en"), NewLocale("ko")
	if s := FewFindings(r, MinFindings, en); s != "" {
		t.Errorf("%d findings: %q, want none", MinFindings, s)
	}
	got := FewFindings(r, 2, en)
	want := "Only 2 findings this week: nothing else moved enough on 10 or more mentions to call. Changes are not compared on News & blogs (RSS): the previous week there was not fully collected, so its changes read “prev. partly collected”."
	if got != want {
		t.Errorf("en:\n got %q\nwant %q", got, want)
	}
	// Another period than a week says "this period" (the report page).
	r.Meta.Period = "month"
	if got := FewFindings(r, 0, en); got != "Nothing moved enough on 10 or more mentions to call this period. Changes are not compared on News & blogs (RSS): the previous period there was not fully collected, so its changes read “prev. partly collected”." {
		t.Errorf("month: %q", got)
	}
	if got := FewFindings(r, 1, ko); !strings.HasPrefix(got, "이번 기간 발견은 1건뿐입니다") {
		t.Errorf("ko month: %q", got)
	}
	r.Meta.Period = "week"
	if got := FewFindings(r, 0, ko); !strings.HasPrefix(got, "이번 주에는") || !strings.Contains(got, "뉴스·블로그 (RSS)에서는") {
		t.Errorf("ko: %q", got)
	}
	r.Voice.Networks = r.Voice.Networks[:2]
	if got := FewFindings(r, 1, en); got != "Only 1 finding this week: nothing else moved enough on 10 or more mentions to call." {
		t.Errorf("no partial network: %q", got)
	}
}
