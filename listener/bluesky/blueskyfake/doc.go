// Package blueskyfake is a fake Bluesky XRPC server replaying the recorded
// recordings embedded from its testdata/ (posts.json, reposts.json,
// profiles.json, session.json, errors/*.json), for tests and the offline
// demo.
//
// Contract: New(opts) replays the embedded recordings (Recordings();
// Options.FS replaces them for tests that need changed ones); it may be mounted under a path prefix with
// http.StripPrefix. It answers like the real PDS/AppView:
//   - POST /xrpc/com.atproto.server.createSession {identifier, password}:
//     a session with freshly minted JWTs (exp claim = now + AccessTTL);
//     wrong credentials get 401 AuthenticationRequired; more than 30 calls
//     in 5 minutes get 429 RateLimitExceeded.
//   - POST /xrpc/com.atproto.server.refreshSession with the refresh token:
//     a new token pair (the old refresh token is revoked); an expired or
//     unknown token gets 400 ExpiredToken / InvalidToken.
//   - GET /xrpc/app.bsky.feed.searchPosts (q, sort, since, until, limit,
//     cursor): needs a valid access token (none: 403; expired: 400
//     ExpiredToken; unknown: 401 InvalidToken). Posts whose text holds
//     every word of q (case-insensitively; a "quoted phrase" as a whole),
//     with sortAt (the earlier of createdAt and indexedAt) >= since and <
//     until, newest first, paged by an offset cursor.
//   - GET /xrpc/app.bsky.feed.getAuthorFeed (actor, limit, cursor, filter)
//     and /xrpc/app.bsky.actor.getProfile (actor): without a token too
//     (the public AppView allows it); an invalid token is still refused.
//     The feed holds the actor's posts and reposts (reasonRepost), replies
//     with reply{root,parent} (notFoundPost when the parent is not in the
//     pool: deleted), filter posts_no_replies / posts_with_replies /
//     posts_and_author_threads, newest first, paged by a time cursor.
//   - Bad parameters get 400 InvalidRequest; anything else 404
//     MethodNotImplemented.
//
// Every fixture time (createdAt, indexedAt) is shifted by Options.Shift.
// Options.Faults inject recorded error answers (429 with ratelimit-*
// headers, 5xx, a truncated body) for chosen methods and parameters.
package blueskyfake
