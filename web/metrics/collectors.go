package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
)

var (
	descMentions = prometheus.NewDesc("earshot_mentions_total",
		"Mentions stored (all time, from the store's rollup counters).", nil, nil)
	descMentionsBrand = prometheus.NewDesc("earshot_mentions_by_brand_total",
		"Mentions stored per matched brand (a mention may match several).", []string{"brand"}, nil)
	descMentionsNetwork = prometheus.NewDesc("earshot_mentions_by_network_total",
		"Mentions stored per network.", []string{"network"}, nil)
	descIndexLag = prometheus.NewDesc("earshot_index_lag",
		"Mentions committed to bbolt but not yet in the search index.", nil, nil)
	descStoreBytes = prometheus.NewDesc("earshot_store_bytes",
		"Size on disk, by part (bbolt, index).", []string{"part"}, nil)
	descIngestPaused = prometheus.NewDesc("earshot_ingest_paused",
		"1 while writes are paused because the data dir's filesystem is full (reads go on).", nil, nil)
	descVerifyProblems = prometheus.NewDesc("earshot_verify_problems",
		"Damage the last verify found (absent until one ran).", nil, nil)

	srcLabels     = []string{"source", "network"}
	descHealthy   = prometheus.NewDesc("earshot_source_healthy", "1 if the source's last fetch succeeded.", srcLabels, nil)
	descThrottled = prometheus.NewDesc("earshot_source_throttled", "1 while the source waits on a rate limit or a spent budget.", srcLabels, nil)
	descSilent    = prometheus.NewDesc("earshot_source_silent", "1 when the source has stored nothing for far longer than usual.", srcLabels, nil)
	descFailures  = prometheus.NewDesc("earshot_source_consecutive_failures", "Failed fetches since the last success.", srcLabels, nil)
	descStored    = prometheus.NewDesc("earshot_source_mentions_stored_total", "Mentions stored by the source since the daemon (or its config) started.", srcLabels, nil)
	descPosts     = prometheus.NewDesc("earshot_source_posts_fetched_total", "Posts fetched by the source since the daemon (or its config) started.", srcLabels, nil)
	descLastOK    = prometheus.NewDesc("earshot_source_last_success_timestamp_seconds", "When the source last fetched successfully.", srcLabels, nil)
	descBudgetUse = prometheus.NewDesc("earshot_source_budget_used", "Units of today's budget used.", srcLabels, nil)
	descBudgetLim = prometheus.NewDesc("earshot_source_budget_limit", "Today's budget.", srcLabels, nil)
)

// storeCollector reads store.Stats at scrape time.
type storeCollector struct{ s StatsSource }

func (c storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMentions, descMentionsBrand, descMentionsNetwork, descIndexLag, descStoreBytes, descIngestPaused, descVerifyProblems} {
		ch <- d
	}
}

func (c storeCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.s.Stats()
	ch <- prometheus.MustNewConstMetric(descMentions, prometheus.CounterValue, float64(st.Mentions))
	for b, n := range st.Brands {
		ch <- prometheus.MustNewConstMetric(descMentionsBrand, prometheus.CounterValue, float64(n), b)
	}
	for nw, n := range st.Networks {
		ch <- prometheus.MustNewConstMetric(descMentionsNetwork, prometheus.CounterValue, float64(n), nw)
	}
	ch <- prometheus.MustNewConstMetric(descIndexLag, prometheus.GaugeValue, float64(st.IndexLag))
	ch <- prometheus.MustNewConstMetric(descStoreBytes, prometheus.GaugeValue, float64(st.DBBytes), "bbolt")
	ch <- prometheus.MustNewConstMetric(descStoreBytes, prometheus.GaugeValue, float64(st.IndexBytes), "index")
	paused := 0.0
	if st.Writes.Paused {
		paused = 1
	}
	ch <- prometheus.MustNewConstMetric(descIngestPaused, prometheus.GaugeValue, paused)
	if st.Verify != nil {
		ch <- prometheus.MustNewConstMetric(descVerifyProblems, prometheus.GaugeValue, float64(st.Verify.Problems))
	}
}

// healthCollector reads the current HealthSource at scrape time.
type healthCollector struct{ r *Registry }

func (c healthCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descHealthy, descThrottled, descSilent, descFailures, descStored, descPosts, descLastOK, descBudgetUse, descBudgetLim} {
		ch <- d
	}
}

func (c healthCollector) Collect(ch chan<- prometheus.Metric) {
	hp := c.r.health.Load()
	if hp == nil {
		return
	}
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	for _, h := range (*hp).Health() {
		l := []string{h.Name, h.Network}
		ch <- prometheus.MustNewConstMetric(descHealthy, prometheus.GaugeValue, b(h.Healthy), l...)
		ch <- prometheus.MustNewConstMetric(descThrottled, prometheus.GaugeValue, b(h.Throttled), l...)
		ch <- prometheus.MustNewConstMetric(descSilent, prometheus.GaugeValue, b(h.Silent), l...)
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.GaugeValue, float64(h.ConsecutiveFailures), l...)
		ch <- prometheus.MustNewConstMetric(descStored, prometheus.CounterValue, float64(h.MentionsStored), l...)
		ch <- prometheus.MustNewConstMetric(descPosts, prometheus.CounterValue, float64(h.PostsFetched), l...)
		if !h.LastSuccess.IsZero() {
			ch <- prometheus.MustNewConstMetric(descLastOK, prometheus.GaugeValue, float64(h.LastSuccess.Unix()), l...)
		}
		if h.Budget != nil {
			ch <- prometheus.MustNewConstMetric(descBudgetUse, prometheus.GaugeValue, float64(h.Budget.Used), l...)
			ch <- prometheus.MustNewConstMetric(descBudgetLim, prometheus.GaugeValue, float64(h.Budget.Limit), l...)
		}
	}
}
