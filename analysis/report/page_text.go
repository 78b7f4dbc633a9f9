package report

import (
	"fmt"
	"strings"
)

// pageText are the report page's words, one table per language (the
// digest's digest/phrases.go has the same shape). Two kinds of key: the
// template's own words (identifier keys, {{.Words.key}}) and the tables'
// titles and column headings, keyed by the English text tables.go writes
// (the page translates them last, after links and anchors are set on the
// English names). Both tables have every key (TestPageTextComplete) and
// every title and heading a report lays out is a key
// (TestPageTextCoversTables). The findings' sentences are Locale's
// (findings_text.go).
var pageText = map[string]map[string]string{
	"en": {
		"title": "Earshot report", "sign_out": "Sign out", "nav": "Main",
		"f_period": "period", "f_end": "ending", "f_start": "custom start", "f_compare": "compare from",
		"f_lang": "language", "f_network": "network", "f_all": "all", "f_show": "show",
		"changed": "What changed", "see": "see the mentions", "post": "open the post",
		"ws":      "Highlighted: networks where the category is discussed and competitors are absent or weak — room for us.",
		"sov_net": "Share of voice per network", "volume": "Daily mentions (spikes marked)", "trend": "Weekly net sentiment (−1 … +1)",
		"heat": "Hour of week (mentions, %s)", "no_rows": "none", "why": "Why the spikes", "n_mentions": "%v mentions",
		"n_engagement": "%v engagement", "rose": "Words that rose that day:", "top": "Top mentions, linked",
		"n_interactions": "%v interactions", "how": "How this is computed", "findings_h": "Findings",
		"how_meta":   "config hash %v · formulas %v · data watermark %v",
		"head_title": "Competitive report: %s vs %s", "head_window": "%s (%s, %d days, time zone %s), compared with %s",
		"head_meta":      "networks %s · config %s · data watermark %d · formulas %s",
		"head_generated": "generated %s", "head_note": "note: %s",
		"Mon": "Mon", "Tue": "Tue", "Wed": "Wed", "Thu": "Thu", "Fri": "Fri", "Sat": "Sat", "Sun": "Sun",
		// Table titles.
		voiceTitle: voiceTitle, spikeTitle: spikeTitle, emergingTitle: emergingTitle, coverageTitle: coverageTitle,
		careTitle: careTitle, topicsTitle: topicsTitle, goalsTitle: goalsTitle, trendTitle: trendTitle, langsTitle: langsTitle,
		hourTitle: hourTitle, voicesTitle: voicesTitle, sitesTitle: sitesTitle, linkDomainsTitle: linkDomainsTitle,
		titleCompIndex: titleCompIndex, titleWhiteSpace: titleWhiteSpace, "Top mentions": "Top mentions",
		// Column headings.
		"network": "network", "brand": "brand", "mentions": "mentions", "prev": "prev", "change": "change", "SOV %": "SOV %",
		"Δ pts": "Δ pts", "interactions": "interactions", "eng SOV %": "eng SOV %", "exposure": "exposure", "reach": "reach",
		"reach SOV %": "reach SOV %", "unique reach SOV %": "unique reach SOV %", "pos": "pos", "neu": "neu", "neg": "neg",
		"net": "net", "net prev": "net prev", "avg": "avg", "owned/wk": "owned/wk", "interactions/post": "interactions/post",
		"link mentions": "link mentions", "leader": "leader", "brand mentions": "brand mentions", "reach known for": "reach known for",
		"exposure known for": "exposure known for", "previous period": "previous period", "answered": "answered",
		"response rate %": "response rate %", "median h": "median h", "mean h": "mean h", "metric": "metric", "own": "own",
		"competitors avg": "competitors avg", "CompIndex": "CompIndex", "category mentions": "category mentions",
		"share of category %": "share of category %", "own SOV %": "own SOV %", "top competitor": "top competitor",
		"its SOV %": "its SOV %", "status": "status", "day": "day", "mean": "mean", "σ": "σ", "threshold": "threshold",
		"languages": "languages", "author": "author", "followers": "followers", "brands": "brands", "domain": "domain",
		"brand domain": "brand domain", "topic": "topic", "by network": "by network", "term": "term", "count": "count",
		"baseline": "baseline", "lift": "lift", "G²": "G²", "goal": "goal", "target": "target", "deadline": "deadline",
		"current": "current", "progress %": "progress %", "slope/wk": "slope/wk", "projected": "projected", "tone": "tone",
		"id": "id", "sentiment": "sentiment", "url": "url", "excerpt": "excerpt",
	},
	"ko": {
		"title": "Earshot 리포트", "sign_out": "로그아웃", "nav": "메뉴",
		"f_period": "기간", "f_end": "마지막 날", "f_start": "직접 지정 시작일", "f_compare": "비교 기간 시작일",
		"f_lang": "언어", "f_network": "네트워크", "f_all": "전체", "f_show": "보기",
		"changed": "이번 기간에 달라진 점", "see": "해당 언급 보기", "post": "글 열기",
		"ws":      "강조된 행: 카테고리 대화는 있는데 경쟁사가 없거나 약한 네트워크 — 우리가 들어갈 자리입니다.",
		"sov_net": "네트워크별 점유율", "volume": "일별 언급 (급증 표시)", "trend": "주별 순감성 (−1 … +1)",
		"heat": "요일·시간대별 언급 (%s)", "no_rows": "없음", "why": "급증의 이유", "n_mentions": "언급 %v건",
		"n_engagement": "반응 %v", "rose": "그날 늘어난 단어:", "top": "주요 언급 (링크)",
		"n_interactions": "반응 %v", "how": "계산 방법", "findings_h": "달라진 점",
		"how_meta":   "설정 해시 %v · 공식 %v · 데이터 기준점 %v",
		"head_title": "경쟁 리포트: %s 대 %s", "head_window": "%s (%s, %d일, 시간대 %s), 비교 기간 %s",
		"head_meta":      "네트워크 %s · 설정 %s · 데이터 기준점 %d · 공식 %s",
		"head_generated": "생성 %s", "head_note": "참고: %s",
		"Mon": "월", "Tue": "화", "Wed": "수", "Thu": "목", "Fri": "금", "Sat": "토", "Sun": "일",
		voiceTitle: "점유율, 감성과 자사 게시물", spikeTitle: "급증", emergingTitle: "새로 뜨는 단어", coverageTitle: "수집 범위와 판단",
		careTitle: "고객 응대", topicsTitle: "주제", goalsTitle: "목표", trendTitle: "주별 순감성", langsTitle: "언어",
		hourTitle: "요일·시간대별 언급 (현지 시각)", voicesTitle: "주요 작성자", sitesTitle: "주요 사이트 (뉴스·웹)",
		linkDomainsTitle: "주요 링크 도메인", titleCompIndex: "경쟁 지수 (우리 ÷ 경쟁사 평균)", titleWhiteSpace: "빈 시장",
		"Top mentions": "주요 언급",
		"network":      "네트워크", "brand": "브랜드", "mentions": "언급", "prev": "이전", "change": "변화", "SOV %": "점유율 %",
		"Δ pts": "Δ %p", "interactions": "반응", "eng SOV %": "반응 점유율 %", "exposure": "노출", "reach": "도달",
		"reach SOV %": "도달 점유율 %", "unique reach SOV %": "순도달 점유율 %", "pos": "긍정", "neu": "중립", "neg": "부정",
		"net": "순감성", "net prev": "이전 순감성", "avg": "평균", "owned/wk": "자사 게시물/주", "interactions/post": "게시물당 반응",
		"link mentions": "링크 언급", "leader": "선두", "brand mentions": "브랜드 언급", "reach known for": "도달 확인",
		"exposure known for": "노출 확인", "previous period": "이전 기간", "answered": "응답",
		"response rate %": "응답률 %", "median h": "중앙값 (시간)", "mean h": "평균 (시간)", "metric": "지표", "own": "우리",
		"competitors avg": "경쟁사 평균", "CompIndex": "경쟁 지수", "category mentions": "카테고리 언급",
		"share of category %": "카테고리 비중 %", "own SOV %": "우리 점유율 %", "top competitor": "가장 강한 경쟁사",
		"its SOV %": "그 점유율 %", "status": "상태", "day": "날짜", "mean": "평균", "σ": "σ", "threshold": "임계값",
		"languages": "언어", "author": "작성자", "followers": "팔로워", "brands": "브랜드", "domain": "도메인",
		"brand domain": "브랜드 도메인", "topic": "주제", "by network": "네트워크별", "term": "단어", "count": "횟수",
		"baseline": "기준값", "lift": "상승 배율", "G²": "G²", "goal": "목표", "target": "목표치", "deadline": "기한",
		"current": "현재", "progress %": "진행률 %", "slope/wk": "주당 기울기", "projected": "예상", "tone": "어조",
		"id": "ID", "sentiment": "감성", "url": "URL", "excerpt": "발췌",
	},
}

