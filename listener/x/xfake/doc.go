// Package xfake is a fake X API v2 serving the recorded fixtures under
// testdata/ next to it (Recordings(); Options.FS replaces them for tests
// that need changed ones), for tests and the demo.
//
// Contract:
//   - Routes (relative, so it works under http.StripPrefix): GET
//     /2/tweets/search/recent, /2/users/by/username/:username and
//     /2/users/:id/tweets, with the real parameters, bodies and errors.
//   - Auth: "Authorization: Bearer <token>"; a missing or wrong token gets
//     X's 401 problem body.
//   - Search evaluates the query (implicit AND, OR, -negation, parentheses,
//     "phrases", from:/to:/lang:/is:retweet|reply|quote/has:links; unknown
//     operators are a 400) over the tweet text, reaching back seven days
//     from Options.Clock; tweets dated after the clock are not served yet.
//   - since_id/until_id/start_time/end_time filter, results come newest
//     first, max_results pages them (10..100 for search, 5..100 for
//     timelines) with next_token in meta; data is absent when nothing
//     matches. Fields are projected as X does: id, text and
//     edit_history_tweet_ids by default, others only when asked for in
//     tweet.fields/user.fields; includes.users only with
//     expansions=author_id, and a tweet whose author is not in the fixtures
//     yields a partial "Not Found Error" in errors beside data.
//   - Unknown parameters, bad ids, bad times and out-of-range max_results
//     are 400 invalid-request bodies; every answer carries x-rate-limit-*
//     headers. Options.Fail injects the error fixtures (429, 503, usage
//     cap, client-not-enrolled, a malformed 200 body) by query word.
package xfake
