package web

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png" // screenshots are PNG
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// screenshotDir is $EARSHOT_ARTIFACTS/screenshots, or
// web/testdata/screenshots/out (gitignored).
func screenshotDir(t *testing.T) string {
	dir := filepath.Join("testdata", "screenshots", "out")
	if a := os.Getenv("EARSHOT_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserReportFitsPhoneDesktopAndPrint loads the report page at 375 px
// and 1,280 px and under print media emulation: no horizontal overflow
// (scrollWidth ≤ innerWidth), the findings section present, the formulas
// behind the "how this is computed" disclosure; screenshots are kept.
func TestBrowserReportFitsPhoneDesktopAndPrint(t *testing.T) {
	cfg, err := config.Parse([]byte(reportConfig), "report.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	st := openFixtureStore(t)
	s := newFixtureServer(t, st, "", nil)
	s.opts.Reporter = report.NewBuilder(st, func() *config.Config { return cfg })
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, _ := browserCtx(t)
	out := screenshotDir(t)
	for _, c := range []struct {
		name  string
		width int64
		media string
		query string
	}{{"report-375", 375, "", ""}, {"report-ko-375", 375, "", "&lang=ko"}, {"report-1280", 1280, "", ""}, {"report-print", 794, "print", ""}} {
		run(t, ctx, chromedp.EmulateViewport(c.width, 900), chromedp.Navigate(srv.URL+"/report?period=week&end=2026-11-25"+c.query),
			chromedp.WaitVisible(chromedp.ID("findings")))
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: c.media}); err != nil {
			t.Fatal(err)
		}
		sw := eval[float64](t, ctx, `document.documentElement.scrollWidth`)
		iw := eval[float64](t, ctx, `window.innerWidth`)
		if sw > iw {
			t.Log(eval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth).slice(0,5).map(e => e.tagName+"."+e.className+" "+e.getBoundingClientRect().right).join("; ")`))
			t.Errorf("%s: scrollWidth %v > innerWidth %v (horizontal overflow)", c.name, sw, iw)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("#findings h2").length`); n != 1 {
			t.Errorf("%s: findings section missing", c.name)
		}
		if n := eval[int](t, ctx, `[...document.querySelectorAll(".formula")].filter(e => !e.closest("details.how")).length`); n != 0 {
			t.Errorf("%s: %d formulas outside the disclosure", c.name, n)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(bytes.NewReader(shot))
		if err != nil || img.Bounds().Dx() != int(c.width) {
			t.Errorf("%s: screenshot %v, %v", c.name, img.Bounds(), err)
		}
		if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("%s.png", c.name)), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
