package digest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/png" // the screenshot is a PNG
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/internal/shots"
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

// TestHTMLRendersInChromium loads the HTML part (images inlined, as a mail
// client shows them) in headless Chromium under a strict CSP, in English
// and Korean, at 375 px (a phone) and 1,280 px: no horizontal overflow
// (scrollWidth ≤ innerWidth), the findings first, the sparklines loaded,
// no scripts or external loads, and a screenshot that is not blank, kept
// under shots.Dir.
func TestHTMLRendersInChromium(t *testing.T) {
	path := chromium(t)
	pages := map[string]string{}
	for _, lang := range []string{"en", "ko"} {
		pages["/"+lang] = renderFixture(t, config.Recipient{Email: "kim@acme.example", Name: "김민지", Lang: lang}).PreviewHTML()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src cid: data:")
		_, _ = w.Write([]byte(pages[r.URL.Path]))
	}))
	defer srv.Close()

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(1280, 900), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	defer cancelT()
	out := shots.Dir(t)
	eval := func(js string) any {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	for _, lang := range []string{"en", "ko"} {
		for _, width := range []int64{375, 1280} {
			name := fmt.Sprintf("digest-%s-%d", lang, width)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(srv.URL+"/"+lang),
				chromedp.WaitVisible(chromedp.ID("findings"))); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			sw, _ := eval(`document.documentElement.scrollWidth`).(float64)
			iw, _ := eval(`window.innerWidth`).(float64)
			if sw > iw || iw != float64(width) {
				t.Errorf("%s: scrollWidth %v > innerWidth %v (horizontal overflow)", name, sw, iw)
			}
			items, _ := eval(`document.querySelectorAll("#findings li").length`).(float64)
			first, _ := eval(`document.querySelector("#digest > div:nth-of-type(2)").id`).(string)
			if items < 3 || first != "findings" {
				t.Errorf("%s: %v findings, section after the header is %q", name, items, first)
			}
			imgs, _ := eval(`[...document.images].filter(i => i.complete && i.naturalWidth > 0 && i.alt).length`).(float64)
			if imgs != 3 {
				t.Errorf("%s: %v sparklines loaded with alt text, want 3", name, imgs)
			}
			if n, _ := eval(`performance.getEntriesByType("resource").filter(r => !r.name.startsWith("data:")).length`).(float64); n != 0 {
				t.Errorf("%s: the page loaded %v external resources", name, n)
			}
			if n, _ := eval(`document.scripts.length`).(float64); n != 0 {
				t.Errorf("%s: %v scripts in the digest", name, n)
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 = PNG
			if err != nil {
				t.Fatal(err)
			}
			img, _, err := image.Decode(bytes.NewReader(shot))
			if err != nil {
				t.Fatalf("%s: screenshot: %v", name, err)
			}
			if b := img.Bounds(); b.Dx() != int(width) || b.Dy() < 600 || colours(img) < 8 {
				t.Errorf("%s: screenshot %v with %d colours: blank or broken", name, b, colours(img))
			}
			if err := os.WriteFile(filepath.Join(out, name+".png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	text, _ := eval(`document.getElementById("digest").innerText`).(string)
	if m := contains(text, "이번 주 달라진 점", "아크미 배터리 방전 문제 <심각>", "네이버 점유율 40%", "방전 (×6.2)", "전체 리포트 보기"); m != "" {
		t.Errorf("rendered Korean text misses %s:\n%s", m, text)
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
