package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/store"
)

func TestExportCSVAndJSONL(t *testing.T) {
	s := newFixtureServer(t, openFixtureStore(t), "", nil)
	rec, body := get(t, s, "/api/export?format=csv&brand=Acme&sort=newest")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), `attachment; filename="earshot-mentions-20261126-120000.csv"`) {
		t.Fatalf("status %d headers %v", rec.Code, rec.Header())
	}
	if !strings.HasPrefix(body, csvBOM+"id,") {
		t.Fatalf("csv does not open with the UTF-8 BOM and the header: %q", body[:min(len(body), 20)])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, csvBOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(csvHeaderFor(time.UTC), ",") || rows[0][csvPublished] != "published (UTC)" {
		t.Errorf("header = %v", rows[0])
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[0])
		if !strings.Contains(r[13], "Acme") {
			t.Errorf("row %s outside the brand filter: %v", r[0], r[13])
		}
	}
	want := "hackernews:41234567,rss:https://techcrunch.example/2026/11/23/acme-pricing,mastodon:1133557799,naver:blog-223344,rss:https://evil.example/post"
	if strings.Join(got, ",") != want {
		t.Errorf("rows = %v\nwant %s", got, want)
	}
	if rec.Header().Get("X-Earshot-Total") != "5" || rec.Header().Get("X-Earshot-Truncated") != "" {
		t.Errorf("count headers %v", rec.Header())
	}

	// Formula injection is defused; the hostile text is data, intact.
	_, red := get(t, s, "/api/export?format=csv&network=reddit")
	rr, _ := csv.NewReader(strings.NewReader(red)).ReadAll()
	if len(rr) != 2 || !strings.HasPrefix(rr[1][15], `'=HYPERLINK(`) {
		t.Errorf("reddit rows = %v", rr)
	}

	// JSON lines: one stored mention per line, the same set.
	rec, body = get(t, s, "/api/export?format=jsonl&brand=Acme&sort=newest")
	if rec.Header().Get("Content-Type") != "application/x-ndjson; charset=utf-8" {
		t.Errorf("type %s", rec.Header().Get("Content-Type"))
	}
	sc := bufio.NewScanner(strings.NewReader(body))
	var ids []string
	for sc.Scan() {
		var m store.Mention
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		ids = append(ids, m.ID)
	}
	if strings.Join(ids, ",") != want {
		t.Errorf("jsonl ids = %v", ids)
	}
	if strings.Contains(body, "<script>") {
		t.Error("jsonl carries a raw <script>: HTML must be escaped in JSON")
	}

	// A limit cuts the export and says so.
	rec, body = get(t, s, "/api/export?format=csv&limit=2")
	if n := strings.Count(body, "\n"); n != 3 || rec.Header().Get("X-Earshot-Truncated") != "true" {
		t.Errorf("limit 2: %d lines, truncated=%q", n, rec.Header().Get("X-Earshot-Truncated"))
	}
	// Phrase queries are verified in exports too.
	_, body = get(t, s, `/api/export?format=csv&q=%22battery+lasts%22`)
	if rows, _ := csv.NewReader(strings.NewReader(body)).ReadAll(); len(rows) != 2 || rows[1][0] != "hackernews:41234567" {
		t.Errorf("phrase export = %v", rows)
	}
}

