package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	_ "image/png" // screenshots are PNG
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/internal/shots"
)

// reportBrowserServer serves the fixture store's report with the real
// builder; it returns the server and the report's config hash.
func reportBrowserServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	cfg, err := config.Parse([]byte(reportConfig), "report.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	st := openFixtureStore(t)
	s := newFixtureServer(t, st, "", nil)
	s.opts.Reporter = report.NewBuilder(st, func() *config.Config { return cfg })
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	res, err := http.Get(srv.URL + "/api/report?" + reportBrowserQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var rep report.Report
	if err := json.NewDecoder(res.Body).Decode(&rep); err != nil || rep.Meta.ConfigHash == "" {
		t.Fatalf("report: %v, config hash %q", err, rep.Meta.ConfigHash)
	}
	return srv, rep.Meta.ConfigHash
}

const reportBrowserQuery = "period=week&end=2026-11-25"

// TestBrowserReportFitsPhoneAndDesktop loads the report page in English
// and Korean at 375 px and 1,280 px: no horizontal overflow (scrollWidth ≤
// innerWidth), the findings section first, tables collapsed into cards
// and charts no wider than the screen on the phone, Korean wrapped at word
// boundaries, the formulas and config hash only behind the "how this is
// computed" disclosure. The screenshots are kept under shots.Dir as
// report-{en,ko}-{375,1280}.png.
func TestBrowserReportFitsPhoneAndDesktop(t *testing.T) {
	srv, hash := reportBrowserServer(t)
	ctx, _ := browserCtx(t)
	out := shots.Dir(t)
	for _, lang := range []string{"en", "ko"} {
		for _, width := range []int64{375, 1280} {
			name := fmt.Sprintf("report-%s-%d", lang, width)
			run(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+"/report?"+reportBrowserQuery+"&lang="+lang),
				chromedp.WaitVisible(chromedp.ID("findings")))
			sw := eval[float64](t, ctx, `document.documentElement.scrollWidth`)
			iw := eval[float64](t, ctx, `window.innerWidth`)
			if sw > iw || iw != float64(width) {
				t.Log(eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth).slice(0,5).map(e => e.tagName+"."+e.className+" "+e.getBoundingClientRect().right).join("; ")`))
				t.Errorf("%s: scrollWidth %v > innerWidth %v (horizontal overflow)", name, sw, iw)
			}
			if got := eval[string](t, ctx, `document.documentElement.lang`); got != lang {
				t.Errorf("%s: lang %q", name, got)
			}
			// The findings come first: the first section heading after the title.
			if got := eval[string](t, ctx, `document.querySelector("h2").closest("section")?.id ?? ""`); got != "findings" {
				t.Errorf("%s: the first section is %q, not the findings", name, got)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll("#findings h2").length`); n != 1 {
				t.Errorf("%s: findings section missing", name)
			}
			if n := eval[int](t, ctx, `[...document.querySelectorAll(".formula")].filter(e => !e.closest("details.how")).length`); n != 0 {
				t.Errorf("%s: %d formulas outside the disclosure", name, n)
			}
			outside := eval[string](t, ctx, `[...document.body.children].filter(e => !e.matches("details.how")).map(e => e.textContent).join(" ")`)
			inside := eval[string](t, ctx, `document.querySelector("details.how").textContent`)
			if strings.Contains(outside, hash) || !strings.Contains(inside, hash) {
				t.Errorf("%s: config hash %s not (only) behind the disclosure", name, hash)
			}
			if wb := eval[string](t, ctx, `getComputedStyle(document.querySelector("#findings")).wordBreak`); wb != "keep-all" {
				t.Errorf("%s: word-break %q, want keep-all", name, wb)
			}
			// Phone: every table but the hour-of-week grid is a stack of
			// cards (no header row shown, each cell labelled); desktop: tables.
			cards := eval[string](t, ctx, `[...document.querySelectorAll("table.cards")].map(t => getComputedStyle(t).display + "/" + getComputedStyle(t.querySelector("tr.head")).display).join(",")`)
			want := "table/table-row"
			if width < 600 {
				want = "block/none"
			}
			if cards == "" || strings.Trim(strings.ReplaceAll(cards, want, ""), ",") != "" {
				t.Errorf("%s: tables %q, want each %s", name, cards, want)
			}
			if width < 600 {
				if n := eval[int](t, ctx, `[...document.querySelectorAll("table.cards td[data-label]")].filter(td => getComputedStyle(td, "::before").content.length < 3).length`); n != 0 {
					t.Errorf("%s: %d collapsed cells without their column's name", name, n)
				}
			}
			// Charts and bars scale to the screen.
			if n := eval[int](t, ctx, `[...document.querySelectorAll("svg.chart, .bars")].filter(e => e.getBoundingClientRect().width > innerWidth || e.getBoundingClientRect().width < 200).length`); n != 0 {
				t.Errorf("%s: %d charts wider than the screen (or collapsed)", name, n)
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			img, _, err := image.Decode(bytes.NewReader(shot))
			if err != nil || img.Bounds().Dx() != int(width) {
				t.Errorf("%s: screenshot %v, %v", name, img.Bounds(), err)
			}
			if err := os.WriteFile(filepath.Join(out, name+".png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestBrowserReportPrintsToPDF prints the page as a marketer forwarding a
// report would (the browser's print, page.PrintToPDF): the PDF is made and
// not empty, and under print media the navigation and forms are hidden
// while the findings stay and closed disclosures print open.
// report-print.png is the print-media rendering.
func TestBrowserReportPrintsToPDF(t *testing.T) {
	srv, _ := reportBrowserServer(t)
	ctx, _ := browserCtx(t)
	run(t, ctx, chromedp.EmulateViewport(794, 1123), chromedp.Navigate(srv.URL+"/report?"+reportBrowserQuery),
		chromedp.WaitVisible(chromedp.ID("findings")))
	const hidden = `[...document.querySelectorAll("nav.top, form")].filter(e => getComputedStyle(e).display !== "none").length`
	if n := eval[int](t, ctx, hidden); n == 0 {
		t.Fatal("on screen the page shows no navigation or form: the print check would prove nothing")
	}
	// What a closed disclosure adds below its summary: its padding on
	// screen, its content when it prints open.
	const closedInside = `[...document.querySelectorAll("details:not([open])")].map(d => d.getBoundingClientRect().height - d.querySelector("summary").getBoundingClientRect().height)`
	screen := eval[[]float64](t, ctx, closedInside)
	if len(screen) == 0 || eval[bool](t, ctx, `document.querySelector("details.how").open`) {
		t.Fatal("no closed disclosure on the page: the print check would prove nothing")
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, hidden); n != 0 {
		t.Errorf("print: %d navigation bars or forms still shown", n)
	}
	if v := eval[string](t, ctx, `getComputedStyle(document.querySelector("#findings")).display`); v == "none" {
		t.Error("print: the findings are hidden")
	}
	if sw, iw := eval[float64](t, ctx, `document.documentElement.scrollWidth`), eval[float64](t, ctx, `innerWidth`); sw > iw {
		t.Log(eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth).slice(0,8).map(e => e.tagName+"."+e.className+" "+e.getBoundingClientRect().right+" "+e.textContent.slice(0,30)).join("; ")`))
		t.Errorf("print: scrollWidth %v > %v", sw, iw)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shots.Dir(t), "report-print.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := printPDF(t, ctx)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 10_000 || pdfPages(pdf) == 0 {
		t.Errorf("print to PDF: %d bytes, starts %q", len(pdf), pdf[:min(8, len(pdf))])
	}
	if err := os.WriteFile(filepath.Join(shots.Dir(t), "report-print.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	// Closed disclosures print open: each ("how this is computed", the
	// tables) is taller under print media than on screen by its content,
	// and the PDF of the page as served is as long as the PDF of the page
	// with every disclosure opened by hand (both printed under print
	// media).
	printed := eval[[]float64](t, ctx, closedInside)
	for i := range min(len(screen), len(printed)) {
		if printed[i] < screen[i]+10 {
			t.Errorf("print: closed disclosure %d adds %v px below its summary (%v on screen): its content does not print", i, printed[i], screen[i])
		}
	}
	if len(printed) != len(screen) {
		t.Errorf("print: %d closed disclosures, %d on screen", len(printed), len(screen))
	}
	eval[bool](t, ctx, `document.querySelectorAll("details").forEach(d => d.open = true), true`)
	opened := printPDF(t, ctx)
	if got, want := pdfPages(pdf), pdfPages(opened); got != want || got < 2 {
		t.Errorf("print: %d pages as served, %d with every disclosure opened", got, want)
	}
}

// printPDF prints the page with the browser's print to PDF.
func printPDF(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	yes := true
	pdf, err := chromedp.Call(ctx, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PrintBackground: &yes})
	if err != nil {
		t.Fatal(err)
	}
	return pdf.Data
}

// pdfPages counts a PDF's page objects ("/Type /Page", not "/Pages").
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}

// TestBrowserReportDownloadsCSV follows the page's "Download as CSV" link:
// the same period's report as CSV through /api/report (same auth as the
// page), starting with the UTF-8 BOM and the CSV's header, its window in
// days Excel parses.
func TestBrowserReportDownloadsCSV(t *testing.T) {
	srv, _ := reportBrowserServer(t)
	ctx, _ := browserCtx(t)
	run(t, ctx, chromedp.Navigate(srv.URL+"/report?"+reportBrowserQuery+"&lang=ko"), chromedp.WaitVisible(chromedp.ID("download-csv")))
	href := eval[string](t, ctx, `document.querySelector("#download-csv").href`)
	text := eval[string](t, ctx, `document.querySelector("#download-csv").textContent`)
	if !strings.HasPrefix(href, srv.URL+"/api/report?") || !strings.Contains(href, "format=csv") || !strings.Contains(href, "end=2026-11-25") || strings.Contains(href, "lang=") || text != "CSV로 내려받기" {
		t.Fatalf("link %q %q", href, text)
	}
	res, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	body, ok := strings.CutPrefix(string(b), "\ufeff")
	if res.StatusCode != 200 || !ok || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, %s, starts % x", res.StatusCode, res.Header.Get("Content-Type"), b[:min(len(b), 8)])
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="earshot-report-week-2026-11-23.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) < 20 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if got := strings.Join(rows[0], ","); got != "section,row,column,value,estimated" {
		t.Errorf("header %q", got)
	}
	meta := map[string]string{}
	for _, r := range rows[1:] {
		if r[0] == "meta" {
			meta[r[2]] = r[3]
		}
	}
	if meta["first_day"] != "2026-11-23" || meta["last_day"] != "2026-11-29" {
		t.Errorf("window %q – %q", meta["first_day"], meta["last_day"])
	}
}

// TestBrowserSearchPageFitsPhone loads the search page (the page every
// figure links to) with hits at 390 px and 375 px: no horizontal overflow.
// The screenshots are kept under shots.Dir as search-{375,390}.png.
func TestBrowserSearchPageFitsPhone(t *testing.T) {
	srv := httptest.NewServer(newFixtureServer(t, openFixtureStore(t), "", nil))
	t.Cleanup(srv.Close)
	ctx, _ := browserCtx(t)
	out := shots.Dir(t)
	for _, width := range []int64{390, 375} {
		name := fmt.Sprintf("search-%d", width)
		run(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+"/?q=battery"),
			chromedp.WaitVisible(chromedp.CSS("ol.hits li.hit")))
		sw := eval[float64](t, ctx, `document.documentElement.scrollWidth`)
		iw := eval[float64](t, ctx, `window.innerWidth`)
		if sw > iw || iw != float64(width) {
			t.Log(eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth).slice(0,5).map(e => e.tagName+"."+e.className+" "+e.getBoundingClientRect().right).join("; ")`))
			t.Errorf("%s: scrollWidth %v > innerWidth %v (horizontal overflow)", name, sw, iw)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("li.hit").length`); n == 0 {
			t.Errorf("%s: no hits shown", name)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name+".png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
