// Package bench measures Earshot outside the daemon binary (as Prometheus
// keeps `promtool tsdb bench` out of the server): cmd/earshot-bench runs it.
//
//   - Soak ingests generated mentions (package bench/gen) through the real
//     pipeline (matcher, sentiment, store) into a store on disk while
//     clients search it on loopback, then measures the bare bleve baseline
//     (BareIndexRate), a restart, searches on the idle store, weekly
//     reports (analysis/report) and a reindex, and prints every figure
//     against its target. With Bulk it first loads the N mentions through
//     the store's Commit in large batches (no pipeline), then runs the
//     pipeline at a fixed rate for a while as the live phase. Failed
//     searches fail it; missed targets are reported.
//   - Loadtest generates a corpus with terms planted at known rates and
//     drives the search API with concurrent clients: p50/p95/p99, errors.
//   - Sentiment prints the analyzer's accuracy on human-labelled data next
//     to the published figures.
//
// Nothing here is used by the daemon; logger, output and version come in
// through the options.
package bench
