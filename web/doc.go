// Package web serves Earshot's local HTTP endpoint: the JSON API used by the
// CLI and scripts, the server-rendered web UI (search, sources, report
// link), the OpenAPI document and Prometheus metrics.
//
// Contract:
//   - Every API error is a JSON envelope {"error": {"code": ..., "message": ...}}
//     with a 4xx status for a bad request (malformed query, bad parameter,
//     unknown brand or network) and 5xx only for server faults; a handler
//     panic is recovered and answered with a 500 envelope.
//   - Routes use net/http.ServeMux method patterns; anything not routed is a
//     404 envelope, a wrong method a 405 envelope. The only POST is /login.
//   - The package reads through small interfaces declared here (Searcher,
//     HealthReporter, StatsReporter, ConfigReporter, Reporter) and never
//     writes: no state changes on GET.
//   - With Options.Token set, every request except /healthz, /login and
//     /static/ needs "Authorization: Bearer <token>" or the login cookie
//     (HttpOnly, SameSite=Strict, an HMAC keyed by the token); tokens are
//     compared in constant time. The login POST checks Origin.
//   - Fetched text is untrusted: templates escape it, snippets keep only
//     <mark>, links only http(s); the CSP allows no inline script. Every
//     answer carries the security headers (setSecurityHeaders).
//   - Bodies are capped at 16 KiB, size at 100, exports at MaxExportRows.
//     The server has read, write and idle timeouts and a header size limit;
//     Serve returns when its context is cancelled, after in-flight requests
//     finish (bounded by a shutdown timeout).
//   - Brand/network names and the token can be replaced at run time
//     (SetNames, SetToken) for a config reload; both are atomic.
package web
