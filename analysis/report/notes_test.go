package report

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot/config"
)

func TestNoteTextComplete(t *testing.T) {
	for lang, table := range noteText {
		for k := range noteText["en"] {
			if table[k] == "" {
				t.Errorf("%s: note %q missing", lang, k)
			}
		}
		if len(table) != len(noteText["en"]) {
			t.Errorf("%s has %d notes, en %d", lang, len(table), len(noteText["en"]))
		}
	}
}

// englishRun is three ASCII words in a row: an English sentence.
var englishRun = regexp.MustCompile(`[A-Za-z][A-Za-z'’-]*[ ,:;]+[A-Za-z][A-Za-z'’-]*[ ,:;]+[A-Za-z][A-Za-z'’-]*`)

// Every note, written in Korean, has no English left (source names and
// network labels aside), and its English text is what Meta.Notes carried
// before notes were keyed.
func TestNotesInKorean(t *testing.T) {
	fresh := 0.83
	notes := []Note{
		{Key: "partial"},
		{Key: "unpolled", Network: "rss", Args: []any{"broken-feed"}},
		{Key: "short", Network: "all", Args: []any{0, 14, "2026-11-16"}},
		(&Freshness{Mature: &fresh, Counted: 1204, MatureAge: "24h", Unrefreshed: []string{"naver", "rss"}, UnrefreshedCount: 412}).note(),
		(&Freshness{}).note(),
	}
	en := []string{
		"the window is not over yet: figures are partial",
		"rss: source broken-feed has not completed a poll: no period counts as collected on rss until it does",
		"all: baseline too short on 2026-11-16 (0 of 14 days collected): spikes are called from 2026-11-30",
		"engagement as of: 83% of 1204 mentions with counts were counted at least 24h after publication (refreshed at 1h, 6h, 24h, 72h, 7d); Naver, News & blogs (RSS) give no counts (412 mentions, never refreshed)",
		"engagement as of: no mention with counts in the window",
	}
	keys := map[string]bool{}
	for i, n := range notes {
		keys[n.Key] = true
		if n.Then != nil {
			keys[n.Then.Key] = true
		}
		if got := n.Text(NewLocale("en")); got != en[i] {
			t.Errorf("en %s:\n got %q\nwant %q", n.Key, got, en[i])
		}
		ko := n.Text(NewLocale("ko"))
		if m := englishRun.FindString(ko); m != "" || strings.Contains(ko, "%!") {
			t.Errorf("ko %s keeps English %q: %q", n.Key, m, ko)
		}
	}
	keys["short local"] = true // the brief's "short" (TestBriefNotesMergeShortBaselines)
	for k := range noteText["en"] {
		if !keys[k] {
			t.Errorf("note %q not exercised", k)
		}
	}
	r := &Report{}
	r.addNotes(notes[1], notes[2])
	if !slices.Equal(r.Meta.Notes, en[1:3]) || !slices.Equal(r.NotesIn(NewLocale("en")), en[1:3]) {
		t.Errorf("Meta.Notes %q", r.Meta.Notes)
	}
	if ko := r.NotesIn(NewLocale("ko")); !strings.HasPrefix(ko[0], "뉴스·블로그 (RSS): ") || !strings.HasPrefix(ko[1], "전체 네트워크: ") {
		t.Errorf("Korean notes %q", ko)
	}
	r.Meta.NoteList = nil // a report read back from JSON: English as stored
	if got := r.NotesIn(NewLocale("ko")); !slices.Equal(got, en[1:3]) {
		t.Errorf("without keys: %q", got)
	}
}

