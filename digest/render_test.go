package digest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// renderFixture renders the fixture week for rc (the filtered report for
// rc's networks, the unfiltered one for goals).
func renderFixture(t testing.TB, rc config.Recipient) *Rendered {
	t.Helper()
	seoul := mustLoc(t, "Asia/Seoul")
	v := BuildView(ViewInput{Report: fixtureReport(rc.Networks), Unfiltered: fixtureReport(nil), Week: Week{2026, 47}, Recipient: rc,
		BaseURL: "http://127.0.0.1:8089", Loc: seoul})
	r, err := Render(v, "{{.Brand}} 주간 경쟁사 리포트 {{.Week}} ({{.From}}–{{.To}})")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./digest -run Golden -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got  %q\n want %q\n(go test ./digest -run Golden -update rewrites it)", name, i+1, g, w)
			}
		}
	}
}

func TestGolden(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		all := renderFixture(t, config.Recipient{Email: "kim@acme.example", Name: "김민지", Lang: lang})
		golden(t, "digest."+lang+".txt.golden", all.Text)
		golden(t, "digest."+lang+".html.golden", all.HTML)
		filtered := renderFixture(t, config.Recipient{Email: "park@acme.example", Name: "Park", Brands: []string{"Globex"},
			Networks: []string{"naver"}, Lang: lang})
		golden(t, "digest-filtered."+lang+".txt.golden", filtered.Text)
		if all.Subject != "Acme 주간 경쟁사 리포트 2026-W47 (2026-11-16–2026-11-22)" {
			t.Errorf("subject = %q", all.Subject)
		}
	}
}

// gmailMaxHTML is where Gmail clips a message ("[Message clipped]").
const gmailMaxHTML = 102 * 1024

// unsupportedCSS are CSS features Gmail or Outlook (Windows, Word engine)
// drop, from caniemail.com (checked 2026-12): a digest must not depend on
// them. docs/digest.md lists the same table (TestUnsupportedCSSDocumented).
var unsupportedCSS = []string{"position:", "display:flex", "display:grid", "float:", "var(", "calc(", "transform", "box-shadow",
	"@import", "@font-face", "animation", "transition", "filter:", "object-fit", "background-image", "url(", "<style", "<script", "<link",
	"data:", "javascript:", "src=\"http"}

func TestRenderContent(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		r := renderFixture(t, config.Recipient{Email: "kim@acme.example", Name: "김민지", Lang: lang})
		if len(r.HTML) > gmailMaxHTML {
			t.Errorf("%s: HTML part %d bytes, Gmail clips at %d", lang, len(r.HTML), gmailMaxHTML)
		}
		for _, bad := range unsupportedCSS {
			if strings.Contains(r.HTML, bad) {
				t.Errorf("%s: html uses %q (unsupported in Gmail or Outlook)", lang, bad)
			}
		}
		if m := contains(r.HTML, `id="findings"`, `id="preheader"`, `lang="`+lang+`"`, `src="cid:spark-0.png"`, `alt="Acme `,
			"아크미 배터리 방전 문제 &lt;심각&gt;", "tptacek", "fixed the charging bug &amp; doubled"); m != "" {
			t.Errorf("%s: html part misses: %s", lang, m)
		}
		if len(r.Images) != 3 || !bytes.HasPrefix(r.Images[0].PNG, []byte("\x89PNG")) {
			t.Errorf("%s: %d sparkline images", lang, len(r.Images))
		}
	}
	en := renderFixture(t, config.Recipient{Email: "kim@acme.example", Lang: "en"})
	if m := contains(en.Text, "What changed", "1. ", "Globex spiked on Naver on Wed 18 Nov 2026: 64 mentions against a usual 12.3.",
		"Most engaged post: “글로벡스 요금제 인하 발표”", "Naver: Acme leads with 60.0%.", "방전 (×6.2)",
		"네이버 점유율 40%: met", "Acme net sentiment: behind (!)", "White space", "Share of voice: 34.7% / 32.6% = 1.06",
		"Open the full report: http://127.0.0.1:8089/report?end=2026-11-22&period=week"); m != "" {
		t.Errorf("en text misses: %s\n%s", m, en.Text)
	}
	ko := renderFixture(t, config.Recipient{Email: "kim@acme.example", Lang: "ko"})
	if m := contains(ko.Text, "이번 주 달라진 점", "2026년 11월 18일 (수) 네이버에서 Globex 언급이 급증했습니다", "점유율", "목표", "전체 리포트 보기",
		"lang=ko"); m != "" && !strings.Contains(ko.Text, "Naver에서") {
		t.Errorf("ko text misses: %s\n%s", m, ko.Text)
	}
	for _, english := range []string{"What changed", "Share of voice", "Goals", "Top posts", "interaction"} {
		if strings.Contains(ko.Text, english) {
			t.Errorf("Korean digest says %q", english)
		}
	}

	f := renderFixture(t, config.Recipient{Email: "park@acme.example", Brands: []string{"Globex"}, Networks: []string{"naver"}})
	if strings.Contains(f.Text, "Hacker News") {
		t.Errorf("filtered digest shows Hacker News:\n%s", f.Text)
	}
	if m := contains(f.Text, "Acme", "Globex", "Others", "Initech", "brand=Globex&end=2026-11-22&network=naver"); m != "" {
		t.Errorf("filtered text misses %s", m)
	}
}

func TestPartialIsMarked(t *testing.T) {
	v := BuildView(ViewInput{Report: fixtureReport(nil), Week: Week{2026, 48}, Loc: time.UTC, Partial: true})
	r, err := Render(v, config.DefaultDigestSubject)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Subject, "[partial] ") || !strings.Contains(r.HTML, `id="partial"`) || !strings.Contains(r.Text, "Partial week") {
		t.Errorf("partial not marked: %q", r.Subject)
	}
	seoul := mustLoc(t, "Asia/Seoul")
	w := Week{2026, 48} // Mon 23 – Sun 29 Nov 2026
	for _, c := range []struct {
		now     time.Time
		partial bool
		ok      bool
	}{
		{time.Date(2026, 11, 29, 23, 59, 0, 0, seoul), false, false},
		{time.Date(2026, 11, 29, 23, 59, 0, 0, seoul), true, true},
		{time.Date(2026, 11, 30, 0, 0, 0, 0, seoul), false, true},
		{time.Date(2026, 11, 22, 12, 0, 0, 0, seoul), true, false},
	} {
		if err := CheckComplete(w, c.now, seoul, c.partial); (err == nil) != c.ok {
			t.Errorf("CheckComplete(%v, partial %v) = %v", c.now, c.partial, err)
		}
	}
}

func TestSubjectIsOneLineAndKeysMatchConfig(t *testing.T) {
	v := &View{Own: "Acme", Week: "2026-W47", Headline: "a\r\nBcc: evil@example.com"}
	s, err := RenderSubject("{{.Headline}}", v)
	if err != nil || strings.ContainsAny(s, "\r\n") {
		t.Errorf("subject = %q, %v", s, err)
	}
	var keys []string
	for k := range SubjectFields(v) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := slices.Clone(config.DigestSubjectKeys)
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("subject fields %v, config documents %v", keys, want)
	}
	if _, err := RenderSubject("{{.Nope}}", v); err == nil {
		t.Error("unknown subject field accepted")
	}
}
