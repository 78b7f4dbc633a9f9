package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/analysis/report"
)

// Reporter builds competitive reports; *report.Builder and *report.Cache
// (the daemon's: a report built earlier, served while exact) implement it
// (they fill the configuration; the handlers fill period, end, networks
// and Now). The report it returns is shared: read it, never change it.
type Reporter interface {
	Report(ctx context.Context, req report.Request) (*report.Report, error)
}

// reportCSP lets the report page use its inline stylesheet; it runs no
// script at all.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// reportPeriods are the report form's period choices: report.Periods
// plus two names for ISO weeks a marketer asks for ("this week" is the
// current week so far, "last week" the last complete one).
var reportPeriods = []report.Choice{
	{Value: "this-week", Label: "This week (so far)"}, {Value: "last-week", Label: "Last week"},
	{Value: "28d", Label: "Last 28 days"}, {Value: "calendar-month", Label: "Month"},
	{Value: "quarter", Label: "Quarter"}, {Value: "custom", Label: "Custom range (start – ending)"},
	{Value: "week", Label: "Week holding the end date"}, {Value: "month", Label: "Four weeks"},
	{Value: "day", Label: "Day"},
}

// reportPeriodsKo are the period choices' labels on the Korean page
// (TestReportPeriodChoices holds them to reportPeriods).
var reportPeriodsKo = map[string]string{
	"this-week": "이번 주 (지금까지)", "last-week": "지난주", "28d": "최근 28일", "calendar-month": "월",
	"quarter": "분기", "custom": "직접 지정 (시작일 – 마지막 날)", "week": "마지막 날이 속한 주", "month": "4주", "day": "하루",
}

// periodChoices are reportPeriods labelled in lang.
func periodChoices(lang string) []report.Choice {
	if lang != "ko" {
		return reportPeriods
	}
	out := slices.Clone(reportPeriods)
	for i := range out {
		out[i].Label = reportPeriodsKo[out[i].Value]
	}
	return out
}

// reportQuery is what the report page and API were asked, as given.
type reportQuery struct {
	period, end, start, compare string
}

// parseReport reads period (reportPeriods' values), end (ignored by
// this-week), start (a custom period's first day, ignored by the others),
// compare_from (YYYY-MM-DD, read in the configured
// zone; end defaults per period, see report.Periods) and network.
func (s *Server) parseReport(v url.Values) (report.Request, reportQuery, error) {
	now := s.opts.Clock()
	req := report.Request{Period: "week", Now: now}
	q := reportQuery{period: "last-week"}
	for _, k := range []string{"period", "end", "start", "compare_from", "network", "fresh"} {
		if len(v[k]) > 1 {
			return req, q, errors.New(k + ": give it once")
		}
	}
	if p := v.Get("period"); p != "" {
		if !slices.ContainsFunc(reportPeriods, func(c report.Choice) bool { return c.Value == p }) {
			var names []string
			for _, c := range reportPeriods {
				names = append(names, c.Value)
			}
			return req, q, errors.New(`period: want one of ` + strings.Join(names, ", ") + `, got "` + truncateParam(p) + `"`)
		}
		req.Period, q.period = p, p
	}
	date := func(k string) (time.Time, error) {
		e := v.Get(k)
		if e == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.DateOnly, e)
		if err != nil || t.Year() < 1971 || t.Year() > 9000 {
			return t, errors.New(k + `: want a date like 2026-11-22, got "` + truncateParam(e) + `"`)
		}
		return t, nil
	}
	var err error
	if req.End, err = date("end"); err != nil {
		return req, q, err
	}
	if req.Start, err = date("start"); err != nil {
		return req, q, err
	}
	if req.CompareStart, err = date("compare_from"); err != nil {
		return req, q, err
	}
	q.end, q.start, q.compare = v.Get("end"), v.Get("start"), v.Get("compare_from")
	// fresh=1 asks for an exact report, never one served stale
	// (docs/report.md, "Cached reports").
	switch f := v.Get("fresh"); f {
	case "":
	case "1":
		req.Exact = true
	default:
		return req, q, errors.New(`fresh: want 1, got "` + truncateParam(f) + `"`)
	}
	switch req.Period {
	case "this-week": // the ISO week holding today, in the configured zone; end is ignored
		y, m, d := now.In(s.zone()).Date()
		req.Period, req.End = "week", time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	case "last-week":
		req.Period = "week"
	}
	known := s.currentNames().networks
	for _, n := range strings.Split(v.Get("network"), ",") {
		n = strings.TrimSpace(n)
		if n == "" || n == "all" {
			continue
		}
		if !slices.Contains(known, n) {
			return req, q, errors.New(`network: unknown network "` + truncateParam(n) + `"; known: ` + strings.Join(known, ", "))
		}
		req.Networks = append(req.Networks, n)
	}
	return req, q, nil
}