func TestParticles(t *testing.T) {
	for in, want := range map[string]string{
		"네이버은(는) 빈 시장":  "네이버는 빈 시장",
		"웹은(는) 반응 수":    "웹은 반응 수",
		"레딧을(를)":        "레딧을",
		"다음이(가)":        "다음이",
		"마스토돈과(와)":      "마스토돈과",
		"서울(으)로 이전":     "서울로 이전", // ㄹ takes 로
		"유튜브(으)로":       "유튜브로",
		"해커뉴스(으)로":      "해커뉴스로",
		"41.0%(으)로 올랐다": "41.0%로 올랐다", // read 퍼센트
		"16건(으)로":       "16건으로",
		"−0.30(으)로":     "−0.30으로", // 영
		"+0.21(으)로":     "+0.21로",  // 일: ㄹ
		"3(으)로":         "3으로",
		"Reddit은(는)":    "Reddit은(는)",
		"빈 괄호 (없음)":     "빈 괄호 (없음)",
	} {
		if got := Particles(in); got != want {
			t.Errorf("Particles(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NewLocale("ko").Sprintf("%s은(는) 빈 시장입니다", "네이버"); got != "네이버는 빈 시장입니다" {
		t.Errorf("ko Sprintf: %q", got)
	}
	if got := NewLocale("en").Sprintf("%s은(는)", "네이버"); got != "네이버은(는)" {
		t.Errorf("en Sprintf changed particles: %q", got)
	}
}

func TestBriefNotesMergeShortBaselines(t *testing.T) {
	r := &Report{}
	r.addNotes(Note{Key: "unpolled", Network: "rss", Args: []any{"broken-feed"}},
		Note{Key: "short", Network: "all", Args: []any{0, 14, "2026-11-16"}},
		Note{Key: "short", Network: "bluesky", Args: []any{11, 14, "2026-11-16"}},
		Note{Key: "short", Network: "rss", Args: []any{0, 14, "2026-11-16"}},
		Note{Key: "short", Network: "naver", Args: []any{11, 14, "2026-11-16"}},
		Note{Key: "short", Network: "x", Args: []any{0, 14, "2026-11-17"}},
		Note{Key: "partial"})
	want := []string{
		"News & blogs (RSS): source broken-feed has not completed a poll: no period counts as collected on News & blogs (RSS) until it does",
		// 16 Nov + (14 − 11) days: the first day with 14 collected days before it.
		"All networks, News & blogs (RSS): baseline too short on 16 Nov (0 of 14 days collected): spikes are called from 30 Nov",
		"Bluesky, Naver: baseline too short on 16 Nov (11 of 14 days collected): spikes are called from 19 Nov",
		"X: baseline too short on 17 Nov (0 of 14 days collected): spikes are called from 1 Dec",
		"the window is not over yet: figures are partial",
	}
	if got := r.BriefNotesIn(NewLocale("en")); !slices.Equal(got, want) {
		t.Errorf("brief notes:\n got %q\nwant %q", got, want)
	}
	if len(r.Meta.Notes) != 7 {
		t.Errorf("the report's own notes were merged too: %q", r.Meta.Notes)
	}
	if got := r.BriefNotesIn(NewLocale("ko"))[2]; got != "블루스카이, 네이버: 11월 16일에는 기준 기간이 짧아 (14일 중 11일 수집) 급증은 11월 19일부터 판단합니다" {
		t.Errorf("ko: %q", got)
	}
	// A brief's dates are the reader's; the report's English notes (JSON)
	// keep the ISO date, and Korean durations read in Korean.
	if !slices.Contains(r.Meta.Notes, "x: baseline too short on 2026-11-17 (0 of 14 days collected): spikes are called from 2026-12-01") {
		t.Errorf("the report's English notes changed: %q", r.Meta.Notes)
	}
	fresh := Note{Key: "fresh", Args: []any{100.0, 89, "24h", "1h, 6h, 24h, 72h, 7d"}}
	if got := fresh.Text(NewLocale("ko")); got != "반응 수 기준 시점: 반응 수가 있는 언급 89건 중 100%는 게시 후 24시간 이상 지나 집계했습니다 (갱신: 1시간, 6시간, 24시간, 72시간, 7일)" {
		t.Errorf("ko fresh: %q", got)
	}
	if got := fresh.Text(NewLocale("en")); !strings.Contains(got, "at least 24h after publication (refreshed at 1h, 6h, 24h, 72h, 7d)") {
		t.Errorf("en fresh: %q", got)
	}
}

// A brand's domains are its own words: the labels of initech.example are
// in every link to its site, never an emerging term.
func TestBrandTermsSkipDomains(t *testing.T) {
	cfg := &config.Config{Brands: []config.Brand{{Name: "Initech", Terms: []string{"이니텍"}, Domains: []string{"status.initech.example"}}}}
	skip := brandTerms(cfg)
	for _, w := range []string{"initech", "이니텍", "status", "example"} {
		if !skip[w] {
			t.Errorf("%q is not skipped: %v", w, skip)
		}
	}
	if isStopword("recall") || !isStopword("re") {
		t.Error("stopwords: recall is a word, re (of we're) is not")
	}
}
