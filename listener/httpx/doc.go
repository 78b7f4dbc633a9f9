// Package httpx is the polite HTTP client every Earshot source fetches with.
//
// Contract:
//   - Get sends an honest User-Agent, waits so that two requests to the same
//     host are at least PerHostInterval apart (the wait respects ctx), and
//     reads at most MaxBody bytes of (decompressed) body: a larger body is an
//     error, never a silent truncation, and a gzip bomb costs no more than
//     MaxBody of memory.
//   - 2xx and 304 are returned as *Response (304 with an empty body; callers
//     doing conditional GETs check StatusCode). Every other status is a
//     *listener.HTTPError carrying the first 512 bytes of the body and the
//     wait the server asked for: Retry-After (delta-seconds or HTTP-date,
//     resolved against the injected clock) or, on 429, X-RateLimit-Reset
//     (seconds to wait, or a Unix time when it is larger than now).
//   - A Fetcher is safe for concurrent use.
package httpx
