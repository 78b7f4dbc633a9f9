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
//     404 envelope, a wrong method a 405 envelope. The only POSTs are /login
//     and /logout (sign in and out; both check Origin).
//   - The package reads through small interfaces declared here (Searcher,
//     HealthReporter, StatsReporter, ConfigReporter, Reporter) and never
//     writes: no state changes on GET. It knows nothing of collection:
//     source health is metrics.SourceHealth, which the daemon fills in.
//   - Every request names a Host this server answers to (the listen
//     address's, localhost, an IP address, Options.AllowedHosts) or gets
//     421: DNS rebinding cannot reach any route. Every request other than
//     GET/HEAD from a browser must come from this server's own origin
//     (Origin, else Sec-Fetch-Site) or gets 403.
//   - With Options.Token set, every request except /healthz, /login and
//     /static/ needs "Authorization: Bearer <token>" (scheme in any case)
//     or the login cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, an
//     HMAC keyed by the token); tokens are compared in constant time over
//     their full length. Wrong tokens (bearer or login form) drain a token
//     bucket per client address; an empty bucket answers 429 with
//     Retry-After, and never affects another address. The client address
//     and HTTPS come from X-Forwarded-For/-Proto only when the peer is in
//     Options.TrustedProxies.
//   - /static/ serves exactly the embedded static files by name: no
//     templates, no openapi.json, no directory listings.
//   - At most Options.MaxExpensive expensive searches (expensive() is the
//     one definition) run at once; others wait ExpensiveWait, then get 429
//     with Retry-After. Simple searches are never held.
//   - A backup is a snapshot file taken under one short read transaction,
//     then streamed: a stalled client holds a file, never the store, and is
//     dropped after a write has waited 30 s.
//   - Fetched text is untrusted: templates escape it, show titles and names
//     through query.Display (no bidi overrides or invisible characters) cut
//     to 300 characters, snippets keep only <mark>, links only http(s); the
//     CSP allows no inline script. Every
//     answer carries the security headers (setSecurityHeaders).
//   - Bodies are capped at 16 KiB, size at 100, exports at MaxExportRows.
//     The server has read, write and idle timeouts and a header size limit;
//     Serve returns when its context is cancelled, after in-flight requests
//     finish (bounded by a shutdown timeout).
//   - Brand/network names and the token can be replaced at run time
//     (SetNames, SetToken) for a config reload; both are atomic.
package web
