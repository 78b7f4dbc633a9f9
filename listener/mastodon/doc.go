// Package mastodon is the Mastodon source: one instance (BaseURL) per
// Source, polling public hashtag timelines, brand accounts' statuses and,
// when a user token is configured, full-text search.
//
// Contract:
//   - Timelines: GET /api/v1/timelines/tag/:hashtag, /api/v1/accounts/:id/
//     statuses (exclude_reblogs=false; the id comes from
//     /api/v1/accounts/lookup?acct=, cached per Source) and, with a token,
//     /api/v2/search?type=statuses. The token is sent as a Bearer header
//     with every request. Without a token, Queries are skipped and the
//     first Fetch of the Source says so (ErrSearchNeedsToken, joined with
//     the result: posts and cursor are still returned).
//   - Paging: every request carries min_id and limit (40); Mastodon answers
//     with the statuses immediately newer than min_id. The next page's
//     min_id is the newest entry id of the page; Link rel="prev"'s min_id
//     is used only when the page has no entries (a page the server
//     filtered empty), so a body lacking statuses the server meant to
//     send never moves the cursor past them. Paging stops at an empty or short page or
//     after MaxPages; the next Fetch continues from there, so a burst is
//     never skipped, only delayed. Ids are decimal strings compared
//     numerically.
//   - Cursor: JSON {"timelines":{"tag:x"|"search:q"|"account:h": id}}, the
//     newest timeline entry id returned. The first Fetch of a timeline
//     starts at the snowflake id of now-Lookback (Mastodon ids are
//     milliseconds<<16), so it reaches back Lookback with no date
//     filtering. A failure after some pages keeps those pages' posts and
//     advances that timeline to them.
//   - Posts: a boost is unwrapped to the boosted status (its author is the
//     author; from a brand account it is not Owned); private and direct
//     statuses are dropped. NativeID = status id; URL = url, else uri;
//     Title = spoiler_text (content warning); Text = content as plain
//     text; Author = account.acct; AuthorName = display_name;
//     AuthorFollowers = followers_count; Lang = language (may be empty);
//     Engagement "replies", "reblogs", "favourites"; ReplyTo =
//     in_reply_to_id; Links = hrefs in content that are not mentions or
//     hashtags, then card.url. A status in both an account timeline and a
//     hashtag timeline is returned once, owned.
//   - Errors: 401/422 on a hashtag timeline without a token, or an empty
//     hashtag timeline on an instance whose /api/v2/instance says
//     hashtag_feeds are not public, is ErrHashtagTimelinesDisabled naming
//     the instance; 401/403 with a token name token_env; an unknown account
//     names the handle; a 404 tag is an empty timeline. A 429 (wait from
//     X-RateLimit-Reset, an ISO time) or a 2xx with X-RateLimit-Remaining
//     0 ends the Fetch with an *listener.HTTPError carrying the wait.
//     Partial success: posts of the timelines that worked and a cursor
//     advancing only them, with errors.Join of the failures; no cursor
//     when none worked.
//   - Mastodon has no daily budget, so New takes no listener.Budget.
//   - Refresh (listener.Lookup, LookupCounts): /api/v1/statuses/{id}, one
//     request per status, 10 a call; a 404 is a deleted status, a spent
//     rate limit ends the call.
package mastodon
