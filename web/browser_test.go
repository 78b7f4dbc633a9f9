package web

import (
	"context"
	"encoding/csv"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/earshot/earshot/analysis/report"
	"github.com/earshot/earshot/config"
)

// chromiumPath finds a Chromium. Under CI (CI set) a missing browser fails
// the test: .ci/run installs the Debian package chromium. Locally the
// browser tests are skipped with a message.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found: the browser tests need it under CI (apt-get install -y chromium)")
	}
	t.Skip("chromium not found; install it (apt-get install -y chromium) to run the browser tests; under CI=true this fails")
	return ""
}

// browserCtx starts a fresh headless Chromium for one test. Every dialog
// (alert, confirm, prompt) is recorded and dismissed.
func browserCtx(t *testing.T) (context.Context, *[]string) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	var mu sync.Mutex
	dialogs := &[]string{}
	events := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			*dialogs = append(*dialogs, ev.Message)
			mu.Unlock()
			_, _ = chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return ctx, dialogs
}

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// waitLocation waits (bounded) until the page's URL contains part and the
// document has loaded; evaluations during the navigation itself may fail.
func waitLocation(t *testing.T, ctx context.Context, part string) {
	t.Helper()
	var last string
	for i := 0; i < 200; i++ {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.href : ""`))
		if err == nil && strings.Contains(v, part) {
			return
		}
		last = v
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the browser did not reach a page with %q (last at %q)", part, last)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// TestBrowserSignInSearchAndMalformedQuery signs in with the token, searches
// with a brand filter through the form, then submits a malformed query.
func TestBrowserSignInSearchAndMalformedQuery(t *testing.T) {
	srv := httptest.NewServer(newFixtureServer(t, openFixtureStore(t), testToken, nil))
	defer srv.Close()
	ctx, dialogs := browserCtx(t)

	// Not signed in: the UI sends the browser to the login form.
	run(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("token")))
	run(t, ctx,
		chromedp.SendKeys(chromedp.ID("token"), testToken),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.ID("q")),
	)
	if loc := eval[string](t, ctx, "location.pathname"); loc != "/" {
		t.Fatalf("after sign-in at %s", loc)
	}
	if c := eval[string](t, ctx, "document.cookie"); strings.Contains(c, "earshot_session") {
		t.Error("session cookie readable from script: it must be HttpOnly")
	}

	// Search with a filter, through the form, keyboard only: "/" focuses the box.
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`select[name="brand"]`), "Globex"),
		chromedp.Evaluate[chromedp.Void](`document.body.focus()`),
	)
	run(t, ctx, chromedp.KeyEvent("/"))
	if a := eval[string](t, ctx, "document.activeElement && document.activeElement.id"); a != "q" {
		t.Errorf(`"/" focused %q, want the query box`, a)
	}
	run(t, ctx,
		chromedp.SendKeys(chromedp.ID("q"), "battery"),
		chromedp.Submit(chromedp.ID("q")),
	)
	// The start page lists hits too: wait until the browser is on the
	// submitted search's page before reading them.
	waitLocation(t, ctx, "brand=Globex")
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS("ol.hits li.hit")))
	ids := eval[[]string](t, ctx, `[...document.querySelectorAll("li.hit")].map(e => e.dataset.id)`)
	if strings.Join(ids, ",") != "hackernews:41234600,hackernews:41234567" {
		t.Errorf("hits = %v, want the two Globex battery mentions", ids)
	}
	if h := eval[string](t, ctx, `document.getElementById("results-heading").textContent`); !strings.Contains(h, "of 2") {
		t.Errorf("heading = %q", h)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("li.hit mark").length`); n == 0 {
		t.Error("no highlighted words")
	}

	// A malformed query: a 400 page with the message and the spot.
	run(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	run(t, ctx,
		chromedp.SendKeys(chromedp.ID("q"), `battery AND (charger OR`),
		chromedp.Submit(chromedp.ID("q")),
		chromedp.WaitVisible(chromedp.ID("q-error")),
	)
	msg := eval[string](t, ctx, `document.getElementById("q-error").textContent`)
	if !strings.HasPrefix(msg, "q: ") {
		t.Errorf("error message = %q", msg)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("li.hit").length`); n != 0 {
		t.Errorf("%d hits shown for a malformed query", n)
	}
	// The live check (JavaScript) shows the error while typing, before submitting.
	run(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	run(t, ctx, chromedp.SendKeys(chromedp.ID("q"), `"unterminated`), chromedp.WaitVisible(chromedp.ID("q-error")))
	if live := eval[string](t, ctx, `document.getElementById("q-error").textContent`); !strings.Contains(live, "q:") {
		t.Errorf("live error = %q", live)
	}

	// Sign out from the header: back on the login form, and the pages ask
	// for the token again.
	run(t, ctx,
		chromedp.Navigate(srv.URL+"/sources"), chromedp.WaitVisible(chromedp.CSS(`form.logout button`)),
		chromedp.Click(chromedp.CSS(`form.logout button`)),
		chromedp.WaitVisible(chromedp.ID("token")),
	)
	run(t, ctx, chromedp.Navigate(srv.URL+"/sources"), chromedp.WaitVisible(chromedp.ID("token")))
	if loc := eval[string](t, ctx, "location.pathname"); loc != "/login" {
		t.Errorf("after signing out, /sources shows %s", loc)
	}
	if len(*dialogs) != 0 {
		t.Errorf("dialogs opened: %v", *dialogs)
	}
}

// TestBrowserExportDownloadsCSV clicks the export link and reads the file.
func TestBrowserExportDownloadsCSV(t *testing.T) {
	srv := httptest.NewServer(newFixtureServer(t, openFixtureStore(t), "", nil))
	defer srv.Close()
	ctx, _ := browserCtx(t)
	dir := t.TempDir()
	run(t, ctx, chromedp.Navigate(srv.URL+"/?brand=Acme&sort=newest"), chromedp.WaitVisible(chromedp.ID("export-csv")))
	enabled := true
	if _, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled,
	}); err != nil {
		t.Fatal(err)
	}
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	run(t, ctx, chromedp.Click(chromedp.ID("export-csv")))
	var guid string
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("download cancelled")
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	// The browser keeps the UTF-8 BOM Excel needs to read Korean.
	body, ok := strings.CutPrefix(string(b), csvBOM)
	if !ok {
		t.Errorf("downloaded CSV lacks the UTF-8 BOM: % x", b[:min(len(b), 8)])
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	want := "hackernews:41234567,rss:https://techcrunch.example/2026/11/23/acme-pricing,mastodon:1133557799,naver:blog-223344,rss:https://evil.example/post"
	if rows[0][0] != "id" || strings.Join(ids, ",") != want {
		t.Errorf("downloaded rows %v, want %s", ids, want)
	}
}

// TestBrowserHostileMentionDoesNotExecute shows the XSS fixture and checks
// that nothing of it ran: no dialog, no window.__xss, no injected element,
// and that hovering and clicking its parts changes nothing.
func TestBrowserHostileMentionDoesNotExecute(t *testing.T) {
	srv := httptest.NewServer(newFixtureServer(t, openFixtureStore(t), "", nil))
	defer srv.Close()
	ctx, dialogs := browserCtx(t)
	run(t, ctx, chromedp.Navigate(srv.URL+"/?q=xssprobe"), chromedp.WaitVisible(chromedp.CSS("li.hit")))
	before := eval[string](t, ctx, `document.querySelector("ol.hits").innerHTML`)
	// Hover and click everything in the hit: event attributes, if any
	// survived, would fire now.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`for (const el of document.querySelectorAll("li.hit *")) {
		for (const type of ["mouseover", "click", "focus", "load", "error"]) el.dispatchEvent(new Event(type, {bubbles: true}));
	}`))
	time.Sleep(300 * time.Millisecond) // let any injected timers or handlers run
	if v := eval[string](t, ctx, `typeof window.__xss`); v != "undefined" {
		t.Errorf("window.__xss is %s: the hostile post ran", v)
	}
	if len(*dialogs) != 0 {
		t.Errorf("dialogs opened: %v", *dialogs)
	}
	if n := eval[int](t, ctx, `document.scripts.length`); n != 1 {
		t.Errorf("%d script elements, want only /static/app.js", n)
	}
	bad := eval[int](t, ctx, `document.querySelectorAll("li.hit img, li.hit svg, li.hit script, li.hit b, li.hit i, li.hit [onerror], li.hit [onload], li.hit [onclick], li.hit [onmouseover], a[href^='javascript:' i]").length`)
	if bad != 0 {
		t.Errorf("%d injected elements or attributes", bad)
	}
	if after := eval[string](t, ctx, `document.querySelector("ol.hits").innerHTML`); after != before {
		t.Error("the results changed after hovering and clicking: something ran")
	}
	text := eval[string](t, ctx, `document.querySelector("li.hit").textContent`)
	for _, want := range []string{"<script>window.__xss=1</script>", `<img src=x onerror="window.__xss=2">`, "<svg onload="} {
		if !strings.Contains(text, want) {
			t.Errorf("the hostile text should show as text, lacks %q", want)
		}
	}
}

const reportConfig = `[earshot]
timezone = "UTC"

[[brand]]
name = "Acme"
own = true
terms = ["아크미"]

[[brand]]
name = "Globex"
terms = ["글로벡스"]

[[brand]]
name = "Initech"
terms = ["이니텍"]
`

// TestBrowserReportShowsCharts opens /report over the fixture store with
// the real report builder and checks that its charts are drawn.
func TestBrowserReportShowsCharts(t *testing.T) {
	cfg, err := config.Parse([]byte(reportConfig), "report.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	st := openFixtureStore(t)
	s := newFixtureServer(t, st, "", nil)
	s.opts.Reporter = report.NewBuilder(st, func() *config.Config { return cfg })
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, dialogs := browserCtx(t)
	run(t, ctx, chromedp.Navigate(srv.URL+"/report?period=week&end=2026-11-25"), chromedp.WaitVisible(chromedp.CSS(`svg[role="img"]`)))
	charts := eval[int](t, ctx, `document.querySelectorAll('svg[role="img"]').length`)
	marks := eval[int](t, ctx, `document.querySelectorAll('svg[role="img"] rect, svg[role="img"] path, svg[role="img"] polyline, svg[role="img"] line').length`)
	if charts == 0 || marks == 0 {
		t.Errorf("report page: %d charts with %d drawn marks", charts, marks)
	}
	text := eval[string](t, ctx, `document.body.innerText`)
	for _, want := range []string{"Acme", "Globex"} {
		if !strings.Contains(text, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	if n := eval[int](t, ctx, `document.scripts.length`); n != 0 || len(*dialogs) != 0 {
		t.Errorf("report page runs %d scripts, %d dialogs", n, len(*dialogs))
	}
	// The UI's navigation bar leads back from the report.
	run(t, ctx, chromedp.Click(chromedp.CSS(`nav.top a[href="/sources"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/sources"][aria-current="page"]`)))
	if loc := eval[string](t, ctx, "location.pathname"); loc != "/sources" {
		t.Errorf("the report's Sources link led to %s", loc)
	}
}
