// Package hackernews is the Hacker News source, polling the Algolia search
// API (search_by_date) for each configured query.
//
// Contract:
//   - Fetch asks, per query, for hits with created_at_i >= the cursor's
//     boundary second and pages from 0 until the last page or MaxPages. Hits
//     already returned at that boundary second are remembered by objectID,
//     so a hit sharing the boundary second with earlier ones is returned
//     exactly once and none is skipped. The first run looks back Lookback.
//   - A hit is returned once per Fetch even when several queries match it.
//   - Post mapping: NativeID = objectID; URL is the news.ycombinator.com
//     permalink; Title is the story title (a comment
//     has none: its story_title is ParentTitle, context that is never
//     matched); Text is story_text/comment_text as plain text. A link story
//     has no text of its own, so its Text is the linked URL: the matcher and
//     the UI then see where it points (brand domains) without a new field.
//     Engagement has "points" and "num_comments" when the API gives them.
//   - Partial success: when one query fails, the posts of the queries that
//     succeeded are returned with a cursor advancing only those queries, and
//     the error names the failed query and URL. After a 429 (or a cancelled
//     context) the remaining queries are not tried in this Fetch.
//   - The search API caps a query at about 1,000 results; with MaxPages set
//     lower, a burst larger than MaxPages*HitsPerPage since the last poll
//     loses its oldest hits (the cursor still moves to the newest).
//   - Refresh (listener.Lookup, LookupCounts): Algolia items/{id}, one
//     request per item, 20 a call: a story's points and the comments in its
//     tree; a 404 is a deleted item.
package hackernews
