package report

import (
	"math"
	"strings"
	"testing"
)

func i64p(v int64) *int64 { return &v }

// evidenceFixture is findingsFixture with Globex's three most engaged
// Reddit posts (30, 20 and 10 interactions) and its interactions there.
func evidenceFixture(interactions *int64) *Report {
	r := findingsFixture()
	r.Voice.Networks[1].Brands[0].Interactions = interactions
	r.Drivers = []Drivers{{Network: "reddit", Brand: "Globex", Posts: []TopMention{
		{Title: "Globex cuts prices", URL: "https://reddit.example/a", Engagement: 30},
		{Excerpt: "price cut thread", URL: "https://reddit.example/b", Engagement: 20},
		{Excerpt: "another", URL: "https://reddit.example/c", Engagement: 10}}}}
	return r
}

func findKind(fs []Finding, kind, brand string) *Finding {
	for i := range fs {
		if fs[i].Kind == kind && fs[i].Brand == brand {
			return &fs[i]
		}
	}
	return nil
}

// Hand-computed: the fewest of the top posts whose interactions reach half
// of the brand's interactions on the network, else all of them.
func TestFindingEvidenceDroveIt(t *testing.T) {
	en, ko := NewLocale("en"), NewLocale("ko")
	const head = "Globex's share of voice on Reddit rose from 22.0% to 41.0% (50 mentions over both weeks). Most engaged post: “Globex cuts prices”."
	for _, c := range []struct {
		interactions *int64
		drove        int
		share        float64 // −1: none
		en, ko       string
	}{
		// 30 < 40, 30 + 20 = 50 ≥ 40: 2 posts, 50 ÷ 80 = 62.5%
		{i64p(80), 2, 62.5, head + " 2 posts drew 62.5% of its interactions there.",
			"레딧에서 Globex의 점유율이 22.0%에서 41.0%로 올랐습니다 (두 주 언급 50건). 가장 반응이 많은 글: “Globex cuts prices”. 그곳 반응의 62.5%는 글 2건에서 나왔습니다."},
		// 30 ≥ 30 ÷ 2: the first alone, 100%
		{i64p(30), 1, 100, head + " 1 post drew 100.0% of its interactions there.", ""},
		// 60 < 100 ÷ 2: all three, 60 ÷ 200 = 30%
		{i64p(200), 3, 30, head + " 3 posts drew 30.0% of its interactions there.", ""},
		// no interaction counts: no share claimed, and the first is the newest
		{nil, 0, -1, strings.Replace(head, "Most engaged post", "Newest post", 1),
			"레딧에서 Globex의 점유율이 22.0%에서 41.0%로 올랐습니다 (두 주 언급 50건). 가장 최근 글: “Globex cuts prices”."},
	} {
		f := findKind(Findings(evidenceFixture(c.interactions)), FindingSOV, "Globex")
		if f == nil || f.Evidence == nil {
			t.Fatalf("interactions %v: no SOV finding with evidence", c.interactions)
		}
		e := f.Evidence
		if e.Drove != c.drove || (c.share < 0) != (e.Share == nil) || e.Share != nil && math.Abs(*e.Share-c.share) > 1e-9 {
			t.Errorf("interactions %v: drove %d share %v, want %d %.1f", c.interactions, e.Drove, e.Share, c.drove, c.share)
		}
		if got := f.Sentence(en); got != c.en {
			t.Errorf("en:\n got %q\nwant %q", got, c.en)
		}
		if got := f.Sentence(ko); c.ko != "" && got != c.ko {
			t.Errorf("ko:\n got %q\nwant %q", got, c.ko)
		}
		if f.PostURL() != "https://reddit.example/a" {
			t.Errorf("post link %q", f.PostURL())
		}
	}
	// A brand without drivers on the network has no evidence (and no post link).
	r := evidenceFixture(i64p(80))
	r.Drivers[0].Network = "x"
	if f := findKind(Findings(r), FindingSOV, "Globex"); f == nil || f.Evidence != nil || f.PostURL() != "" {
		t.Errorf("evidence from another network: %+v", f)
	}
}

// complaintsFixture: Acme on X, 40 mentions (30 before), 12 negative (5
// before).
func complaintsFixture() *Report {
	r := findingsFixture()
	r.Voice.Networks = append(r.Voice.Networks, NetworkVoices{Network: "x", Mentions: 60, Brands: []BrandFigures{
		{Brand: "Acme", Mentions: 40, MentionsPrev: 30, Negative: 12, NegativePrev: 5}}})
	return r
}

