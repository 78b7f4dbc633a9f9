package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// AlertHistory is the alert history and delivery queue; the daemon adapts
// package alerts to it (web does not import it).
type AlertHistory interface {
	// Alerts lists up to limit alerts, newest first, older than the alert
	// with sequence before (0: the newest), of status ("" = any).
	Alerts(status string, before uint64, limit int) ([]AlertEntry, error)
	// AlertChannels reports each channel's delivery queue.
	AlertChannels() []AlertChannelStatus
}

// AlertStatuses are the values of AlertEntry.Status and of the status
// filter.
var AlertStatuses = []string{"fired", "delivered", "failed", "suppressed"}

// AlertEntry is one alert in GET /api/alerts (schema AlertEntry).
type AlertEntry struct {
	Seq     uint64    `json:"seq"`
	ID      string    `json:"id"`
	Rule    string    `json:"rule"`
	Kind    string    `json:"kind"`
	State   string    `json:"state"`
	Status  string    `json:"status"` // fired | delivered | failed | suppressed
	Summary string    `json:"summary"`
	Brand   string    `json:"brand,omitempty"`
	Network string    `json:"network,omitempty"`
	Source  string    `json:"source,omitempty"`
	At      time.Time `json:"at"`
	Held    int       `json:"held,omitempty"`
	// Search and Report link to the evidence; Alert is the full payload
	// (the webhook's AlertPayload).
	Search     string          `json:"search_url,omitempty"`
	Report     string          `json:"report_url,omitempty"`
	Deliveries []AlertDelivery `json:"deliveries"`
	Alert      any             `json:"alert"`
}

// AlertDelivery is what happened to an alert on one channel.
type AlertDelivery struct {
	Channel  string    `json:"channel"`
	Status   string    `json:"status"` // queued | retrying | delivered | failed | held | suppressed
	Reason   string    `json:"reason,omitempty"`
	Key      string    `json:"idempotency_key,omitempty"`
	Attempts int       `json:"attempts"`
	Error    string    `json:"error,omitempty"`
	At       time.Time `json:"at"`
	Where    string    `json:"where,omitempty"`
}

// AlertChannelStatus is one channel's queue: waiting deliveries, those
// retrying after a failure, and the last error.
type AlertChannelStatus struct {
	Name      string `json:"name"`
	Queued    int    `json:"queued"`
	Retrying  int    `json:"retrying"`
	LastError string `json:"last_error,omitempty"`
}

// AlertsResponse is the body of GET /api/alerts.
type AlertsResponse struct {
	Alerts   []AlertEntry         `json:"alerts"`
	Channels []AlertChannelStatus `json:"channels"`
	// Next is the before value of the next page, 0 at the end.
	Next uint64 `json:"next,omitempty"`
}

// alertsQuery reads status, before and limit (default 50, at most 500).
func alertsQuery(r *http.Request) (status string, before uint64, limit int, msg string) {
	q := r.URL.Query()
	status, limit = q.Get("status"), 50
	if status != "" && !slices.Contains(AlertStatuses, status) {
		return "", 0, 0, "status: want one of fired, delivered, failed, suppressed"
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseUint(b, 10, 64)
		if err != nil {
			return "", 0, 0, "before: want an alert seq"
		}
		before = n
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return "", 0, 0, "limit: want 1 to 500"
		}
		limit = n
	}
	return status, before, limit, ""
}

func (s *Server) alertsResponse(r *http.Request) (AlertsResponse, int, string) {
	status, before, limit, msg := alertsQuery(r)
	if msg != "" {
		return AlertsResponse{}, http.StatusBadRequest, msg
	}
	out := AlertsResponse{Alerts: []AlertEntry{}, Channels: []AlertChannelStatus{}}
	if s.opts.Alerts == nil {
		return out, http.StatusOK, ""
	}
	list, err := s.opts.Alerts.Alerts(status, before, limit)
	if err != nil {
		s.opts.Logger.Error().Err(err).Msg("alert history")
		return out, http.StatusInternalServerError, "the alert history could not be read"
	}
	out.Alerts = append(out.Alerts, list...)
	out.Channels = append(out.Channels, s.opts.Alerts.AlertChannels()...)
	if len(list) == limit && list[len(list)-1].Seq > 1 {
		out.Next = list[len(list)-1].Seq
	}
	return out, http.StatusOK, ""
}

func (s *Server) handleAlertsAPI(w http.ResponseWriter, r *http.Request) {
	out, code, msg := s.alertsResponse(r)
	if code != http.StatusOK {
		writeError(w, code, "bad_request", msg)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

type alertsPage struct {
	page
	AlertsResponse
	Status   string
	Statuses []string
}

func (s *Server) handleAlertsPage(w http.ResponseWriter, r *http.Request) {
	out, code, msg := s.alertsResponse(r)
	if code != http.StatusOK {
		http.Error(w, msg, code)
		return
	}
	p := alertsPage{page: s.page(r, "alerts"), AlertsResponse: out, Status: r.URL.Query().Get("status"), Statuses: AlertStatuses}
	p.Title = "Alerts"
	s.render(w, r, http.StatusOK, "alerts.html", p)
}
