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

// Reporter builds competitive reports; *report.Builder implements it (it
// fills the configuration; the handlers fill period, end, networks and Now).
type Reporter interface {
	Report(ctx context.Context, req report.Request) (*report.Report, error)
}

// reportCSP lets the report page use its inline stylesheet; it runs no
// script at all.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// parseReport reads period, end (YYYY-MM-DD, default yesterday) and network.
func (s *Server) parseReport(v url.Values) (report.Request, error) {
	now := s.opts.Clock()
	req := report.Request{Period: "week", Now: now}
	for _, k := range []string{"period", "end", "network"} {
		if len(v[k]) > 1 {
			return req, errors.New(k + ": give it once")
		}
	}
	if p := v.Get("period"); p != "" {
		if p != "day" && p != "week" && p != "month" {
			return req, errors.New(`period: want day, week or month, got "` + truncateParam(p) + `"`)
		}
		req.Period = p
	}
	if e := v.Get("end"); e != "" {
		t, err := time.Parse(time.DateOnly, e)
		if err != nil || t.Year() < 1971 || t.Year() > 9000 {
			return req, errors.New(`end: want a date like 2026-11-22, got "` + truncateParam(e) + `"`)
		}
		req.End = t
	}
	known := s.currentNames().networks
	for _, n := range strings.Split(v.Get("network"), ",") {
		n = strings.TrimSpace(n)
		if n == "" || n == "all" {
			continue
		}
		if !slices.Contains(known, n) {
			return req, errors.New(`network: unknown network "` + truncateParam(n) + `"; known: ` + strings.Join(known, ", "))
		}
		req.Networks = append(req.Networks, n)
	}
	return req, nil
}

func truncateParam(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// buildReport answers errors itself and returns nil then.
func (s *Server) buildReport(w http.ResponseWriter, r *http.Request) (*report.Report, report.Request) {
	if s.opts.Reporter == nil {
		writeError(w, http.StatusNotFound, "not_found", "reports are not enabled on this server")
		return nil, report.Request{}
	}
	req, err := s.parseReport(r.URL.Query())
	if err != nil {
		badRequest(w, err.Error())
		return nil, req
	}
	rep, err := s.opts.Reporter.Report(r.Context(), req)
	switch {
	case errors.Is(err, report.ErrBadRequest):
		badRequest(w, err.Error())
		return nil, req
	case err != nil:
		s.opts.Logger.Error().Err(err).Msg("report")
		writeError(w, http.StatusInternalServerError, "internal", "the report could not be built; see the daemon log")
		return nil, req
	}
	return rep, req
}

func (s *Server) handleReportAPI(w http.ResponseWriter, r *http.Request) {
	if rep, _ := s.buildReport(w, r); rep != nil {
		writeJSON(w, http.StatusOK, rep)
	}
}

func (s *Server) handleReportPage(w http.ResponseWriter, r *http.Request) {
	rep, req := s.buildReport(w, r)
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
		Network: network, Period: req.Period, End: end, Nav: nav, SignOut: s.currentToken() != ""})
	if err != nil {
		s.opts.Logger.Error().Err(err).Msg("report page")
		writeError(w, http.StatusInternalServerError, "internal", "the report page could not be rendered")
		return
	}
	w.Header().Set("Content-Security-Policy", reportCSP)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}
