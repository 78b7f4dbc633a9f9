// Package faults injects network faults in front of any HTTP handler, so
// that every Earshot source can be driven through the failures real networks
// produce: connections refused or reset, answers that never come or trickle
// in, truncated or wrong-format bodies, 200 answers carrying an error, rate
// limits, 5xx storms, gzip bombs, 100 MB bodies, invalid UTF-8, timestamps
// in the future or in 1970, and item lists rewritten (duplicated, reversed,
// cut, multiplied to 10,000).
//
// Contract:
//   - Wrap(h, plan) returns a *Handler serving h through plan; Set swaps the
//     plan at any time (Plan{} = pass through), so one fake can fail and
//     then recover. Plan.Match limits the fault to matching requests; the
//     others pass through untouched.
//   - Faults that need the real answer (truncate, trickle, rewrites) run h
//     into a buffer first; h never sees the fault. Streams that are large
//     by design (HugeBody, GzipBomb) are written in chunks as the client
//     reads and stop when it hangs up: the Handler never holds them in
//     memory (a gzip bomb's compressed form, ~100 KB, is built once).
//   - Hang and Trickle end when the client gives up (request context done)
//     or Close is called, whichever comes first; a Handler never outlives
//     its server's Close.
//   - A Server listens on loopback and can be taken Down (listener closed,
//     open connections dropped: clients get "connection refused") and
//     brought Up again on the same address.
//   - Rewrites never fail a request: a body a mutator cannot parse is
//     served unchanged.
package faults
