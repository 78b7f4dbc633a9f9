package metrics

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/earshot/earshot/store"
)

// StatsSource reports store-wide counts; *store.Store implements it.
type StatsSource interface {
	Stats() store.Stats
}

// Registry holds every Earshot metric.
type Registry struct {
	reg *prometheus.Registry

	// DigestSends counts digest e-mails by result ("sent", "failed").
	DigestSends *prometheus.CounterVec
	// ConfigReloads counts config reloads by result ("success", "failure").
	ConfigReloads *prometheus.CounterVec
	// ConfigReloadSuccess is 1 when the last reload succeeded (or none was
	// tried), 0 when the running config is older than a rejected file.
	ConfigReloadSuccess prometheus.Gauge
	// ConfigReloadTime is when the running config was loaded (Unix seconds).
	ConfigReloadTime prometheus.Gauge
	// HTTPDuration is request latency by route pattern, method and status
	// class ("2xx", "4xx", ...).
	HTTPDuration *prometheus.HistogramVec
	// FetchDuration is the latency of every source fetch, by source and
	// network; FetchErrors counts the failed ones.
	FetchDuration *prometheus.HistogramVec
	FetchErrors   *prometheus.CounterVec

	health atomic.Pointer[HealthSource]
}

// New returns a Registry with every metric registered.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry()}
	r.DigestSends = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "earshot_digest_sends_total", Help: "Digest e-mails sent, by result (sent, failed).",
	}, []string{"result"})
	r.ConfigReloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "earshot_config_reloads_total", Help: "Config reloads (SIGHUP), by result (success, failure).",
	}, []string{"result"})
	r.ConfigReloadSuccess = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "earshot_config_reload_success", Help: "1 if the last config reload succeeded (or none was tried), 0 if it was rejected.",
	})
	r.ConfigReloadTime = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "earshot_config_last_reload_success_timestamp_seconds", Help: "When the running config was loaded.",
	})
	r.HTTPDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "earshot_http_request_duration_seconds", Help: "HTTP request latency by route, method and status class.",
		Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"route", "method", "code"})
	r.FetchDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "earshot_fetch_duration_seconds", Help: "Source fetch latency, by source and network.",
		Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"source", "network"})
	r.FetchErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "earshot_fetch_errors_total", Help: "Failed source fetches (including partial failures), by source and network.",
	}, []string{"source", "network"})
	r.ConfigReloadSuccess.Set(1)
	r.reg.MustRegister(r.DigestSends, r.ConfigReloads, r.ConfigReloadSuccess, r.ConfigReloadTime,
		r.HTTPDuration, r.FetchDuration, r.FetchErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		healthCollector{r})
	return r
}

// Handler serves the metrics in the Prometheus exposition format.
func (r *Registry) Handler() http.Handler {
	if r == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Gatherer exposes the underlying registry (tests, custom exporters).
func (r *Registry) Gatherer() prometheus.Gatherer { return r.reg }

// AddStore exports the store's counts, sizes and index lag, read at scrape
// time. Call it once.
func (r *Registry) AddStore(s StatsSource) error {
	if r == nil || s == nil {
		return nil
	}
	return r.reg.Register(storeCollector{s})
}

// SetHealth points the source-health metrics at h (nil: none).
func (r *Registry) SetHealth(h HealthSource) {
	if r == nil {
		return
	}
	if h == nil {
		r.health.Store(nil)
		return
	}
	r.health.Store(&h)
}

// ObserveHTTP records one request.
func (r *Registry) ObserveHTTP(route, method string, status int, d time.Duration) {
	if r == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	r.HTTPDuration.WithLabelValues(route, method, statusClass(status)).Observe(d.Seconds())
}

// ReloadResult records a config reload attempt.
func (r *Registry) ReloadResult(ok bool, at time.Time) {
	if r == nil {
		return
	}
	if ok {
		r.ConfigReloads.WithLabelValues("success").Inc()
		r.ConfigReloadSuccess.Set(1)
		r.ConfigReloadTime.Set(float64(at.Unix()))
		return
	}
	r.ConfigReloads.WithLabelValues("failure").Inc()
	r.ConfigReloadSuccess.Set(0)
}

// DigestSent records a digest e-mail; err nil means it was sent.
func (r *Registry) DigestSent(err error) {
	if r == nil {
		return
	}
	if err != nil {
		r.DigestSends.WithLabelValues("failed").Inc()
		return
	}
	r.DigestSends.WithLabelValues("sent").Inc()
}

func statusClass(code int) string {
	switch {
	case code >= 500:
		return "5xx"
	case code >= 400:
		return "4xx"
	case code >= 300:
		return "3xx"
	case code >= 200:
		return "2xx"
	}
	return "1xx"
}
