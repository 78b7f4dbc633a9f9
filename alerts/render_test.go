package alerts

import (
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/alerts/notify"
)

// Both languages render every field of a spike and a negative surge, with
// no formatting error.
func TestRenderLanguages(t *testing.T) {
	from := t0.Add(-time.Hour)
	a := notify.Alert{Rule: "volume", Kind: "negative_surge", State: notify.StateFiring, Brand: "Acme", Network: "x", At: t0,
		From: &from, To: &t0, Count: ptr(int64(15)), Mean: ptr(5.0), StdDev: ptr(0.8165), Threshold: ptr(14.7082), Weeks: 4,
		Share: ptr(0.6), BaseShare: ptr(0.25), Held: 2,
		Posts: []notify.Post{{ID: "x:1", Title: "Acme battery", Excerpt: "swelling", Interactions: 7, URL: "https://x.example/1"}},
		Terms: []notify.Term{{Term: "swelling", Count: 9}}, Search: "https://e.example/?q", Report: "https://e.example/report"}
	rs := &ruleSet{loc: time.UTC}
	for lang, wants := range map[string][]string{
		"en": {"Complaint surge: Acme on x — 15 negative mentions in 1h (usual 5.0)", "15 in 2026-11-30 14:30 – 15:30 against 5.0 on average (σ 0.8) in the same hours of the last 4 weeks; threshold 14.7.",
			"Negative share 60% (baseline 25%).", "2 similar alerts", "- Acme battery: swelling (—, 7 interactions) https://x.example/1", "Rising words: swelling (9)", "Search: https://e.example/?q"},
		"ko": {"부정 급증: Acme (x) — 1시간 동안 부정 언급 15건 (평소 5.0건)", "15건 (2026-11-30 14:30 – 15:30), 최근 4주 같은 시간대 평균 5.0건 (σ 0.8); 기준 14.7건.",
			"부정 비율 60% (평소 25%).", "쿨다운으로 보류된 비슷한 알림 2건", "반응 7", "떠오르는 단어: swelling (9)", "보고서: https://e.example/report"},
	} {
		subject, text := describe(rs, lang, &a)
		all := subject + "\n" + text
		if strings.Contains(all, "%!") {
			t.Errorf("%s: formatting error:\n%s", lang, all)
		}
		for _, w := range wants {
			if !strings.Contains(all, w) {
				t.Errorf("%s: lacks %q in\n%s", lang, w, all)
			}
		}
	}
}