// pageWords returns lang's table (English for any other language).
func pageWords(lang string) map[string]string {
	if w, ok := pageText[lang]; ok {
		return w
	}
	return pageText["en"]
}

// translateTables writes ts' titles and headings in w's language; a
// heading that is not a key (a week label, an hour) stays as it is.
func translateTables(ts []htmlTable, w map[string]string) []htmlTable {
	tr := func(s string) string {
		if v, ok := w[s]; ok {
			return v
		}
		return s
	}
	for i := range ts {
		ts[i].Title = tr(ts[i].Title)
		head := make([]string, len(ts[i].Head))
		for j, h := range ts[i].Head {
			head[j] = tr(h)
		}
		ts[i].Head = head
	}
	return ts
}

// headerIn is the report's heading lines in w's language.
func headerIn(r *Report, w map[string]string, l Locale) []string {
	m := r.Meta
	var rivals []string
	if len(r.Brands) > 1 {
		rivals = r.Brands[1:]
	}
	lines := []string{
		fmt.Sprintf(w["head_title"], r.Own, strings.Join(rivals, ", ")),
		fmt.Sprintf(w["head_window"], l.Range(span(m)), m.Period, m.Days, m.Timezone, l.Range(prevSpan(m))),
		fmt.Sprintf(w["head_meta"], strings.Join(m.Networks, ", "), m.ConfigHash, m.Watermark, m.FormulaVersion),
	}
	if m.Generated != "" {
		lines = append(lines, fmt.Sprintf(w["head_generated"], l.Time(m.Generated, m.Timezone)))
	}
	for _, n := range r.NotesIn(l) {
		lines = append(lines, fmt.Sprintf(w["head_note"], n))
	}
	return lines
}
