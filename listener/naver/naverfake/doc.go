// Package naverfake is a fake Naver Search API replaying the
// recordings embedded from its testdata/ (Recordings(); Options.FS replaces
// them for tests that need changed ones), for tests and the demo.
//
// Contract: the handler answers
//   - GET /v1/search/{kind}.json, /v1/search/{kind} and the NAVER API HUB
//     form /search/v1/{kind}, kind = blog, news or cafearticle (any other:
//     404 SE05), also when mounted under a prefix with http.StripPrefix;
//   - only with both credential headers (names from Options, default
//     X-Naver-Client-Id / X-Naver-Client-Secret) holding the expected
//     values (any non-empty value when Options leaves them empty); else 401
//     with errors/auth_failed.json, errorCode "024";
//   - with the real parameter checks: query required and UTF-8 (SE01,
//     SE06), display 1..100 (SE02, default 10), start 1..1000 (SE03,
//     default 1), sort sim or date (SE04): 400 {"errorMessage","errorCode"};
//   - with the items of testdata/<kind>.json whose title, description,
//     bloggername or cafename (tags removed, case folded) contain every word
//     of the query (a word starting with "-" excludes), newest first for
//     sort=date (cafés keep the file order, which is newest first), the
//     window start..start+display-1, in the real envelope (total = matches,
//     display = items returned);
//   - with a recorded failure for the queries named in Options.Faults
//     (rate limit 429, system error 500, malformed 200 body, auth 401).
//
// Every fixture time (lastBuildDate, pubDate, postdate) is shifted by
// Options.Shift. Unreadable fixtures are logged at New and answered 500.
package naverfake
