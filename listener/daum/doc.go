// Package daum is the Daum search source (Kakao's search API): Korean
// blogs, Daum cafés, web documents and video clips
// (GET {base}/v2/search/{blog,cafe,web,vclip}, header
// "Authorization: KakaoAK <REST API key>").
//
// Contract:
//   - Each query is searched in each configured kind with sort=recency,
//     size (default 50; vclip at most 30) results per call, page = 1, 2, …
//     up to the API's last page (50; vclip 15) and at most MaxPages calls.
//     Paging stops at the first URL returned by an earlier fetch, at a
//     result older than the floor (now-Lookback on the first fetch; 48 hours
//     before the newest date already seen afterwards), at meta.is_end or
//     at a short page. A burst of more than MaxPages*size new results
//     between two polls loses its oldest ones (the API cannot be asked for
//     "since").
//   - The API has no ids: NativeID and URL are the document's url (http
//     made https for Daum's own hosts, fragment dropped). The cursor keeps,
//     per kind and query, the newest date seen and the newest MaxSeen URLs
//     returned, so a result is returned once; within a Fetch a URL is
//     returned once even when several searches find it.
//   - Dates: datetime is ISO 8601 with its zone (+09:00) and exact. A date
//     after the fetch time is clamped to it; one more than 10 minutes ahead,
//     one before 1970-01-02 (the Unix epoch), an unreadable or a missing one
//     is no date: Published is the fetch
//     time, PublishedEstimated is true, and it does not move the newest
//     date seen.
//   - Text: <b> highlights and HTML entities are removed from title and
//     contents (Title, Text). Author is the blog's host and first path
//     segment (blog), "cafe.daum.net/<café id>" (cafe), the host (web) or
//     the clip's channel (vclip); AuthorName is blogname, cafename or
//     author. Lang is "ko" when the text contains Hangul, else empty (the
//     API declares no language). Links are the url and URLs written in the
//     text. There is no engagement, follower count or reply in this API.
//   - Owned: a result whose Author is a configured account's handle, or
//     ends in "/" + the handle (a blog or café id, or a blog host), is
//     marked Owned.
//   - Budget: Take(1) is called before every call. A *listener.BudgetError,
//     a 429 (the app's quota), a 401/403 or a cancelled context ends the
//     Fetch: the searches completed so far are returned with their cursor
//     (partial success), the rest keep their old state. A failed search
//     returns nothing and keeps its state, so it is retried whole. Errors
//     carry the API's errorType and message explained (401 naming
//     api_key_env, 429 the quota) and wrap the *listener.HTTPError.
package daum
