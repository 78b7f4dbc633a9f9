package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/earshot/earshot/web/metrics"
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
	Degraded            bool          `json:"degraded"`
	Warnings            []string      `json:"warnings,omitempty"`
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

// ToSourceStatus converts a source's health for the API.
func ToSourceStatus(h metrics.SourceHealth) SourceStatus {
	out := SourceStatus{
		Name: h.Name, Network: h.Network, Healthy: h.Healthy,
		LastSuccess: optTime(h.LastSuccess), LastAttempt: optTime(h.LastAttempt), NextRun: optTime(h.NextRun),
		LastError: h.LastError, LastErrorAt: optTime(h.LastErrorAt),
		ConsecutiveFailures: h.ConsecutiveFailures, PostsFetched: h.PostsFetched,
		MentionsStored: h.MentionsStored, Duplicates: h.Duplicates, LastDurationMS: h.LastDuration.Milliseconds(),
		Throttled: h.Throttled, Silent: h.Silent, LastNew: optTime(h.LastNew),
		TypicalGapSeconds: int64(h.TypicalGap.Seconds()), Degraded: h.Degraded, Warnings: h.Warnings,
	}
	if h.Budget != nil {
		out.Budget = &BudgetStatus{Used: h.Budget.Used, Limit: h.Budget.Limit, Resets: h.Budget.Resets}
	}
	return out
}

// SourcesResponse is the body of GET /api/sources.
type SourcesResponse struct {
	Sources []SourceStatus `json:"sources"`
	// Config is the running configuration's state; ConfigError repeats its
	// Error (the last rejected reload) at the top level for scripts.
	Config      *ConfigStatus `json:"config,omitempty"`
	ConfigError string        `json:"config_error,omitempty"`
	// AlertChannels are the alert channels' delivery queues (failures
	// show as retrying with the last error).
	AlertChannels []AlertChannelStatus `json:"alert_channels,omitempty"`
}

// ConfigStatus tells which configuration runs and why a reload failed.
type ConfigStatus struct {
	File     string    `json:"file,omitempty"`
	LoadedAt time.Time `json:"loaded_at"`
	Reloads  int       `json:"reloads"` // successful reloads since start
	// Error is why the last reload was rejected ("" when it succeeded or
	// none was tried); the previous configuration keeps running.
	Error   string     `json:"error,omitempty"`
	ErrorAt *time.Time `json:"error_at,omitempty"`
	// RestartNeeded names settings changed in the file that only a restart
	// applies (listen, data_dir).
	RestartNeeded []string `json:"restart_needed,omitempty"`
}

// ConfigReporter reports the running configuration's state.
type ConfigReporter interface {
	ConfigStatus() ConfigStatus
}

func (s *Server) sourcesResponse() SourcesResponse {
	out := SourcesResponse{Sources: []SourceStatus{}}
	if s.opts.Health != nil {
		for _, h := range s.opts.Health.Health() {
			out.Sources = append(out.Sources, ToSourceStatus(h))
		}
	}
	if s.opts.Config != nil {
		cs := s.opts.Config.ConfigStatus()
		out.Config, out.ConfigError = &cs, cs.Error
	}
	if s.opts.Alerts != nil {
		out.AlertChannels = s.opts.Alerts.AlertChannels()
	}
	return out
}

func (s *Server) handleSources(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.sourcesResponse())
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.opts.Metrics == nil {
		writeError(w, http.StatusNotFound, "not_found", "metrics are not enabled on this server")
		return
	}
	s.opts.Metrics.Handler().ServeHTTP(w, r)
}

// names are the configured brand and network names filters accept.
type names struct{ brands, networks []string }

// SetNames replaces the brand and network names (after a config reload).
func (s *Server) SetNames(brands, networks []string) {
	s.names.Store(&names{brands: slices.Clone(brands), networks: slices.Clone(networks)})
}

func (s *Server) currentNames() names { return *s.names.Load() }

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