func TestSafeSnippet(t *testing.T) {
	cases := map[string]string{
		"Acme <mark>battery</mark> &lt;script&gt;":        "Acme <mark>battery</mark> &lt;script&gt;",
		"<script>alert(1)</script>":                       "&lt;script&gt;alert(1)&lt;/script&gt;",
		"<mark onclick=x>a</mark>":                        "&lt;mark onclick=x&gt;a&lt;/mark&gt;",
		"<mark>open":                                      "<mark>open</mark>",
		"</mark>stray":                                    "&lt;/mark&gt;stray",
		"a &amp;lt;b&amp;gt; &quot;q&quot;":               "a &amp;lt;b&amp;gt; &#34;q&#34;",
		"<mark><mark>x</mark></mark>":                     "<mark>&lt;mark&gt;x</mark>&lt;/mark&gt;",
		"&lt;mark&gt;fake&lt;/mark&gt; <mark>real</mark>": "&lt;mark&gt;fake&lt;/mark&gt; <mark>real</mark>",
	}
	for in, want := range cases {
		if got := string(safeSnippet(in)); got != want {
			t.Errorf("safeSnippet(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"https://a.example/x?y=1": "https://a.example/x?y=1", "HTTP://A.example": "http://A.example",
		"javascript:alert(1)": "", " javascript:alert(1)": "", "data:text/html,x": "", "/relative": "", "//host/x": "",
		"http://": "", "https://a.example/\nx": "", "vbscript:x": "",
	} {
		if got := safeHref(in); got != want {
			t.Errorf("safeHref(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSafeSnippet: whatever the input, the output has no tag but <mark>
// and </mark>, balanced.
func FuzzSafeSnippet(f *testing.F) {
	for _, s := range []string{"<mark>a</mark>", "<script>", "&lt;<mark>", "<<mark>>", "</mark><mark>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := string(safeSnippet(in))
		rest := strings.ReplaceAll(strings.ReplaceAll(out, "<mark>", ""), "</mark>", "")
		if strings.ContainsAny(rest, "<>\"'") {
			t.Fatalf("safeSnippet(%q) = %q leaves markup characters", in, out)
		}
		if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") {
			t.Fatalf("unbalanced marks in %q", out)
		}
	})
}

// A spreadsheet opens the CSV right: Excel needs the UTF-8 BOM to show
// Korean, and parses "2026-11-21 12:00:00" (local time, the zone named in
// the column) as a date where it leaves RFC 3339 as text.
func TestExportCSVForSpreadsheets(t *testing.T) {
	seoul, err := time.LoadLocation("Asia/Seoul")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Searcher: openFixtureStore(t), Logger: zerolog.Nop(), Clock: func() time.Time { return fixtureNow },
		Zone:   func() *time.Location { return seoul },
		Brands: []string{"Acme", "Globex", "Initech"}, Networks: []string{"hackernews", "rss", "mastodon", "naver", "reddit"}})
	rec, body := get(t, s, "/api/export?format=csv&network=naver&sort=newest")
	if rec.Code != 200 || rec.Header().Get("X-Earshot-Timezone") != "Asia/Seoul" {
		t.Fatalf("status %d headers %v", rec.Code, rec.Header())
	}
	if !strings.HasPrefix(body, "\xef\xbb\xbfid,") {
		t.Fatalf("no UTF-8 BOM: % x", body[:min(len(body), 8)])
	}
	rows, err := csv.NewReader(strings.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][csvPublished] != "published (Asia/Seoul)" || rows[0][len(rows[0])-1] != "published_estimated" {
		t.Errorf("header = %v", rows[0])
	}
	var kim []string
	for _, r := range rows[1:] {
		if r[0] == "naver:blog-223344" {
			kim = r
		}
	}
	// Published 2026-11-21T03:00:00Z is 12:00 the same day in Seoul (UTC+9).
	if kim == nil || kim[csvPublished] != "2026-11-21 12:00:00" || kim[6] != "아크미 배터리 후기" || kim[len(kim)-1] != "false" {
		t.Errorf("naver row = %v", kim)
	}
}

// When a search has more mentions than one export returns, the search page
// says so next to "Export all", with the limit and the way to the rest; a
// search within the limit says nothing.
func TestExportAllSaysWhenCut(t *testing.T) {
	s := New(Options{Searcher: openFixtureStore(t), Logger: zerolog.Nop(), Clock: func() time.Time { return fixtureNow },
		Brands: []string{"Acme", "Globex", "Initech"}, Networks: []string{"hackernews", "rss", "mastodon", "naver", "reddit"},
		ExportLimit: 3})
	_, page := get(t, s, "/?brand=Acme")
	for _, want := range []string{`id="export-cut"`, "stops at the first 3 of these 5 mentions", "narrow <em>From</em> and <em>To</em>", "/api/export?…&amp;from=…&amp;to=…"} {
		if !strings.Contains(page, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	rec, body := get(t, s, "/api/export?format=csv&brand=Acme")
	if rec.Header().Get("X-Earshot-Truncated") != "true" || rec.Header().Get("X-Earshot-Export-Limit") != "3" || strings.Count(body, "\n") != 4 {
		t.Errorf("export over the limit: %v, %d lines", rec.Header(), strings.Count(body, "\n"))
	}
	if rec, _ := get(t, s, "/api/export?format=csv&brand=Acme&limit=4"); rec.Code != 400 {
		t.Errorf("limit above the configured cap: status %d", rec.Code)
	}
	_, page = get(t, s, "/?brand=Acme&network=naver")
	if strings.Contains(page, "export-cut") {
		t.Error("a search within the limit says the export is cut")
	}
}
