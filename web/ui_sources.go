package web

import (
	"net/http"
	"time"

	"github.com/earshot/earshot/store"
)

type sourceRow struct {
	SourceStatus
	State, StateClass string
	BudgetPct         int
}

type sourcesPage struct {
	page
	Now     time.Time
	Sources []sourceRow
	Config  *ConfigStatus
	Stats   *store.Stats
	Failing int
	// AlertChannels are the alert channels' queues (failures retrying).
	AlertChannels []AlertChannelStatus
}

// sourceState is the one-word state shown for a source, worst first.
func sourceState(s SourceStatus) (string, string) {
	switch {
	case s.Throttled:
		return "throttled", "warn"
	case s.Degraded:
		return "degraded", "warn"
	case !s.Healthy:
		return "failing", "bad"
	case s.Silent:
		return "silent", "warn"
	case s.LastSuccess == nil:
		return "waiting", "idle"
	}
	return "ok", "ok"
}

func (s *Server) handleSourcesPage(w http.ResponseWriter, r *http.Request) {
	resp := s.sourcesResponse()
	p := sourcesPage{page: s.page(r, "sources"), Now: s.opts.Clock(), Config: resp.Config, AlertChannels: resp.AlertChannels}
	p.Title = "Sources"
	for _, src := range resp.Sources {
		row := sourceRow{SourceStatus: src}
		row.State, row.StateClass = sourceState(src)
		if row.StateClass == "bad" {
			p.Failing++
		}
		if b := src.Budget; b != nil && b.Limit > 0 {
			row.BudgetPct = min(100, b.Used*100/b.Limit)
		}
		p.Sources = append(p.Sources, row)
	}
	if s.opts.Stats != nil {
		st := s.opts.Stats.Stats()
		p.Stats = &st
	}
	s.render(w, r, http.StatusOK, "sources.html", p)
}

type loginPage struct {
	page
	Next, Error string
}
