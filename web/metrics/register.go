package metrics

import "github.com/prometheus/client_golang/prometheus"

// Register adds a collector another package keeps (the alert engine's
// counters and queue gauges).
func (r *Registry) Register(c prometheus.Collector) error { return r.reg.Register(c) }