func TestFindingComplaints(t *testing.T) {
	f := findKind(Findings(complaintsFixture()), FindingComplaints, "Acme")
	// |ln(13 ÷ 6)| = 0.7732 × 17 ÷ 37 = 0.3552
	if f == nil || f.Network != "x" || f.N != 17 || math.Abs(f.Score-0.3552) > 0.0001 {
		t.Fatalf("complaints finding = %+v, want Acme on X, n 17, score 0.3552", f)
	}
	if !strings.Contains(f.Link, "sentiment=negative") || !strings.Contains(f.Link, "network=x") || strings.Contains(f.Link, "positive") {
		t.Errorf("link %q does not open the negative mentions on X", f.Link)
	}
	for l, want := range map[string]string{
		"en": "Complaints about Acme on X rose from 5 to 12 negative mentions.",
		"ko": "X에서 Acme에 대한 불만(부정 언급)이 5건에서 12건으로 올랐습니다.",
	} {
		if got := f.Sentence(NewLocale(l)); got != want {
			t.Errorf("%s:\n got %q\nwant %q", l, got, want)
		}
	}
	// Under the sample (3 + 4 negative), with fewer than 10 mentions in a
	// period, or against a partly collected week: no finding.
	for name, mod := range map[string]func(r *Report){
		"7 negative":       func(r *Report) { b := &r.Voice.Networks[2].Brands[0]; b.Negative, b.NegativePrev = 3, 4 },
		"9 mentions prev":  func(r *Report) { r.Voice.Networks[2].Brands[0].MentionsPrev = 9 },
		"9 mentions":       func(r *Report) { r.Voice.Networks[2].Brands[0].Mentions = 9 },
		"partial previous": func(r *Report) { r.Voice.Networks[2].PrevPartial = true },
	} {
		r := complaintsFixture()
		mod(r)
		if f := findKind(Findings(r), FindingComplaints, "Acme"); f != nil {
			t.Errorf("%s: a complaints finding %+v", name, f)
		}
	}
}

// careFixture: on all networks Acme answers in a median 6 h (8 answered,
// 20%), Globex in 1 h (6, 40%), Initech in 3 h (10); on Reddit 3 + 3
// answered (under the sample).
func careFixture() *Report {
	r := findingsFixture()
	r.Care.Rows = []CareRow{
		{Network: "all", Brand: "Acme", Answered: 8, ResponseRate: fp(20), MedianHours: fp(6)},
		{Network: "all", Brand: "Globex", Answered: 6, ResponseRate: fp(40), MedianHours: fp(1)},
		{Network: "all", Brand: "Initech", Answered: 10, ResponseRate: fp(10), MedianHours: fp(3)},
		{Network: "reddit", Brand: "Acme", Answered: 3, ResponseRate: fp(30), MedianHours: fp(20)},
		{Network: "reddit", Brand: "Globex", Answered: 3, ResponseRate: fp(30), MedianHours: fp(0.5)},
	}
	return r
}

func TestFindingCustomerCare(t *testing.T) {
	f := findKind(Findings(careFixture()), FindingCare, "Acme")
	// fastest competitor Globex: |ln(7 ÷ 2)| = 1.2528 × 14 ÷ 34 = 0.5158
	if f == nil || f.Network != "all" || f.Rival != "Globex" || f.N != 14 || math.Abs(f.Score-0.5158) > 0.0001 {
		t.Fatalf("care finding = %+v, want Acme vs Globex on all networks, n 14, score 0.5158", f)
	}
	for l, want := range map[string]string{
		"en": "Acme's median reply time on all networks is 6.0 h; the fastest competitor, Globex, replies in 1.0 h (response rate 20.0% vs 40.0%; 14 answered mentions).",
		"ko": "전체 네트워크에서 Acme의 응답 시간 중앙값은 6.0시간, 가장 빠른 경쟁사 Globex은(는) 1.0시간입니다 (응답률 20.0% 대 40.0%, 응답한 언급 14건).",
	} {
		if got := f.Sentence(NewLocale(l)); got != want {
			t.Errorf("%s:\n got %q\nwant %q", l, got, want)
		}
	}
	if !strings.Contains(f.Link, "brand=Acme") || !strings.Contains(f.Link, "kind=mention") {
		t.Errorf("link %q", f.Link)
	}
	// Under 10 answered over both brands: no finding.
	r := careFixture()
	r.Care.Rows[0].Answered = 3
	if f := findKind(Findings(r), FindingCare, "Acme"); f != nil {
		t.Errorf("care finding on 9 answered mentions: %+v", f)
	}
}
