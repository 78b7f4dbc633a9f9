// Package mastodonfake is a fake Mastodon instance replaying the fixtures
// embedded from its testdata/ for tests and the demo.
//
// Contract: New(opts) reads testdata/statuses.json (a pool of Status
// entities, the real shape), instance.json and the error bodies
// (error_*.json) from Recordings(), or from Options.FS when a test sets
// it to changed recordings. The handler
// answers, like Mastodon 4.5:
//   - GET /api/v1/timelines/tag/:hashtag: public non-boost statuses carrying
//     the tag; 404 {"error":"Record not found"} for a tag no status has.
//     Options.HashtagFeeds "authenticated" answers 401 without a valid token
//     ({"error":"This method requires an authenticated user"}); "disabled"
//     answers an empty list, as Mastodon does.
//   - GET /api/v2/search?q=&type=statuses: statuses containing every word
//     of q, case-insensitively; an empty result without a valid token.
//   - GET /api/v1/accounts/lookup?acct=: the account (404 when unknown);
//     GET /api/v1/accounts/:id/statuses: its public and unlisted statuses,
//     boosts included unless exclude_reblogs=true.
//   - GET /api/v2/instance: instance.json with timelines_access set from
//     Options.HashtagFeeds.
//
// Timelines honour limit (default 20, max 40), max_id, since_id and min_id
// (the statuses immediately newer than min_id, newest first), compare ids
// numerically and send a Link header (rel="next" max_id, rel="prev"
// min_id) with absolute URLs that include any path prefix the handler is
// mounted under (http.StripPrefix). Any Authorization header must be
// "Bearer <Options.Token>", else 401 {"error":"The access token is
// invalid"}. Every answer carries X-RateLimit-Limit/-Remaining/-Reset
// (ISO 8601, 5-minute windows of Options.RateLimit requests); past the
// limit it answers 429. Options.Shift moves every created_at and
// edited_at, and every status id with it (ids are snowflakes: ms<<16), so
// ids and dates stay consistent. Fixture errors are logged at New and
// answered with 500.
package mastodonfake
