// Package bluesky is the Bluesky source: it searches posts
// (app.bsky.feed.searchPosts) for each configured query and reads the
// brands' own accounts (app.bsky.feed.getAuthorFeed), logged in with an
// app password.
//
// Contract:
//   - Session: createSession is sent once and the session cached in the
//     Source; an access token whose JWT exp claim is within a minute is
//     refreshed first (refreshSession with the refresh token), and a query
//     refused with 401 or 400 ExpiredToken/InvalidToken is retried once
//     after a refresh. Only when the refresh token is refused is
//     createSession sent again. Refused credentials give an error naming
//     the identifier and password_env, and no new login is tried for 15
//     minutes (createSession allows 30 calls per 5 minutes, 300 a day).
//     Without an Identifier requests go unauthenticated: author feeds work
//     on the public AppView, search is refused (403) with a clear error.
//   - Cursor: per query and per account, the newest post time seen (the
//     AppView's sortAt: the earlier of record.createdAt and indexedAt) and
//     the URIs seen within Overlap before it. Each Fetch asks again from
//     Overlap before that time (searchPosts since=, inclusive) so posts
//     indexed a little late are caught, and skips the URIs already seen:
//     nothing is returned twice and nothing indexed within Overlap is
//     missed. The first run reaches back Lookback. At most 5,000 URIs are
//     kept per endpoint. A post dated more than 10 minutes after the fetch
//     time is returned but moves no cursor and is not remembered: a bad
//     createdAt must not skip every post until then.
//   - Paging: cursor until absent, an empty page, a post older than the
//     floor, or MaxPages; a burst larger than MaxPages*PageSize since the
//     last poll loses its oldest posts.
//   - Accounts: getProfile (followersCount, DID) then getAuthorFeed with
//     filter=posts_with_replies; the account's own posts and replies are
//     Owned with OwnedBrand and AuthorFollowers; reposts (reasonRepost)
//     are skipped. Accounts are polled before queries so that a brand's
//     post found by both is returned once, as Owned. Posts found by search
//     carry no follower count (PostView has none).
//   - Post mapping: NativeID = at:// uri; URL = https://bsky.app/profile/
//     {handle}/post/{rkey} (the DID when the handle is invalid); Text =
//     record.text (plain text already); Lang = langs[0]; ReplyTo =
//     record.reply.parent.uri (also when the parent was deleted); Links =
//     link facets and external embeds (http/https, deduplicated);
//     Engagement = likes, reposts, replies, quotes. Posts with a bad uri or
//     record, or no usable time, are skipped.
//   - Errors and limits: HTTP errors are *listener.HTTPError; a 429 whose
//     reset the fetcher could not read gets RetryAfter = 5 minutes (the
//     window of Bluesky's limits). A malformed body is an error naming the
//     URL. Partial success: endpoints that failed keep their old state, the
//     others advance; after a 429, a spent budget, a refused login or a
//     cancelled context, the remaining endpoints are not tried. The budget,
//     when set, is charged one unit before every request (session calls
//     included).
//   - Refresh (listener.Lookup, LookupCounts): app.bsky.feed.getPosts, 25
//     uris a call, logged in like Fetch; a post left out is deleted.
package bluesky
