package report

import (
	"strings"
	"testing"
)

// Emerging phrases: English noun phrases and Korean noun sequences rise
// against a baseline that talks about other things.
func TestEmergingPhrases(t *testing.T) {
	f := &fix{}
	for d := -28; d < 0; d++ {
		f.add("reddit", d, 8, "neutral", 0, "Acme").Text = "Acme charging cable review, nice charging cable"
		f.add("naver", d, 9, "neutral", 0, "Acme").Text = "아크미 충전 케이블 후기 좋네요"
	}
	for i := 0; i < 6; i++ {
		f.add("reddit", 2, float64(i), "negative", 0, "Acme").Text = "Acme battery recall: my charging cable melted"
		f.add("naver", 2, float64(i), "negative", 0, "Acme").Text = "아크미 보조배터리 발열 심해요"
	}
	s := fixtureStore(t, f.ms)
	r := buildT(t, s, Request{Config: fixtureCfg(t, ""), End: winEnd, Now: fixNow})
	var acme BrandTerms
	for _, b := range r.Emerging.Brands {
		if b.Brand == "Acme" {
			acme = b
		}
	}
	got := map[string]Emerging{}
	for _, p := range acme.Phrases {
		got[p.Term] = p
	}
	// Sample: 400 ÷ (3 × 3 brands) = 44 window and 88 baseline mentions
	// at most: all 12 and all 56 here.
	if acme.PhraseSample != "12 of 12 window mentions, 56 of 56 baseline mentions" {
		t.Errorf("sample = %q", acme.PhraseSample)
	}
	for _, want := range []string{"battery recall", "보조배터리 발열"} {
		p, ok := got[want]
		if !ok {
			t.Errorf("phrase %q missing: %+v", want, acme.Phrases)
			continue
		}
		// Phrase uses (phrases with the brand's own word "acme" left out;
		// 아크미 is not one of the fixture's terms): window 6 × (battery
		// recall, charging cable) + 6 × (아크미 보조배터리, 보조배터리 발열,
		// 아크미 보조배터리 발열) = 30; baseline 28 × (charging cable, cable
		// review, charging cable review, nice charging cable) + 28 × (아크미
		// 충전, 충전 케이블, 케이블 후기, 아크미 충전 케이블, 충전 케이블
		// 후기) = 252; a = 6, b = 0.
		n1, n2 := 30.0, 252.0
		g := round(g2(6, 0, n1, n2), 3)
		if p.Count != 6 || p.Baseline != 0 || p.G2 != g || p.Lift != round((6/n1)/(1/n2), 3) || !strings.Contains(p.Search, "q=%22") {
			t.Errorf("%s = %+v, want G² %v", want, p, g)
		}
	}
	if _, ok := got["charging cable"]; ok {
		t.Errorf("charging cable is as frequent as before: %+v", got["charging cable"])
	}
}
