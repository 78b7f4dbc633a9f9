// Package reddit is the Reddit source: it searches Reddit for each
// configured query and reads the submissions and comments of the brands'
// own accounts, through the OAuth API (oauth.reddit.com).
//
// Contract:
//   - Auth: an application-only token is obtained with the client
//     credentials grant (POST {AuthURL}/api/v1/access_token, HTTP Basic
//     client id/secret), kept in memory and reused until 5 minutes before it
//     expires. A 401 on an API call drops the token and re-authenticates
//     once. Rejected credentials give an error wrapping ErrCredentials
//     ("reddit: client_id_env / client_secret_env credentials rejected").
//   - Every request carries the User-Agent Reddit requires,
//     "<platform>:<app id>:<version> (by /u/<username>)" (Config.UserAgent).
//   - Chains: one listing chain per query (GET /search, or
//     /r/A+B/search?restrict_sr=1 with Subreddits, sort=new, type=link) and,
//     per account, /user/NAME/submitted and /user/NAME/comments. A chain
//     pages with `after` from the newest item down to its cursor. The cursor
//     keeps, per chain, the newest created_utc second done and the ids at
//     that second, so nothing is skipped or repeated across restarts (an
//     item created more than 10 minutes after the fetch time is returned
//     but does not move that second, which would skip every item until
//     then). A
//     chain cut short (MaxPages reached, rate limit spent, error after the
//     first page) keeps a "gap" (the `after` token to resume from and the
//     newest second seen): the next Fetch first finishes the gap, then reads
//     what is new above it. The first run reaches back Lookback. When a
//     stop (rate limit, budget) cuts a Fetch short, the cursor names the
//     chain to poll first next time, so no chain starves behind the others.
//   - A post is returned once per Fetch even when several chains find it.
//   - Post mapping: NativeID = the base-36 id without its t3_/t1_ prefix;
//     URL = https://www.reddit.com + permalink; Title = title (comments: none;
//     link_title is ParentTitle, context that is never matched); Text = selftext/body as sent with raw_json=1
//     (Markdown source, entities not escaped); Author = author, "" when
//     "[deleted]"; Engagement "score" and "num_comments" (comments: "score";
//     upvote_ratio is a ratio, not a count, and is left out); ReplyTo =
//     parent_id without prefix for comments; Links = url of link posts plus
//     the http(s) URLs written in the text. Posts by a configured account
//     are Owned by its brand and carry the account's followers (profile
//     subscribers) and display name (profile title) from /user/NAME/about,
//     cached for a day.
//   - Deleted and removed items: "[deleted]"/"[removed]" text becomes "";
//     a submission is kept only while its title has content (a title of
//     "[deleted]", "[removed]" or "[ Removed by Reddit ]" drops it); a
//     comment whose body is gone is dropped.
//   - Limits: Budget.Take(1) before every request (token, about, listing);
//     a *listener.BudgetError ends the Fetch with what was gathered. After
//     a response whose X-Ratelimit-Remaining is below 1 the Fetch stops and
//     returns a synthesised *listener.HTTPError (status 429, RetryAfter =
//     X-Ratelimit-Reset seconds); a real 429 carries the same wait via
//     httpx. Rate limits, rejected credentials, budget and a cancelled
//     context end the Fetch; other chain errors are reported and the
//     remaining chains still run (partial success: the cursor advances only
//     the chains that made progress; next is nil when none did).
//   - Hostile input: at most 100 children per page and MaxPages pages per
//     chain and Fetch; ids must be base 36; bad times, kinds and permalinks
//     are skipped or replaced, never trusted; a body that is not a Listing
//     is an error naming the URL.
//   - Refresh (listener.Lookup, LookupCounts): /api/info?id=t3_…,t1_… (a
//     reply is a t1_ comment), 100 things a call; a thing missing from the
//     answer is gone.
package reddit
