// Package web serves Earshot's local HTTP endpoint: the JSON API used by the
// CLI, scripts and (later) the web UI.
//
// Contract:
//   - Every error is a JSON envelope {"error": {"code": ..., "message": ...}}
//     with a 4xx status for a bad request (malformed query, bad parameter,
//     unknown brand or network) and 5xx only for server faults; a handler
//     panic is recovered and answered with a 500 envelope.
//   - Routes use net/http.ServeMux method patterns; anything not routed is a
//     404 envelope, a wrong method a 405 envelope.
//   - The package reads through small interfaces declared here (Searcher,
//     HealthReporter) and never writes: no state changes on GET.
//   - The server has read, write and idle timeouts and a header size limit;
//     Serve returns when its context is cancelled, after in-flight requests
//     finish (bounded by a shutdown timeout).
package web
