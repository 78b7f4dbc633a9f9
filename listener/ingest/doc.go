// Package ingest polls the configured sources and turns what they return
// into stored mentions.
//
// A listener.Source fetches posts after a cursor. The Pipeline runs one
// fetch end to end: it loads the source's cursor from the Sink, calls Fetch
// under a per-fetch timeout, matches every post with the Matcher, keeps the
// matched ones (and posts a brand's own account published) as store.Mention
// values, runs the optional Enricher on each, and calls Sink.Commit exactly
// once with the mentions and the next cursor, so that mentions and cursor are
// saved atomically. Commit is called even when no post matched, so the
// cursor still advances. When Fetch returns no next cursor nothing is
// committed. When Commit fails the cursor stays where it was and the next
// fetch asks for the same posts again: nothing is lost, the store's
// deduplication absorbs any repeat. A Sink that is a PollSink (the store)
// also records, in that transaction, what the poll covered: a source's
// first poll (no cursor yet) that completed without error reaches back
// Job.Backfill, any other poll its fetch time (docs/report.md "Coverage
// and calls").
//
// The Scheduler runs one goroutine per Job, modelled on the Prometheus scrape
// loop: fetch at once, then every Job.Every plus or minus Options.Jitter. A
// failed fetch backs off exponentially from MinBackoff to MaxBackoff (reset by
// a success); an *listener.HTTPError's RetryAfter is honoured; backoff never brings the
// next attempt earlier than the normal schedule. A partial success (posts, a
// next cursor and an error) is committed, then reported as a failure in the
// source's health without backing off the endpoints that worked; a Retry-After
// it carries is still honoured. A panic inside a fetch, the matcher, the
// enricher or the sink is recovered and reported as that fetch's error, so
// one bad source cannot stop the daemon.
//
// Scheduler.Run returns after its context is cancelled and every loop has
// exited: an in-flight Fetch sees its context cancelled, a Commit that has
// started runs to its end (Commit takes no context). The scheduler never
// closes a channel it sends on and starts no goroutine that outlives Run.
// Health returns a snapshot of every source's state and is safe to call from
// any goroutine, as is RunOnce; fetches of one source never overlap.
package ingest
