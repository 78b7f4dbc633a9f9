// Package replay serves recorded network fixtures over HTTP so that sources
// can be exercised without the internet: the demo runs it on 127.0.0.1 and
// tests mount it in an httptest.Server.
//
// Contract: New(opts) replays the recordings embedded from its testdata/
// (hackernews/hits.json, rss/<file>; Recordings(), or Options.FS laid out
// the same for tests that need changed ones). The Server answers
//   - GET /api/v1/search_by_date like the Hacker News Algolia API: the hit
//     pool is filtered by query (every word, case-insensitively, in title,
//     story_text, comment_text, story_title or author), tags ("story",
//     "(story,comment)", "story,author_pg": commas AND, parentheses OR) and
//     numericFilters on created_at_i, points or num_comments (<, <=, =, >=,
//     >, comma-separated), newest first, paged by hitsPerPage/page within
//     Algolia's 1,000-result cap, in the real envelope. Bad parameters get
//     Algolia's 400 {"message","status"} answer.
//   - GET /rss/<file>: the file, with ETag and Last-Modified, answering 304
//     to a matching If-None-Match (or, without one, If-Modified-Since).
//   - anything else: 404.
//
// With Options.Rebase set, every fixture time (HN created_at/created_at_i/
// updated_at; feed pubDate, lastBuildDate, published, updated, dc:date,
// date_published, date_modified) is shifted by one common offset so that
// the newest of them lies 30 minutes before Rebase; relative order and the
// consistency of created_at with created_at_i are kept. Fixture errors are
// logged at New and answered with 500 by the endpoint concerned.
package replay
