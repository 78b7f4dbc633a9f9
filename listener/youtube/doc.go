// Package youtube is the YouTube source: it polls the YouTube Data API v3
// with an API key for videos matching each query, the uploads of the
// brands' own channels, and the comment threads around both.
//
// Contract:
//   - Queries: search?type=video&order=date&publishedAfter= from the
//     query's watermark (newest publishedAt returned plus the video ids at
//     that second; publishedAfter is inclusive), up to MaxPages pages of 50.
//     A query's posts are kept only when all its pages succeeded. An item
//     dated more than 10 minutes after the fetch time is returned (with its
//     date) but moves no watermark (queries, uploads, comments): a bad date
//     must not skip every item published until then.
//   - Accounts (handles["youtube"]): a channel id (UC...) or @handle,
//     resolved once with channels?forHandle= and kept in the cursor; each
//     Fetch reads subscriber counts with one channels?id= call per 50
//     channels and the uploads playlist (playlistItems, 1 unit a page
//     instead of search's 100). Posts from an account's channel — uploads,
//     search hits and comments — are Owned with the account's Brand and
//     AuthorFollowers = subscriberCount (unless hidden).
//   - Videos found in a Fetch get Engagement views/likes/comments (API
//     counts are strings; likeCount may be absent), the full description and
//     the declared language from videos?part=snippet,statistics (50 ids a
//     call). A failure there is reported but does not hold back cursors.
//   - Comments (unless SkipComments): commentThreads (order=time,
//     part=snippet,replies) of each account's channel
//     (allThreadsRelatedToChannelId) and of the MaxCommentVideos newest
//     matched videos, each from its own watermark. A comment's ReplyTo is
//     its parent comment for a reply, else the video id; Title is
//     empty and ParentTitle is the video title (context, never matched); URL is watch?v=VID&lc=CID. A 403 commentsDisabled
//     or 404 stops following that video silently (debug log).
//   - Post mapping for videos: NativeID = video id, URL = watch?v=ID,
//     Title = the title unescaped (search escapes &#39; &amp; &quot;),
//     Text = description, Author = channel id, AuthorName = channel title,
//     Links = URLs in the text.
//   - Names, not ids: every post whose Author is a channel id (videos and
//     comments) gets the channel's handle (snippet.customUrl, "@name") as
//     Author, its title as AuthorName when it has none and its subscriber
//     count (unless hidden) as AuthorFollowers, from
//     channels?part=snippet,statistics&id= (50 channels a call, 1 unit),
//     cached per Source for a day; a failure leaves the ids (debug log).
//   - Refresh (listener.Lookup): videos?part=statistics and, for comments,
//     comments?part=snippet, 50 ids a call, 1 unit each from the refresh
//     budget.
//   - Quota: budget.Take(cost) precedes every call (search 100 units,
//     others 1); a *listener.BudgetError ends the Fetch with what was
//     gathered. A 403 quotaExceeded ends it too, as an *listener.HTTPError
//     whose RetryAfter runs to the next midnight in QuotaZone. An API key
//     refusal is an *AuthError naming the key to check; a 429 or Retry-After
//     ends the Fetch. The key never appears in errors.
//   - Partial success: each query, account uploads, account comments and
//     followed video is a chain; failed chains keep their old cursor state
//     and are joined into the error; when no chain succeeds Fetch returns
//     no cursor. A video is returned once per Fetch.
//   - Known limits: commentThreads carries at most 5 replies per thread, and
//     a new reply under a thread older than the watermark is not seen; a
//     burst larger than MaxPages*50 videos since the last poll loses its
//     oldest ones.
package youtube