func truncateParam(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// buildReport answers errors itself and returns nil then.
func (s *Server) buildReport(w http.ResponseWriter, r *http.Request) (*report.Report, report.Request, reportQuery) {
	if s.opts.Reporter == nil {
		writeError(w, http.StatusNotFound, "not_found", "reports are not enabled on this server")
		return nil, report.Request{}, reportQuery{}
	}
	req, q, err := s.parseReport(r.URL.Query())
	if err != nil {
		badRequest(w, err.Error())
		return nil, req, q
	}
	if r.URL.Query().Get("format") == "csv" {
		req.Exact = true // a file carries no "as of" line: never stale figures
	}
	rep, err := s.opts.Reporter.Report(r.Context(), req)
	switch {
	case errors.Is(err, report.ErrBadRequest):
		badRequest(w, err.Error())
		return nil, req, q
	case err != nil:
		s.opts.Logger.Error().Err(err).Msg("report")
		writeError(w, http.StatusInternalServerError, "internal", "the report could not be built; see the daemon log")
		return nil, req, q
	}
	return rep, req, q
}

// reportFormats are the API's answers: JSON (default) or the report's own
// CSV export (UTF-8 BOM, one figure a row, docs/report.md#csv).
var reportFormats = []string{"json", "csv"}

func (s *Server) handleReportAPI(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	format := v.Get("format")
	if len(v["format"]) > 1 || format != "" && !slices.Contains(reportFormats, format) {
		badRequest(w, `format: want one of `+strings.Join(reportFormats, ", ")+`, got "`+truncateParam(strings.Join(v["format"], ","))+`"`)
		return
	}
	rep, _, _ := s.buildReport(w, r)
	if rep == nil {
		return
	}
	if format != "csv" {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, rep, "csv"); err != nil {
		s.opts.Logger.Error().Err(err).Msg("report csv")
		writeError(w, http.StatusInternalServerError, "internal", "the report could not be written as CSV")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+reportFile(rep.Meta)+`"`)
	_, _ = w.Write(buf.Bytes())
}

// reportFile names a downloaded report by its period and window:
// earshot-report-week-2026-11-16.csv.
func reportFile(m report.Meta) string {
	name := "earshot-report-" + m.Period
	if t, err := time.Parse(time.RFC3339, m.Start); err == nil {
		name += "-" + t.Format(time.DateOnly)
	}
	name += ".csv"
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '/' {
			return '_'
		}
		return r
	}, name)
}

// csvLink is the page's "Download as CSV" link: the same query against
// /api/report, as CSV (lang only changes the page's words).
func csvLink(q url.Values) string {
	v := url.Values{}
	for k, vals := range q {
		if k != "lang" && k != "format" && k != "fresh" {
			v[k] = vals
		}
	}
	v.Set("format", "csv")
	return "/api/report?" + v.Encode()
}

// freshLink is the stale line's "refresh now" link: the same page asked
// exact (fresh=1).
func freshLink(q url.Values) string {
	v := url.Values{}
	for k, vals := range q {
		v[k] = vals
	}
	v.Set("fresh", "1")
	return "/report?" + v.Encode()
}

func (s *Server) handleReportPage(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	if lang != "" && !slices.Contains(report.Languages, lang) {
		badRequest(w, `lang: want one of `+strings.Join(report.Languages, ", ")+`, got "`+truncateParam(lang)+`"`)
		return
	}
	rep, req, q := s.buildReport(w, r)
	if rep == nil {
		return
	}
	end := ""
	if t, err := time.Parse(time.RFC3339, rep.Meta.End); err == nil {
		end = t.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	network := ""
	if len(req.Networks) == 1 {
		network = req.Networks[0]
	}
	var buf bytes.Buffer
	nav := []report.NavLink{{Label: "Earshot", Href: "/"}, {Label: "Search", Href: "/"},
		{Label: "Report", Href: "/report", Current: true}, {Label: "Sources", Href: "/sources"}}
	err := report.RenderHTML(&buf, rep, report.HTMLOptions{FormAction: "/report", Networks: s.currentNames().networks,
		Network: network, Period: q.period, End: end, Nav: nav, SignOut: s.currentToken() != "",
		Periods: periodChoices(lang), Start: q.start, CompareStart: q.compare, Lang: lang, Langs: report.Languages,
		CSVHref: csvLink(r.URL.Query()), FreshHref: freshLink(r.URL.Query())})
	if err != nil {
		s.opts.Logger.Error().Err(err).Msg("report page")
		writeError(w, http.StatusInternalServerError, "internal", "the report page could not be rendered")
		return
	}
	w.Header().Set("Content-Security-Policy", reportCSP)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}
