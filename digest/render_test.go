package digest

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/earshot/earshot/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// renderFixture renders the fixture week for rc.
func renderFixture(t testing.TB, rc config.Recipient) *Rendered {
	t.Helper()
	seoul := mustLoc(t, "Asia/Seoul")
	v := BuildView(fixtureReport(rc.Networks), Week{2026, 47}, rc, "http://127.0.0.1:8089", seoul)
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
	all := renderFixture(t, config.Recipient{Email: "kim@acme.example", Name: "김민지"})
	golden(t, "digest.txt.golden", all.Text)
	golden(t, "digest.html.golden", all.HTML)
	filtered := renderFixture(t, config.Recipient{Email: "park@acme.example", Name: "Park", Brands: []string{"Globex"}, Networks: []string{"naver"}})
	golden(t, "digest-filtered.txt.golden", filtered.Text)
	if all.Subject != "Acme 주간 경쟁사 리포트 2026-W47 (2026-11-16–2026-11-22)" {
		t.Errorf("subject = %q", all.Subject)
	}
}

func TestRenderContent(t *testing.T) {
	r := renderFixture(t, config.Recipient{Email: "kim@acme.example", Name: "김민지"})
	if m := contains(r.Text, "Hacker News: Globex leads with 55.3%; Acme has 26.6% (-9.8 pts).", "Naver: Acme leads with 60.0% share of voice",
		"아크미 배터리 방전 문제 <심각>", "방전 (×6.2)", "배터리: 210 (+40%)", "네이버 점유율 40%: met", "Acme net sentiment: behind (!)",
		"2026-11-18 Globex on Naver: 64 mentions (usual 12.3 ± 4.0)", "Full report: http://127.0.0.1:8089/report?end=2026-11-22&period=week",
		"Acme net sentiment change: -0.12"); m != "" {
		t.Errorf("text part misses: %s\n%s", m, r.Text)
	}
	if m := contains(r.HTML, "아크미 배터리 방전 문제 &lt;심각&gt;", `href="http://127.0.0.1:8089/report?end=2026-11-22&amp;network=naver&amp;period=week"`,
		`width="49%"`, "tptacek", "fixed the charging bug &amp; doubled"); m != "" {
		t.Errorf("html part misses: %s", m)
	}
	for _, bad := range []string{"javascript:", "<script", "src=\"http", "@import", "url("} {
		if strings.Contains(r.HTML, bad) {
			t.Errorf("html contains %q", bad)
		}
	}

	f := renderFixture(t, config.Recipient{Email: "park@acme.example", Brands: []string{"Globex"}, Networks: []string{"naver"}})
	if strings.Contains(f.Text, "Initech") || strings.Contains(f.Text, "Hacker News") {
		t.Errorf("filtered digest shows Initech or Hacker News:\n%s", f.Text)
	}
	if m := contains(f.Text, "Acme", "Globex", "Naver", "brands: Globex · networks: naver", "brand=Globex&end=2026-11-22&network=naver", "network=naver"); m != "" {
		t.Errorf("filtered text misses %s", m)
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
