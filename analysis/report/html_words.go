package report

import "maps"

// layoutText are the few words only the page's layout needs (axis titles,
// the notes disclosure), per language; pageText holds every other word.
// TestLayoutTextComplete holds both languages to the same keys and keeps
// them apart from pageText's.
var layoutText = map[string]map[string]string{
	"en": {"axis_week": "week starting", "notes": "What this report does not know (%d notes)", "csv": "Download as CSV"},
	"ko": {"axis_week": "주 시작일", "notes": "이 리포트가 모르는 것 (참고 %d건)", "csv": "CSV로 내려받기"},
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
