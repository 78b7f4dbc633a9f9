package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"
)

// uiFS holds the templates, static assets and the OpenAPI document.
//
//go:embed ui/*.html ui/static ui/openapi.json
var uiFS embed.FS

// templates are parsed once: each page is the layout plus its own file.
var templates = parsePages("search.html", "sources.html", "login.html", "alerts.html")

func parsePages(pages ...string) map[string]*template.Template {
	out := make(map[string]*template.Template, len(pages))
	for _, p := range pages {
		out[p] = template.Must(template.New(p).Funcs(funcs).ParseFS(uiFS, "ui/layout.html", "ui/"+p))
	}
	return out
}

var funcs = template.FuncMap{
	"snippet":  safeSnippet,
	"text":     display,
	"title":    titleText,
	"titleCut": titleCut,
	"href":     safeHref,
	"isotime":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"showtime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"join":     strings.Join,
	"number":   number,
	"sentimentIcon": func(label string) string {
		switch label {
		case "positive":
			return "▲"
		case "negative":
			return "▼"
		case "neutral":
			return "●"
		}
		return ""
	},
}

// page is what every template's layout needs.
type page struct {
	Title     string
	Nav       string // active navigation entry: search, sources, report
	Version   string
	Auth      bool // a token is required (the user is signed in)
	HasReport bool // GET /report is served
	HasAlerts bool // an alert history is configured
}

func (s *Server) page(r *http.Request, nav string) page {
	probe, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "/report", nil)
	_, pattern := s.mux.Handler(probe)
	return page{Nav: nav, Version: s.opts.Version, Auth: s.currentToken() != "", HasReport: pattern != "/" && pattern != "", HasAlerts: s.opts.Alerts != nil}
}

// render executes a page template into a buffer first, so that a template
// error is a clean 500 and never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t := templates[name]
	var buf bytes.Buffer
	if t == nil {
		s.opts.Logger.Error().Str("template", name).Msg("unknown template")
		writeError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.opts.Logger.Error().Err(err).Str("template", name).Str("path", r.URL.Path).Msg("render failed")
		writeError(w, http.StatusInternalServerError, "internal", "could not render the page; see the daemon log")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	b, err := uiFS.ReadFile("ui/openapi.json")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "openapi document missing from the build")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}
