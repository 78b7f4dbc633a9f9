package web

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot/listener/ingest"
)

func (s *Server) handleMention(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" || len(id) > 2048 || !strings.Contains(id, ":") {
		badRequest(w, "id: expected <network>:<native id>, e.g. hackernews:41234567")
		return
	}
	m, ok, err := s.opts.Searcher.Get(id)
	if err != nil {
		s.opts.Logger.Error().Err(err).Str("id", id).Msg("get mention failed")
		writeError(w, http.StatusInternalServerError, "internal", "could not read the mention; see the daemon log")
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no mention with id "+id)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// SourceStatus is one source in GET /api/sources.
type SourceStatus struct {
	Name                string        `json:"name"`
	Network             string        `json:"network"`
	Healthy             bool          `json:"healthy"`
	LastSuccess         *time.Time    `json:"last_success,omitempty"`
	LastAttempt         *time.Time    `json:"last_attempt,omitempty"`
	NextRun             *time.Time    `json:"next_run,omitempty"`
	LastError           string        `json:"last_error,omitempty"`
	LastErrorAt         *time.Time    `json:"last_error_at,omitempty"`
	ConsecutiveFailures int           `json:"consecutive_failures"`
	PostsFetched        int64         `json:"posts_fetched"`
	MentionsStored      int64         `json:"mentions_stored"`
	Duplicates          int64         `json:"duplicates"`
	LastDurationMS      int64         `json:"last_duration_ms"`
	Throttled           bool          `json:"throttled"`
	Silent              bool          `json:"silent"`
	LastNew             *time.Time    `json:"last_new,omitempty"`
	TypicalGapSeconds   int64         `json:"typical_gap_seconds,omitempty"`
	Budget              *BudgetStatus `json:"budget,omitempty"`
}

// BudgetStatus is today's use of a source's daily budget.
type BudgetStatus struct {
	Used   int       `json:"used"`
	Limit  int       `json:"limit"`
	Resets time.Time `json:"resets"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// ToSourceStatus converts scheduler health for the API.
func ToSourceStatus(h ingest.SourceHealth) SourceStatus {
	out := SourceStatus{
		Name: h.Name, Network: h.Network, Healthy: h.Healthy,
		LastSuccess: optTime(h.LastSuccess), LastAttempt: optTime(h.LastAttempt), NextRun: optTime(h.NextRun),
		LastError: h.LastError, LastErrorAt: optTime(h.LastErrorAt),
		ConsecutiveFailures: h.ConsecutiveFailures, PostsFetched: h.PostsFetched,
		MentionsStored: h.MentionsStored, Duplicates: h.Duplicates, LastDurationMS: h.LastDuration.Milliseconds(),
		Throttled: h.Throttled, Silent: h.Silent, LastNew: optTime(h.LastNew),
		TypicalGapSeconds: int64(h.TypicalGap.Seconds()),
	}
	if h.Budget != nil {
		out.Budget = &BudgetStatus{Used: h.Budget.Used, Limit: h.Budget.Limit, Resets: h.Budget.Resets}
	}
	return out
}

func (s *Server) handleSources(w http.ResponseWriter, r *http.Request) {
	out := []SourceStatus{}
	if s.opts.Health != nil {
		for _, h := range s.opts.Health.Health() {
			out = append(out, ToSourceStatus(h))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"sources": out})
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	if s.opts.Stats == nil {
		writeError(w, http.StatusNotFound, "not_found", "no store statistics on this server")
		return
	}
	writeJSON(w, http.StatusOK, s.opts.Stats.Stats())
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.opts.Version})
}

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Earshot</title></head>
<body>
<h1>Earshot</h1>
<p>Social listening and competitor monitoring. This endpoint serves a JSON API:</p>
<form action="/api/search" method="get">
<label for="q">Search mentions</label>
<input id="q" name="q" placeholder='battery OR "customer support"'>
<label for="brand">Brand</label>
<select id="brand" name="brand"><option value="">any</option>{{range .Brands}}<option>{{.}}</option>{{end}}</select>
<label for="network">Network</label>
<select id="network" name="network"><option value="">any</option>{{range .Networks}}<option>{{.}}</option>{{end}}</select>
<button type="submit">Search</button>
</form>
<ul>
<li><a href="/api/search?q=battery">/api/search?q=battery</a> — search (q, brand, network, lang, kind, from, to, sort, page, size)</li>
<li><a href="/api/sources">/api/sources</a> — source health</li>
<li><a href="/healthz">/healthz</a></li>
</ul>
</body></html>
`))

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = indexTmpl.Execute(w, map[string][]string{"Brands": s.opts.Brands, "Networks": s.opts.Networks})
}
