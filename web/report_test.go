package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/earshot/earshot/analysis/report"
)

// fakeReporter records the request and answers a small report whose own
// brand carries hostile text.
type fakeReporter struct {
	got report.Request
	err error
}

func (f *fakeReporter) Report(_ context.Context, req report.Request) (*report.Report, error) {
	f.got = req
	if f.err != nil {
		return nil, f.err
	}
	return &report.Report{Own: "<b>Acme</b>", Brands: []string{"<b>Acme</b>", "Globex"},
		Meta: report.Meta{Period: req.Period, End: "2026-11-23T00:00:00Z", Timezone: "UTC", FormulaVersion: report.FormulaVersion}}, nil
}

func reportServer(t *testing.T, f *fakeReporter) *Server {
	s := newFixtureServer(t, &fakeSearcher{}, "", nil)
	s.opts.Reporter = f
	return s
}

func TestReportAPIParams(t *testing.T) {
	f := &fakeReporter{}
	s := reportServer(t, f)
	rec, body := get(t, s, "/api/report?period=month&end=2026-11-22&network=reddit,naver")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	if f.got.Period != "month" || !f.got.End.Equal(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)) ||
		strings.Join(f.got.Networks, ",") != "reddit,naver" || !f.got.Now.Equal(fixtureNow) {
		t.Errorf("request = %+v", f.got)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(body), &r); err != nil || r.Own != "<b>Acme</b>" {
		t.Errorf("body = %s (%v)", body, err)
	}
	if _, _ = get(t, s, "/api/report"); f.got.Period != "week" || !f.got.End.IsZero() {
		t.Errorf("defaults = %+v", f.got)
	}
}

func TestReportBadParamsAre400(t *testing.T) {
	s := reportServer(t, &fakeReporter{})
	for _, q := range []string{"period=year", "end=22/11/2026", "end=0001-01-01", "network=myspace", "period=week&period=day"} {
		rec, body := get(t, s, "/api/report?"+q)
		if rec.Code != http.StatusBadRequest || !strings.Contains(body, `"bad_request"`) {
			t.Errorf("%s: %d %s", q, rec.Code, body)
		}
	}
	f := &fakeReporter{err: fmt.Errorf("%w: unknown period", report.ErrBadRequest)}
	if rec, _ := get(t, reportServer(t, f), "/api/report"); rec.Code != http.StatusBadRequest {
		t.Errorf("report.ErrBadRequest answered %d", rec.Code)
	}
	f = &fakeReporter{err: fmt.Errorf("disk on fire")}
	if rec, body := get(t, reportServer(t, f), "/report"); rec.Code != http.StatusInternalServerError || strings.Contains(body, "fire") {
		t.Errorf("internal error answered %d %s", rec.Code, body)
	}
	if rec, _ := get(t, newFixtureServer(t, &fakeSearcher{}, "", nil), "/api/report"); rec.Code != http.StatusNotFound {
		t.Errorf("no reporter answered %d", rec.Code)
	}
}

func TestReportPageEscapesAndRunsNoScript(t *testing.T) {
	s := reportServer(t, &fakeReporter{})
	rec, body := get(t, s, "/report?network=reddit")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	csp := rec.Header().Get("Content-Security-Policy")
	if strings.Contains(csp, "script-src") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("csp = %q", csp)
	}
	if strings.Contains(body, "<b>Acme") || !strings.Contains(body, "&lt;b&gt;Acme") || strings.Contains(body, "<script") {
		t.Error("page does not escape the brand or carries a script")
	}
	mustContain(t, body, `action="/report"`, `<option value="reddit" selected>`, `name="end" value="2026-11-22"`)
}

// TestReportPageHasTheUINavigation checks the report page carries the UI's
// links, marks itself as current, and offers to sign out only when a token
// is set.
func TestReportPageHasTheUINavigation(t *testing.T) {
	s := reportServer(t, &fakeReporter{})
	_, body := get(t, s, "/report")
	mustContain(t, body, `<nav class="top" aria-label="Main">`, `<a href="/sources">Sources</a>`, `<a href="/report" aria-current="page">Report</a>`)
	if strings.Contains(body, `action="/logout"`) {
		t.Error("sign-out offered on a server without a token")
	}
	s.SetToken(testToken)
	req := httptest.NewRequest(http.MethodGet, "/report", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<form method="post" action="/logout">`) {
		t.Errorf("with a token: %d, sign-out form missing", rec.Code)
	}
}
