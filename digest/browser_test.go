package digest

import (
	"bytes"
	"context"
	"image"
	_ "image/png" // the screenshot is a PNG
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/earshot/earshot/config"
)

// chromium finds a Chromium. Under CI (CI set) a missing browser fails the
// test (.ci/run installs Debian's chromium); locally it is skipped.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found: the digest rendering test needs it under CI (apt-get install -y chromium)")
	}
	t.Skip("chromium not found; apt-get install -y chromium to run this test (under CI=true it fails)")
	return ""
}

// TestHTMLRendersInChromium loads the HTML part in headless Chromium, as a
// mail client's web view would (a strict CSP: no scripts, no external
// loads), takes a screenshot and checks that the content is laid out and
// visible: text in the rendered DOM, tables and bars with real widths, a
// screenshot that is not blank.
func TestHTMLRendersInChromium(t *testing.T) {
	path := chromium(t)
	r := renderFixture(t, config.Recipient{Email: "kim@acme.example", Name: "김민지"})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src cid: data:")
		_, _ = w.Write([]byte(r.HTML))
	}))
	defer srv.Close()

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(800, 900), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.ID("digest"))); err != nil {
		t.Fatal(err)
	}
	eval := func(js string) any {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	text, _ := eval(`document.getElementById("digest").innerText`).(string)
	if m := contains(text, "Acme · 2026-11-16 – 2026-11-22", "Hacker News: Globex leads with 55.3%", "아크미 배터리 방전 문제 <심각>",
		"네이버 점유율 40%", "방전 (×6.2)", "Open the full report"); m != "" {
		t.Errorf("rendered text misses %s:\n%s", m, text)
	}
	if w, _ := eval(`document.getElementById("digest").getBoundingClientRect().width`).(float64); w < 600 || w > 660 {
		t.Errorf("digest table width = %v, want about 640px", w)
	}
	// Every share-of-voice table and every non-empty bar has a width.
	widths, _ := eval(`[...document.querySelectorAll("table.sov")].map(e => e.getBoundingClientRect().width)`).([]any)
	if len(widths) != 3 {
		t.Errorf("%d share-of-voice tables, want 3", len(widths))
	}
	for i, w := range widths {
		if f, _ := w.(float64); f <= 100 {
			t.Errorf("share-of-voice table %d is %vpx wide", i, w)
		}
	}
	bars, _ := eval(`[...document.querySelectorAll("table.bar td[width]")].map(e => [e.getAttribute("width"), e.getBoundingClientRect().width, e.parentElement.getBoundingClientRect().width])`).([]any)
	if len(bars) != 9 {
		t.Errorf("%d bars, want 9 (3 brands × 3 networks)", len(bars))
	}
	for _, b := range bars {
		row, _ := b.([]any)
		if len(row) != 3 {
			continue
		}
		pct := strings.TrimSuffix(row[0].(string), "%")
		got, total := row[1].(float64), row[2].(float64)
		var want float64
		for _, c := range pct {
			want = want*10 + float64(c-'0')
		}
		if got <= 0 || total <= 0 || (want >= 10 && (got/total*100 < want-8 || got/total*100 > want+8)) {
			t.Errorf("bar %s%% is %.0fpx of %.0fpx", pct, got, total)
		}
	}
	if n, _ := eval(`performance.getEntriesByType("resource").length`).(float64); n != 0 {
		t.Errorf("the page loaded %v external resources", n)
	}
	if n, _ := eval(`document.scripts.length`).(float64); n != 0 {
		t.Errorf("%v scripts in the digest", n)
	}
	href, _ := eval(`document.getElementById("report-link").href`).(string)
	if href != "http://127.0.0.1:8089/report?end=2026-11-22&period=week" {
		t.Errorf("report link = %q", href)
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 = PNG
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 640 || b.Dy() < 600 {
		t.Errorf("screenshot is %v", b)
	}
	if n := colours(img); n < 8 {
		t.Errorf("screenshot has %d colours: blank or broken", n)
	}
	if dir := os.Getenv("EARSHOT_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "digest.png"), shot, 0o644)
	}
}

// colours counts distinct colours on a coarse grid (cheap, enough to tell
// a rendered page from a blank one).
func colours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 12, g >> 12, bl >> 12}] = true
		}
	}
	return len(seen)
}
