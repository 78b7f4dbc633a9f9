// Package daumfake is a fake Daum search API (Kakao) replaying the
// recordings embedded from its testdata/ (Recordings(); Options.FS replaces
// them for tests that need changed ones), for tests and the demo.
//
// Contract: the handler answers
//   - GET /v2/search/{kind}, kind = blog, cafe, web or vclip (any other:
//     404), also when mounted under a prefix with http.StripPrefix;
//   - only with "Authorization: KakaoAK <key>" holding Options.APIKey (any
//     non-empty key when it is empty); else 401 with errors/auth_failed.json;
//   - with the real parameter checks: query required (400 MissingParameter),
//     sort accuracy or recency, page 1..50 and size 1..50 (vclip: page
//     1..15, size 1..30) (400 InvalidArgument): {"errorType","message"};
//   - with the documents of testdata/<kind>.json whose title, contents,
//     blogname, cafename or author (tags removed, case folded) contain every
//     word of the query (a word starting with "-" excludes), newest first
//     for sort=recency (file order for accuracy), the page's window, in
//     the real envelope (meta total_count = matches, pageable_count =
//     the matches reachable by paging, is_end);
//   - with a recorded answer for the queries named in Options.Faults: an
//     empty result, 401, 429 quota, 500, a malformed 200 body.
//
// Every fixture datetime is shifted by Options.Shift, keeping its zone.
// Unreadable fixtures are logged at New and answered 500.
package daumfake
