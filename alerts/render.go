package alerts

import (
	"fmt"
	"strings"
	"time"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/query"
)

// phrases are the message texts per language; en is the fallback. %s and
// %d are filled in the order shown.
var phrases = map[string]map[string]string{
	"en": {
		config.AlertSpike:         "Spike: %s%s — %d mentions in %s (usual %.1f)",
		config.AlertNegativeSurge: "Complaint surge: %s%s — %d negative mentions in %s (usual %.1f)",
		config.AlertQuery:         "Watched phrase (%s)%s: %s",
		"competitor_owned":        "Competitor post: %s%s: %s",
		"competitor_spike":        "Competitor spike: %s%s — %d mentions in %s (usual %.1f)",
		config.AlertSource:        "Source problem: %s — %s",
		"ended":                   "Ended: ",
		"on":                      " on %s",
		"rollup":                  "%d alerts held during quiet hours",
		"rule":                    "Rule: %s (%s)",
		"numbers":                 "%d in %s – %s against %.1f on average (σ %.1f) in the same hours of the last %d weeks; threshold %.1f.",
		"share":                   "Negative share %.0f%% (baseline %.0f%%).",
		"held":                    "%d similar alerts were held back by the cooldown since the last one.",
		"posts":                   "Top posts:",
		"post":                    "- %s (%s, %d interactions) %s",
		"terms":                   "Rising words: %s",
		"search":                  "Search",
		"report":                  "Report",
		"sources":                 "Sources",
		"unknown":                 "—",
	},
	"ko": {
		config.AlertSpike:         "급증: %s%s — %s 동안 언급 %d건 (평소 %.1f건)",
		config.AlertNegativeSurge: "부정 급증: %s%s — %s 동안 부정 언급 %d건 (평소 %.1f건)",
		config.AlertQuery:         "주시 문구 (%s)%s: %s",
		"competitor_owned":        "경쟁사 게시물: %s%s: %s",
		"competitor_spike":        "경쟁사 급증: %s%s — %s 동안 언급 %d건 (평소 %.1f건)",
		config.AlertSource:        "수집 문제: %s — %s",
		"ended":                   "종료: ",
		"on":                      " (%s)",
		"rollup":                  "방해 금지 시간 동안 보류된 알림 %d건",
		"rule":                    "규칙: %s (%s)",
		"numbers":                 "%[1]d건 (%[2]s – %[3]s), 최근 %[6]d주 같은 시간대 평균 %.1[4]f건 (σ %.1[5]f); 기준 %.1[7]f건.",
		"share":                   "부정 비율 %.0f%% (평소 %.0f%%).",
		"held":                    "직전 알림 이후 쿨다운으로 보류된 비슷한 알림 %d건.",
		"posts":                   "주요 게시물:",
		"post":                    "- %s (%s, 반응 %d) %s",
		"terms":                   "떠오르는 단어: %s",
		"search":                  "검색",
		"report":                  "보고서",
		"sources":                 "수집원",
		"unknown":                 "—",
	},
}

func phrase(lang, key string) string {
	if p, ok := phrases[lang][key]; ok {
		return p
	}
	return phrases["en"][key]
}

// render builds the message of one job for ch, in ch's language.
func render(rs *ruleSet, ch *channel, recs []*Record, j job) *notify.Message {
	lang := ch.Lang
	m := &notify.Message{Key: j.Key, Lang: lang, Rollup: len(recs) > 1}
	var body []string
	for _, rec := range recs {
		m.Alerts = append(m.Alerts, rec.Alert)
		subject, text := describe(rs, lang, &rec.Alert)
		if len(recs) == 1 {
			m.Subject = subject
		} else {
			body = append(body, "■ "+subject)
		}
		body = append(body, text)
		a := &rec.Alert
		if a.Search != "" {
			label := phrase(lang, "search")
			if a.Kind == config.AlertSource {
				label = phrase(lang, "sources")
			}
			m.Links = append(m.Links, notify.Link{Label: label, URL: a.Search})
		}
		if a.Report != "" {
			m.Links = append(m.Links, notify.Link{Label: phrase(lang, "report"), URL: a.Report})
		}
	}
	if len(recs) > 1 {
		m.Subject = fmt.Sprintf(phrase(lang, "rollup"), len(recs))
	}
	m.Text = strings.Join(body, "\n\n")
	return m
}

