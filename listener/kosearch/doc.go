// Package kosearch is the logic shared by the Korean portal search sources
// (listener/naver, listener/daum): APIs that search several kinds (blog,
// news, café, ...) for a query, newest first, page by page, with no "since"
// parameter and no ids, under a daily call budget.
//
// Contract:
//   - Fetch runs every query in every kind, in configured order (CleanList:
//     trimmed, empty and duplicate entries dropped), and keeps a Cursor:
//     per kind and query, the newest date seen and the newest MaxSeen ids
//     returned (oldest first). A failed search keeps its old state and adds
//     its error to a listener.Batch; an error for which the caller's stop
//     function answers true (StopAfter: 429, 401/403, Retry-After, a
//     *listener.BudgetError, a cancelled context) ends the Fetch and every
//     remaining search keeps its old state (partial success). A URL found
//     by several searches is returned once.
//   - Search.Run pages through one search: Budget.Take(1) before every
//     call, then the caller's Page. It stops at the first id returned by an
//     earlier fetch, at a dated result older than the floor, when Page says
//     there is no more, or after Pages calls. The floor is FirstFloor when
//     the search has never returned anything (no old state, or one with no
//     ids and no date), Overlap before the newest date seen when there is
//     one, and LaterFloor otherwise. On error it returns nothing and no
//     state, so the search is retried whole.
//
// The network packages keep what differs: URLs, authentication, decoding,
// error texts, owned-account matching and page limits.
package kosearch
