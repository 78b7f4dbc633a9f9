// Package redditfake is a fake of the Reddit API for tests and the demo,
// replaying the recordings embedded from its testdata/ (Recordings();
// Options.FS replaces them for tests that need changed ones) (pool.json: one Listing of every t3/t1 thing, newest
// first; users.json: the /about answers of known accounts; errors/: the
// recorded error bodies).
//
// Contract (paths are relative, so it works under http.StripPrefix; a
// trailing ".json" is accepted like on Reddit):
//   - POST /api/v1/access_token: client credentials grant with HTTP Basic
//     auth. Wrong credentials get 401 {"message": "Unauthorized", "error":
//     401}; a grant_type other than client_credentials gets 200 {"error":
//     "unsupported_grant_type"}. The token lives Options.TokenTTL.
//   - GET /search and /r/A+B/search (restrict_sr=1 limits to those
//     subreddits): submissions whose title or selftext contains every word
//     of q (case-insensitive; quotes ignored). GET /user/NAME/submitted,
//     /user/NAME/comments: that account's submissions / comments;
//     /user/NAME/about: its t2 profile. Unknown users get 404.
//   - Listings are newest first, limit 1..100 (default 25), paged with
//     after=<fullname> in the real {kind: "Listing", data: {after, before,
//     dist, modhash, geo_filter, children}} envelope. Without raw_json=1,
//     & < > in title/selftext/body are escaped as Reddit does.
//   - API calls need "Authorization: bearer <token>" (401 otherwise) and,
//     when Options.UserAgent is set, exactly that User-Agent (403 otherwise).
//     Every API answer carries X-Ratelimit-Used/-Remaining/-Reset for a
//     600-second window of Options.RateLimit requests; beyond it, 429.
//   - Times: every fixture time is moved by Options.Shift; a thing whose
//     shifted created_utc is after Options.Clock() is not yet visible, so a
//     test can make new posts "appear" by moving its clock.
//   - Options.Faults make chosen requests fail like Reddit does (malformed
//     body, 503 HTML page, 429, 401, 403).
package redditfake