// describe is one alert's subject line and body.
func describe(rs *ruleSet, lang string, a *notify.Alert) (subject, text string) {
	on := ""
	if a.Network != "" {
		on = fmt.Sprintf(phrase(lang, "on"), a.Network)
	}
	brand := query.Display(a.Brand)
	win := ""
	if a.From != nil && a.To != nil {
		win = span(a.To.Sub(*a.From), lang)
	}
	var count int64
	var mean float64
	if a.Count != nil && a.Mean != nil {
		count, mean = *a.Count, *a.Mean
	}
	first := ""
	if len(a.Posts) > 0 {
		p := a.Posts[0]
		first = query.Display(firstOf(p.Title, p.Excerpt, p.ID))
	}
	kind := a.Kind
	if r := rs.rule(a.Rule); kind == config.AlertCompetitor && r != nil {
		kind = "competitor_" + r.Trigger
	} else if kind == config.AlertCompetitor {
		kind = "competitor_owned"
		if a.Count != nil {
			kind = "competitor_spike"
		}
	}
	switch kind {
	case config.AlertSpike, config.AlertNegativeSurge, "competitor_spike":
		if lang == "ko" {
			subject = fmt.Sprintf(phrase(lang, kind), brand, on, win, count, mean)
		} else {
			subject = fmt.Sprintf(phrase(lang, kind), brand, on, count, win, mean)
		}
	case config.AlertQuery:
		subject = fmt.Sprintf(phrase(lang, kind), query.Display(a.Rule), on, first)
	case "competitor_owned":
		subject = fmt.Sprintf(phrase(lang, kind), brand, on, first)
	case config.AlertSource:
		subject = fmt.Sprintf(phrase(lang, kind), query.Display(a.Source), query.Display(a.Problem))
	}
	if a.State == notify.StateEnded {
		subject = phrase(lang, "ended") + subject
	}
	subject = cut(subject, 200)
	lines := []string{fmt.Sprintf(phrase(lang, "rule"), query.Display(a.Rule), a.Kind)}
	if a.Count != nil && a.From != nil && a.Mean != nil && a.StdDev != nil && a.Threshold != nil {
		lines = append(lines, fmt.Sprintf(phrase(lang, "numbers"), *a.Count, a.From.In(rs.loc).Format("2006-01-02 15:04"),
			a.To.In(rs.loc).Format("15:04"), *a.Mean, *a.StdDev, a.Weeks, *a.Threshold))
	}
	if a.Share != nil && a.BaseShare != nil {
		lines = append(lines, fmt.Sprintf(phrase(lang, "share"), *a.Share*100, *a.BaseShare*100))
	}
	if a.Held > 0 {
		lines = append(lines, fmt.Sprintf(phrase(lang, "held"), a.Held))
	}
	if len(a.Posts) > 0 {
		lines = append(lines, phrase(lang, "posts"))
		for _, p := range a.Posts {
			author := p.Author
			if author == "" {
				author = phrase(lang, "unknown")
			}
			what := firstOf(p.Title, p.Excerpt, p.ID)
			if p.Title != "" && p.Excerpt != "" {
				what += ": " + firstOf(p.Excerpt)
			}
			lines = append(lines, fmt.Sprintf(phrase(lang, "post"), cut(query.Display(what), 160),
				query.Display(author), p.Interactions, p.URL))
		}
	}
	if len(a.Terms) > 0 {
		var ts []string
		for _, t := range a.Terms {
			ts = append(ts, fmt.Sprintf("%s (%d)", query.Display(t.Term), t.Count))
		}
		lines = append(lines, fmt.Sprintf(phrase(lang, "terms"), strings.Join(ts, ", ")))
	}
	if a.Search != "" {
		lines = append(lines, phrase(lang, "search")+": "+a.Search)
	}
	if a.Report != "" {
		lines = append(lines, phrase(lang, "report")+": "+a.Report)
	}
	return subject, strings.Join(lines, "\n")
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return ""
}

// span writes a window length: "1h", "90m" / "1시간", "90분".
func span(d time.Duration, lang string) string {
	h, m := "h", "m"
	if lang == "ko" {
		h, m = "시간", "분"
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d%s", d/time.Hour, h)
	}
	return fmt.Sprintf("%d%s", d/time.Minute, m)
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
