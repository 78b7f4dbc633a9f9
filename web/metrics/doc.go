// Package metrics is Earshot's Prometheus instrumentation: one Registry,
// created by the daemon and passed to whoever records (no global state).
//
// Contract:
//   - New returns a Registry with its own prometheus.Registry (plus the Go
//     runtime and process collectors); Handler serves it in the Prometheus
//     text format. Nothing registers on prometheus.DefaultRegisterer.
//   - Counters and histograms recorded as events happen are exported fields
//     (DigestSends, ConfigReloads, HTTPDuration, ...): callers increment them
//     directly; a nil *Registry is valid everywhere a method is called and
//     records nothing, so instrumentation is optional in tests.
//   - Figures that already exist elsewhere are read at scrape time by custom
//     collectors instead of being double-counted: store counts and index lag
//     from a StatsSource, source health and budgets from a HealthSource.
//     Those readers are swappable (SetHealth) so a config reload can point
//     the registry at a new scheduler.
//   - ObserveFetch records one source fetch (latency, failure). The
//     package knows nothing of collection: SourceHealth and BudgetUsage are
//     its own view of a source, which the daemon fills from its scheduler.
package metrics
