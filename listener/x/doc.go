// Package x is the X (Twitter) API v2 source: recent search for each
// configured query and the own timeline of each brand account, with an
// app-only bearer token.
//
// Contract:
//   - Requests: GET /2/tweets/search/recent?query=(Q) -is:retweet and, per
//     account, GET /2/users/by/username/:username (once; the id is kept in
//     the cursor) then GET /2/users/:id/tweets?exclude=retweets, all with
//     tweet.fields, expansions=author_id and user.fields. Retweets are
//     excluded at the API (they cost reads and only repeat the original)
//     and skipped if any arrive; a query that mentions is:retweet itself is
//     sent as written.
//   - Cursor: per query and per account the newest id returned (since_id,
//     compared numerically) and its time. The first run uses start_time =
//     now - Lookback; recent search reaches back seven days only, so an
//     older start or since position is clamped to that window. A Fetch that
//     stops inside a chain (MaxPages, budget, an error after some pages)
//     returns what it read and records the unread gap (until_id); the next
//     Fetch reads the gap first, then newer tweets: nothing is skipped or
//     repeated. A tweet is returned once per Fetch; an owned copy wins.
//   - Post mapping: NativeID = id; URL https://x.com/{username}/status/{id};
//     Text = note_tweet.text when present (long posts), else text, with
//     entities decoded and t.co links replaced by their expanded URL (media
//     links removed); Links = the expanded URLs; Author = username,
//     AuthorName = name, AuthorFollowers = followers_count; Lang unless
//     und/zxx/q*; ReplyTo = the replied_to id; Engagement likes, reposts,
//     replies, quotes, bookmarks, impressions; Published = created_at, or
//     the fetch time with PublishedEstimated when created_at is missing,
//     unparsable or at or before 2000 (the Unix epoch of a broken
//     serializer), so such a tweet is kept, not lost to the lookback while
//     since_id moves past it. Timeline posts, and search
//     hits written by a configured account, are Owned by its brand.
//   - Budget: X bills the posts it returns. A tweets request is sent only
//     while at least the endpoint's minimum page (10 for search, 5 for
//     timelines) is left of the budget, asking max_results = min(PageSize,
//     budget left); the posts the page returned (retweets included) are
//     then taken from the budget, and 1 before a username lookup: the
//     budget counts posts read, as X bills them, and is never exceeded. A
//     *listener.BudgetError ends the Fetch with what was read so far.
//   - Errors: a 401 wraps ErrUnauthorized (check bearer_token_env); 402/403
//     wrap ErrForbidden; a usage-capped body wraps ErrUsageCapped; a 400
//     wraps ErrInvalid with X's message; all keep the *listener.HTTPError.
//     A 429 is an HTTPError whose RetryAfter comes from the rate-limit
//     headers, or DefaultRateLimitWait (the 15-minute window) when none can
//     be read. These, a BudgetError and a cancelled context end the Fetch;
//     other failures (5xx, malformed bodies, a missing account) fail only
//     their query or account (partial success: the others' posts and
//     cursor, errors.Join of the failures). Partial errors beside data
//     (an author that cannot be expanded) are logged and the data kept.
//   - Refresh (listener.Lookup, LookupCounts): the tweet lookup
//     /2/tweets?ids=…&tweet.fields=public_metrics, 100 ids a call, billed by
//     the posts returned (never more than the budget has left).
package x
