package digest

import (
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// A young install: the weeks before its first mention are no data, not
// zero shares. The sparklines cover the weeks with data and say so; one
// week is no trend at all.
func TestSparklineOnAYoungInstall(t *testing.T) {
	seoul := mustLoc(t, "Asia/Seoul")
	// The report's weekly shares (Trend.WeeklySOV) for these volumes, from
	// the first week with a mention.
	view := func(vols map[string][]int64, lang string) *View {
		r := fixtureReport(nil)
		totals := make([]int64, 4)
		for _, v := range vols {
			for i, n := range v {
				totals[i] += n
			}
		}
		first := slices.IndexFunc(totals, func(n int64) bool { return n > 0 })
		r.Trend.ShareWeeks = 4 - first
		for i := range r.Trend.Brands {
			b := &r.Trend.Brands[i]
			b.WeeklyVolume, b.WeeklySOV = vols[b.Brand], make([]*float64, 4)
			for k := first; k < 4; k++ {
				b.WeeklySOV[k] = fp(float64(b.WeeklyVolume[k]) / float64(totals[k]) * 100)
			}
		}
		return BuildView(ViewInput{Report: r, Week: Week{2026, 47}, Recipient: config.Recipient{Email: "a@b.c", Lang: lang}, Loc: seoul})
	}
	// 4 weeks, the first two before collection: shares over weeks 3 and 4,
	// Acme 100 ÷ 200 = 50% then 430 ÷ 1240 = 34.7%.
	v := view(map[string][]int64{"Acme": {0, 0, 100, 430}, "Globex": {0, 0, 60, 610}, "Initech": {0, 0, 40, 200}}, "en")
	if v.TrendNote != "trend over the 2 weeks with data" {
		t.Errorf("trend note %q", v.TrendNote)
	}
	if got := []rune(v.Voice[0].SparkText); len(got) != 2 || v.Voice[0].Spark == "" {
		t.Errorf("Acme sparkline %q (%q): want 2 points", v.Voice[0].SparkText, v.Voice[0].Spark)
	}
	if !strings.Contains(v.Voice[0].SparkAlt, "2 weeks: 50.0% to 34.7%") {
		t.Errorf("alt %q", v.Voice[0].SparkAlt)
	}
	// Every week has data: the full trend.
	full := view(map[string][]int64{"Acme": {1, 0, 100, 430}, "Globex": {0, 0, 60, 610}, "Initech": {0, 0, 40, 200}}, "en")
	if full.TrendNote != "4-week trend" || len([]rune(full.Voice[0].SparkText)) != 4 {
		t.Errorf("full: %q %q", full.TrendNote, full.Voice[0].SparkText)
	}
	// One week of data: no chart, and the Korean body says why.
	one := view(map[string][]int64{"Acme": {0, 0, 0, 430}, "Globex": {0, 0, 0, 610}, "Initech": {0, 0, 0, 200}}, "ko")
	if one.TrendNote != "데이터 1주, 아직 추이 없음" || one.Voice[0].Spark != "" || one.Voice[0].SparkText != "" || len(one.Images) != 0 {
		t.Errorf("one week: %q, spark %q %q, %d images", one.TrendNote, one.Voice[0].Spark, one.Voice[0].SparkText, len(one.Images))
	}
	r, err := Render(one, config.DefaultDigestSubject)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "데이터 1주, 아직 추이 없음") || !strings.Contains(r.HTML, "데이터 1주, 아직 추이 없음") {
		t.Error("the one-week note is not in the body")
	}
	// The default subject follows the recipient's language; a written one
	// is kept as written.
	if r.Subject != "Acme 주간 다이제스트 2026-W47 (2026-11-16 – 2026-11-22)" {
		t.Errorf("Korean default subject %q", r.Subject)
	}
	if r, _ := Render(one, "{{.Brand}} weekly {{.Week}}"); r.Subject != "Acme weekly 2026-W47" {
		t.Errorf("written subject %q", r.Subject)
	}
}

