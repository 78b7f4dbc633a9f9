package report

import (
	"fmt"
	"maps"
	"time"
)

// layoutText are the few words only the page's layout needs (axis titles,
// the notes disclosure), per language; pageText holds every other word.
// TestLayoutTextComplete holds both languages to the same keys and keeps
// them apart from pageText's.
var layoutText = map[string]map[string]string{
	"en": {"axis_week": "week starting", "notes": "What this report does not know (%d notes)", "csv": "Download as CSV",
		"stale":   "Figures as of %s (%d s ago); data this report reads changed since and is being added — reload in a few seconds.",
		"refresh": "Refresh now"},
	"ko": {"axis_week": "주 시작일", "notes": "이 리포트가 모르는 것 (참고 %d건)", "csv": "CSV로 내려받기",
		"stale":   "%s 기준 수치입니다 (%d초 전). 그 뒤 이 리포트가 읽는 데이터가 바뀌어 반영하는 중입니다 — 잠시 후 새로고침하세요.",
		"refresh": "지금 새로 계산"},
}

// staleLine is the page's line for a report served stale (Meta.Stale):
// when its figures are from, in the report's zone, and how long ago; ""
// for an exact report.
func staleLine(m Meta, w map[string]string) string {
	if !m.Stale || m.StaleAge == nil {
		return ""
	}
	at := m.Generated
	if t, err := time.Parse(time.RFC3339, m.Generated); err == nil {
		at = t.Format("15:04:05")
	}
	return fmt.Sprintf(w["stale"], at, *m.StaleAge)
}

// layoutWords is pageWords(lang) plus layoutText's words in lang
// (English for any other language).
func layoutWords(lang string) map[string]string {
	w := maps.Clone(pageWords(lang))
	l, ok := layoutText[lang]
	if !ok {
		l = layoutText["en"]
	}
	maps.Copy(w, l)
	return w
}
