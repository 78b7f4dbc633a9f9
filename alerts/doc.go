// Package alerts decides alerts in the commit that causes them and
// delivers them to e-mail, Slack and webhooks, once per idempotency key.
//
// # Deciding
//
// The Engine is the store's commit hook (store.SetCommitHook): inside the
// bbolt transaction that stores a batch of mentions it evaluates the rules
// ([[alert]], config/alert.go) and writes what fires — the history record
// and one queued job per channel — into the store's outbox buckets in that
// same transaction. Either the mentions and their alerts are stored, or
// neither is. Rules are swapped atomically by Install on a reload.
//
//   - spike: the brand's mentions by others (dated ones; per network or
//     all) in the sliding window ending now against the same window in
//     each of the last baseline_weeks weeks (the same hour-of-week). Weeks
//     before collection began are left out, never counted as zero; with
//     fewer than 2 such weeks, or collected for less than min_history, it
//     cannot fire. Threshold = mean + sigma × max(σ, √mean, 1); it fires
//     when the window holds at least min_count and at least the threshold.
//   - negative_surge: the same on negative mentions, and the window's
//     negative share must reach min_share.
//   - query: a fresh mention by others (published in the last 48 h) whose title and
//     text match the query, optionally over min_followers/min_interactions.
//   - competitor: a competitor's fresh owned post (trigger owned), or a
//     competitor's spike (trigger spike).
//   - source: checked every Tick from the scheduler's health: failing for
//     failing_for, or nothing stored for silent_for.
//
// A spike (or source problem) is one episode from the window that fired
// until the window falls back within one spread of the mean (checked every
// Tick); it fires once, and the "ended" notice is sent when ended = true.
//
// # Not noisy
//
// Cooldown per rule × brand × network: a new episode or match within the
// cooldown after the last alert is recorded once as suppressed (counting
// what it held); the next alert says how many were held. Quiet hours per
// channel: alerts due then are held and sent as one roll-up when they end.
// Daily cap per channel (local day): alerts past it are recorded as
// suppressed; a roll-up counts once and is always sent.
//
// # Delivering
//
// Run sends queued jobs at once (a commit that queued one wakes it),
// retries failures with doubling backoff (Backoff up to MaxBackoff, at most
// MaxAttempts; permanent errors stop at once) and records every outcome on
// the alert's history record. A job stays queued until its outcome is
// committed: after a crash it is sent again with the same idempotency key,
// which receivers use to deduplicate (a crash between a receiver's answer
// and the commit is the one case a receiver sees a key twice). An alert is
// explained (posts from the store, rising terms from the report's spike
// explanation, links to search and report) once, before its first send,
// and the explanation is saved so retries send the same message.
//
// In a cluster (Options.Gate, gate.go) every node decides alerts in its
// own commits, but only the node the gate names sends: before a send it
// claims the delivery in the cluster's ledger, after it records the
// outcome there first, and it skips (recording it locally) what the ledger
// shows delivered; a delivery begun by a sender that died is sent with
// that sender's idempotency key. The other nodes copy final outcomes from
// the ledger once per Tick (docs/cluster.md).
//
// History is List (GET /api/alerts); Queue and the prometheus collector
// report what waits and fails.
package alerts