// Against a previous week not collected on every network, net sentiment
// changes read "prev. partly collected", like share of voice ("new" would
// read as "nothing before").
func TestNetChangeNewWhenPreviousWeekPartial(t *testing.T) {
	r := fixtureReport(nil)
	r.Voice.Networks[0].PrevPartial = true
	v := BuildView(ViewInput{Report: r, Week: Week{2026, 47}, Recipient: config.Recipient{Email: "a@b.c"}, Loc: mustLoc(t, "Asia/Seoul")})
	if v.Voice[0].NetChange != "prev. partly collected" || v.Voice[2].NetChange != unknown || v.Sentiment != unknown {
		t.Errorf("net changes %q %q, own %q: want prev. partly collected, %s (no net sentiment), %s", v.Voice[0].NetChange, v.Voice[2].NetChange, v.Sentiment, unknown, unknown)
	}
	r.Voice.Networks[0].PrevPartial = false
	v = BuildView(ViewInput{Report: r, Week: Week{2026, 47}, Recipient: config.Recipient{Email: "a@b.c"}, Loc: mustLoc(t, "Asia/Seoul")})
	if v.Voice[0].NetChange != "−0.12" {
		t.Errorf("collected: %q", v.Voice[0].NetChange)
	}
}

// Fewer than report.MinFindings findings come with the reason, in the
// recipient's language.
func TestFewFindingsStated(t *testing.T) {
	r := fixtureReport(nil)
	r.Spikes.Spikes, r.Gap.WhiteSpace = nil, nil
	for i := range r.Voice.Networks {
		for j := range r.Voice.Networks[i].Brands {
			b := &r.Voice.Networks[i].Brands[j]
			b.MentionsChange, b.SOVChange = nil, nil
		}
	}
	for lang, want := range map[string]string{"en": "Nothing moved enough", "ko": "이번 주에는"} {
		v := BuildView(ViewInput{Report: r, Week: Week{2026, 47}, Recipient: config.Recipient{Email: "a@b.c", Lang: lang}, Loc: mustLoc(t, "Asia/Seoul")})
		if len(v.Findings) != 0 || !strings.HasPrefix(v.FewFindings, want) || !strings.Contains(v.FewFindings, report.NewLocale(lang).Network("naver")) {
			t.Errorf("%s: %d findings, %q", lang, len(v.Findings), v.FewFindings)
		}
		out, err := Render(v, config.DefaultDigestSubject)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.Text, v.FewFindings) || strings.Contains(out.Text, t2(lang, "no findings")) {
			t.Errorf("%s: the text part lacks the reason or repeats %q", lang, t2(lang, "no findings"))
		}
	}
}

func t2(lang, key string) string { return t(report.NewLocale(lang), key) }

// The weeks before the demo week hold Hacker News alone: the sparklines
// are shares over the networks collected in every plotted week (the
// report's Trend.ShareNetworks), and the note and alt text name them.
// Hand-computed: Acme on Hacker News 25% then 50% then 75%.
func TestSparklineNamesItsNetworks(t *testing.T) {
	for lang, want := range map[string][2]string{
		"en": {"trend on Hacker News, the network collected in all 3 weeks", "Acme share of voice on Hacker News, last 3 weeks: 25.0% to 75.0%"},
		"ko": {"추이는 3주 내내 수집된 네트워크인 해커뉴스 기준", "Acme 점유율(해커뉴스 기준), 최근 3주: 25.0%에서 75.0%"},
	} {
		r := fixtureReport(nil)
		r.Meta.Networks = []string{"hackernews", "naver"}
		r.Trend.ShareNetworks, r.Trend.ShareWeeks = []string{"hackernews"}, 3
		for i, s := range [][]*float64{{nil, fp(25), fp(50), fp(75)}, {nil, fp(75), fp(50), fp(25)}, {nil, fp(0), fp(0), fp(0)}} {
			r.Trend.Brands[i].WeeklySOV = s
		}
		v := BuildView(ViewInput{Report: r, Week: Week{2026, 47}, Recipient: config.Recipient{Email: "a@b.c", Lang: lang}, Loc: mustLoc(t, "Asia/Seoul")})
		if v.TrendNote != want[0] {
			t.Errorf("%s: trend note %q, want %q", lang, v.TrendNote, want[0])
		}
		if v.Voice[0].SparkAlt != want[1] || []rune(v.Voice[0].SparkText)[0] != '▃' {
			t.Errorf("%s: alt %q, text %q; want %q", lang, v.Voice[0].SparkAlt, v.Voice[0].SparkText, want[1])
		}
		// Two networks in common: named with their count.
		r.Trend.ShareNetworks = []string{"hackernews", "naver"}
		r.Meta.Networks = []string{"hackernews", "naver", "x"}
		v = BuildView(ViewInput{Report: r, Week: Week{2026, 47}, Recipient: config.Recipient{Email: "a@b.c"}, Loc: mustLoc(t, "Asia/Seoul")})
		if v.TrendNote != "trend on Hacker News, Naver, the 2 networks collected in all 3 weeks" {
			t.Errorf("two networks: %q", v.TrendNote)
		}
	}
}
