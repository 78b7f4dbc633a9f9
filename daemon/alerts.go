package daemon

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/listener/httpx"
	"github.com/earshot/earshot/web"
)

// openAlerts makes the alert engine (the store's commit hook) before the
// first build, which compiles its rules; its collector joins /metrics.
func (d *Daemon) openAlerts(cfg *config.Config) error {
	started := d.clock()
	e, err := alerts.New(alerts.Options{Store: d.store, Logger: d.log, Clock: d.clock,
		Deps:    alerts.Deps{DataDir: cfg.Earshot.DataDir, UA: httpx.UserAgent(d.opts.Version, cfg.Earshot.Contact)},
		Explain: alerts.ReportExplainer{Src: d.store, Config: d.Config},
		Sources: func() []alerts.SourceState { return d.sourceStates(started) }, Gate: d.alertGate()})
	if err != nil {
		return err
	}
	if d.cluster != nil {
		d.cluster.ReportSources(func() []alerts.SourceState { return d.localSourceStates(started) })
	}
	if err := d.metrics.Register(e); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	d.alerts = e
	return nil
}

// Alerts is the alert engine (history, queue).
func (d *Daemon) Alerts() *alerts.Engine { return d.alerts }

// sourceStates is what source rules judge: this node's scheduler's view
// alone; in a cluster, each source as the node polling it reports it (a
// source leased elsewhere looks idle here).
func (d *Daemon) sourceStates(started time.Time) []alerts.SourceState {
	local := d.localSourceStates(started)
	if d.cluster == nil {
		return local
	}
	return d.cluster.SourceStates(context.Background(), local)
}

// localSourceStates adapts the scheduler's health for source rules: a
// failing source has failed since its last success (or since start).
func (d *Daemon) localSourceStates(started time.Time) []alerts.SourceState {
	if d.scheduler() == nil {
		return nil
	}
	var out []alerts.SourceState
	for _, h := range d.Health() {
		s := alerts.SourceState{Name: h.Name, Network: h.Network, LastError: h.LastError, LastStored: h.LastNew, Started: started}
		if !h.Healthy && !h.Degraded && h.ConsecutiveFailures > 0 {
			s.FailingSince = h.LastSuccess
			if s.FailingSince.IsZero() {
				s.FailingSince = started
			}
		}
		out = append(out, s)
	}
	return out
}

// printAlertChannels is `earshot status`'s alert line: each channel's
// queue, and the last error of one that is retrying.
func printAlertChannels(w io.Writer, chs []web.AlertChannelStatus) {
	for _, c := range chs {
		fmt.Fprintf(w, "alerts: %s — %d queued, %d retrying", c.Name, c.Queued, c.Retrying)
		if c.LastError != "" {
			fmt.Fprintf(w, " (last error: %s)", c.LastError)
		}
		fmt.Fprintln(w)
	}
}

// alertHistory adapts the engine to web.AlertHistory.
type alertHistory struct{ e *alerts.Engine }

func (a alertHistory) Alerts(status string, before uint64, limit int) ([]web.AlertEntry, error) {
	list, err := a.e.List(status, before, limit)
	if err != nil {
		return nil, err
	}
	out := make([]web.AlertEntry, 0, len(list))
	for _, r := range list {
		al := r.Alert
		w := web.AlertEntry{Seq: r.Seq, ID: al.ID, Rule: al.Rule, Kind: al.Kind, State: al.State, Status: r.Status,
			Summary: a.e.Summary(&r.Record), Brand: al.Brand, Network: al.Network, Source: al.Source, At: al.At, Held: al.Held,
			Search: al.Search, Report: al.Report, Alert: al, Deliveries: []web.AlertDelivery{}}
		for name, d := range r.Deliveries {
			w.Deliveries = append(w.Deliveries, web.AlertDelivery{Channel: name, Status: d.Status, Reason: d.Reason, Key: d.Key,
				Attempts: d.Attempts, Error: d.Error, At: d.At, Where: d.Where})
		}
		slices.SortFunc(w.Deliveries, func(x, y web.AlertDelivery) int {
			if x.Channel < y.Channel {
				return -1
			}
			return 1
		})
		out = append(out, w)
	}
	return out, nil
}

func (a alertHistory) AlertChannels() []web.AlertChannelStatus {
	q, err := a.e.Queue()
	if err != nil {
		return nil
	}
	out := []web.AlertChannelStatus{}
	for name, c := range q {
		out = append(out, web.AlertChannelStatus{Name: name, Queued: c.Queued, Retrying: c.Retrying, LastError: c.LastError})
	}
	slices.SortFunc(out, func(x, y web.AlertChannelStatus) int {
		if x.Name < y.Name {
			return -1
		}
		return 1
	})
	return out
}
