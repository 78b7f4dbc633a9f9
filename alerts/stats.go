package alerts

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/earshot/earshot/store"
)

// stats counts decisions and delivery outcomes since start (/metrics).
type stats struct {
	mu         sync.Mutex
	decided    map[[2]string]float64 // rule, outcome (fired, suppressed, ended)
	deliveries map[[2]string]float64 // channel, status (delivered, retrying, failed)
}

func (s *stats) add(rule, outcome string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.decided == nil {
		s.decided = map[[2]string]float64{}
	}
	s.decided[[2]string{rule, outcome}]++
}

func (s *stats) delivery(channel, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deliveries == nil {
		s.deliveries = map[[2]string]float64{}
	}
	s.deliveries[[2]string{channel, status}]++
}

var (
	descDecided = prometheus.NewDesc("earshot_alerts_total",
		"Alerts decided since start, by rule and outcome (fired, suppressed, ended). A rolled-back commit may count one that was not stored.", []string{"rule", "outcome"}, nil)
	descDeliveries = prometheus.NewDesc("earshot_alert_deliveries_total",
		"Delivery attempts since start, by channel and result (delivered, retrying, failed).", []string{"channel", "result"}, nil)
	descQueued = prometheus.NewDesc("earshot_alert_queue",
		"Deliveries queued and not yet done (retries included), by channel.", []string{"channel"}, nil)
	descRetrying = prometheus.NewDesc("earshot_alert_queue_retrying",
		"Queued deliveries whose last attempt failed, by channel.", []string{"channel"}, nil)
)

// Describe implements prometheus.Collector.
func (e *Engine) Describe(ch chan<- *prometheus.Desc) {
	ch <- descDecided
	ch <- descDeliveries
	ch <- descQueued
	ch <- descRetrying
}

// Collect implements prometheus.Collector.
func (e *Engine) Collect(ch chan<- prometheus.Metric) {
	e.stats.mu.Lock()
	for k, v := range e.stats.decided {
		ch <- prometheus.MustNewConstMetric(descDecided, prometheus.CounterValue, v, k[0], k[1])
	}
	for k, v := range e.stats.deliveries {
		ch <- prometheus.MustNewConstMetric(descDeliveries, prometheus.CounterValue, v, k[0], k[1])
	}
	e.stats.mu.Unlock()
	q, err := e.Queue()
	if err != nil {
		return
	}
	for name, c := range q {
		ch <- prometheus.MustNewConstMetric(descQueued, prometheus.GaugeValue, float64(c.Queued), name)
		ch <- prometheus.MustNewConstMetric(descRetrying, prometheus.GaugeValue, float64(c.Retrying), name)
	}
}

// ChannelQueue is one channel's queue: deliveries waiting, and those of
// them whose last attempt failed (with that error).
type ChannelQueue struct {
	Queued    int    `json:"queued"`
	Retrying  int    `json:"retrying"`
	LastError string `json:"last_error,omitempty"`
}

// Queue reports every configured channel's queue (zero when empty).
func (e *Engine) Queue() (map[string]ChannelQueue, error) {
	out := map[string]ChannelQueue{}
	if rs := e.rules.Load(); rs != nil {
		for name := range rs.channels {
			out[name] = ChannelQueue{}
		}
	}
	err := e.st.OutboxView(func(tx *store.OutboxTx) error {
		return tx.Scan(bucketQueue, nil, false, func(k, v []byte) (bool, error) {
			var j job
			if _, err := getJSON(tx, bucketQueue, k, &j); err != nil {
				return false, err
			}
			c := out[j.Channel]
			c.Queued++
			if j.Attempts > 0 {
				c.Retrying++
				if rec, _ := loadRecord(tx, j.Alerts[0]); rec != nil && rec.Deliveries[j.Channel] != nil {
					c.LastError = rec.Deliveries[j.Channel].Error
				}
			}
			out[j.Channel] = c
			return true, nil
		})
	})
	return out, err
}
