package web

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestReportCSVExport: /api/report?format=csv is the report's own CSV
// (BOM, header) as a download named by its window, under the page's auth
// rules (a session cookie or the bearer token), and a format it does not
// write is a 400. The page links to it with the page's own query.
func TestReportCSVExport(t *testing.T) {
	f := &fakeReporter{}
	s := reportServer(t, f)
	s.SetToken(testToken)
	const target = "/api/report?period=month&end=2026-11-22&format=csv"
	if rec, _ := get(t, s, target); rec.Code != http.StatusUnauthorized {
		t.Errorf("without a session: %d", rec.Code)
	}
	cookie := sessionCookie + "=" + newSession(testToken, fixtureNow.Add(time.Hour))
	for _, hdr := range [][]string{{"Cookie", cookie}, {"Authorization", "Bearer " + testToken}} {
		rec, body := get(t, s, target, hdr...)
		if rec.Code != http.StatusOK || !strings.HasPrefix(body, "\ufeffsection,row,column,value,estimated\n") {
			t.Fatalf("%s: %d %.80q", hdr[0], rec.Code, body)
		}
		if ct, cd := rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"); ct != "text/csv; charset=utf-8" ||
			cd != `attachment; filename="earshot-report-month.csv"` { // the fake report has no start
			t.Errorf("%s: %q, %q", hdr[0], ct, cd)
		}
		if f.got.Period != "month" {
			t.Errorf("request %+v", f.got)
		}
	}
	if rec, body := get(t, s, "/api/report?format=xlsx", "Cookie", cookie); rec.Code != http.StatusBadRequest || !strings.Contains(body, "json, csv") {
		t.Errorf("format=xlsx: %d %s", rec.Code, body)
	}
	_, page := get(t, s, "/report?period=month&end=2026-11-22&lang=ko", "Cookie", cookie)
	if !strings.Contains(page, `id="download-csv" href="/api/report?end=2026-11-22&amp;format=csv&amp;period=month"`) {
		t.Errorf("the page does not link its CSV:\n%.2000s", page)
	}
}
