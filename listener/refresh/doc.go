// Package refresh re-reads the engagement counts of recent mentions, so
// that the report's engagement is not frozen at the counts read minutes
// after a post appeared.
//
// Contract:
//   - Schedule: store.RefreshAges (1 h, 6 h, 24 h, 72 h and 7 days after
//     publication) is the one table; the store keeps an index of mentions
//     by next-refresh time (written by Commit for mentions that came with
//     counts), so a tick reads only what is due.
//   - Lookups: each source whose network can look posts up implements
//     listener.Lookup (Hacker News items, Reddit /api/info, YouTube
//     videos.list, X tweet lookup, Bluesky getPosts, Mastodon statuses). A
//     mention is looked up through the source that fetched it, else any
//     source of its network; networks without a lookup (RSS, web, Naver)
//     have no counts and are never scheduled. A mention whose network has no
//     source left is answered "gone" (counts kept, schedule advanced).
//   - Outcomes go to store.ApplyRefreshes in one transaction per lookup
//     call: counts read → the mention and its rollups change by the
//     difference; a post the network no longer serves keeps its counts;
//     a failed lookup is retried after RetryAfter (or when a spent budget
//     resets), never dropped (store gives it up, counts kept, a day after
//     its last age).
//   - Never starving polling: the refresher runs apart from the poll
//     scheduler, every Every (5 min), at most MaxCalls lookup calls per
//     source per tick; a budgeted network (YouTube quota units, X post
//     reads) refreshes from its own share of the source's daily budget
//     (Share: a tenth), which polling never sees (the daemon gives polling
//     the rest).
//   - Why a package of its own and not listener/ingest: the refresher
//     shares nothing with the poll scheduler's state (cursors, backoff,
//     health) and needs only the store's refresh calls and the sources'
//     Lookup; keeping it apart keeps ingest's contract unchanged.
package refresh
