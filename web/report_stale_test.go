package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/earshot/earshot/analysis/report"
)

// staleReporter answers fakeReporter's report, marked stale (as
// report.Cache serves it while rebuilding) unless asked exact.
type staleReporter struct{ fakeReporter }

func (f *staleReporter) Report(ctx context.Context, req report.Request) (*report.Report, error) {
	rep, err := f.fakeReporter.Report(ctx, req)
	if err == nil && !req.Exact {
		age := int64(40)
		rep.Meta.Stale, rep.Meta.StaleAge, rep.Meta.Generated = true, &age, "2026-11-25T18:00:02+09:00"
	}
	return rep, err
}

// The report page shows one line when the report is stale, in the page's
// language, with a link asking the same report exact; never otherwise.
func TestReportPageStaleLine(t *testing.T) {
	f := &staleReporter{}
	s := newFixtureServer(t, &fakeSearcher{}, "", nil)
	s.opts.Reporter = f
	for lang, want := range map[string]string{
		"en": "Figures as of 18:00:02 (40 s ago); data this report reads changed since and is being added — reload in a few seconds.",
		"ko": "18:00:02 기준 수치입니다 (40초 전).",
	} {
		rec, body := get(t, s, "/report?network=reddit&lang="+lang)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", lang, rec.Code)
		}
		mustContain(t, body, `id="stale"`, want, `<a id="refresh" href="/report?fresh=1&amp;lang=`+lang+`&amp;network=reddit">`)
		if f.got.Exact {
			t.Errorf("%s: the page asked an exact report without fresh=1", lang)
		}
	}
	_, body := get(t, s, "/report?network=reddit&fresh=1")
	if !f.got.Exact || strings.Contains(body, `id="stale"`) || strings.Contains(body, "Figures as of") {
		t.Errorf("fresh=1: exact %v, stale line shown %v", f.got.Exact, strings.Contains(body, `id="stale"`))
	}
	_, body = get(t, reportServer(t, &fakeReporter{}), "/report")
	if strings.Contains(body, `id="stale"`) {
		t.Error("an exact report shows the stale line")
	}
}

// The API asks an exact report for fresh=1 and for CSV, a stale-marked
// one may come otherwise; fresh takes 1 only.
func TestReportAPIFresh(t *testing.T) {
	f := &fakeReporter{}
	s := reportServer(t, f)
	for q, exact := range map[string]bool{"": false, "fresh=1": true, "format=csv": true, "format=json": false} {
		if rec, body := get(t, s, "/api/report?"+q); rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", q, rec.Code, body)
		}
		if f.got.Exact != exact {
			t.Errorf("%s: exact %v, want %v", q, f.got.Exact, exact)
		}
	}
	for _, q := range []string{"fresh=yes", "fresh=1&fresh=1"} {
		if rec, body := get(t, s, "/api/report?"+q); rec.Code != http.StatusBadRequest || !strings.Contains(body, "fresh") {
			t.Errorf("%s: %d %s", q, rec.Code, body)
		}
	}
	stale := newFixtureServer(t, &fakeSearcher{}, "", nil)
	stale.opts.Reporter = &staleReporter{}
	_, body := get(t, stale, "/api/report")
	mustContain(t, body, `"stale":true`, `"stale_age_s":40`)
	if _, body := get(t, s, "/api/report"); strings.Contains(body, `"stale`) {
		t.Error("an exact report carries stale fields")
	}
}
