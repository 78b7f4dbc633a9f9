// Package naver is the Naver Search API source: Korean blogs, news and café
// articles (GET {base}/v1/search/{blog,news,cafearticle}.json).
//
// Contract:
//   - Each query is searched in each configured kind with sort=date,
//     display (default 100) results per call, start = 1, 101, ... up to
//     the API's 1,000 and at most MaxPages calls. Paging stops at the first
//     link returned by an earlier fetch, at a result older than the floor
//     (now-Lookback on the first fetch; 48 hours before the newest date
//     already seen afterwards), or at the end of the results. A burst of
//     more than MaxPages*Display new results between two polls loses its
//     oldest ones (the API cannot be asked for "since").
//   - The API has no ids: NativeID and URL are the canonical link (news:
//     originallink when present, else link; blog links normalised to
//     https://blog.naver.com/<id>/<logNo>). The cursor keeps, per kind and
//     query, the newest date seen and the newest MaxSeen links returned, so
//     a result is returned once; within a Fetch a link is returned once even
//     when several searches find it.
//   - Dates: news pubDate is exact. A blog postdate is a KST day only:
//     Published is the fetch time, or the day's last second when the day
//     has already ended, and PublishedEstimated is true. A date after the
//     fetch time is clamped to it; one more than 10 minutes ahead (a day
//     that starts then) is no date at all: Published is the fetch time,
//     PublishedEstimated is true, and it does not move the newest date
//     seen, which would put the next floor past unseen results. Café articles have
//     no date at all: Published is the time Earshot first saw the article,
//     PublishedEstimated is true, and the first fetch of a café search reads
//     one page only (there is no date to apply Lookback to).
//   - Text: <b> highlights and entities are removed from title and
//     description (Title, Text). Author is "blog.naver.com/<id>" or the
//     blog's host (blog), "cafe.naver.com/<id>" (café), the publisher's host
//     (news); AuthorName is bloggername or cafename. Lang is "ko" when the
//     text contains Hangul, else empty (the API declares no language).
//     Links are originallink, link and URLs written in the snippet. There
//     is no engagement, follower count or reply in this API.
//   - Owned: a blog result whose blog id is a configured account's handle is
//     marked Owned. The Search API cannot list one blog's posts, so owned
//     Naver blogs should also be polled with an rss source at
//     https://rss.blog.naver.com/<id>.xml.
//   - Budget: Take(1) is called before every call. A *listener.BudgetError,
//     a 429, a 401/403 or a cancelled context ends the Fetch: the searches
//     completed so far are returned with their cursor (partial success),
//     the rest keep their old state. A failed search returns nothing and
//     keeps its state, so it is retried whole. Errors carry the API's
//     errorCode explained (SE01..SE06, SE99, 024 authentication naming
//     client_id_env/client_secret_env, 012 rate limit) and wrap the
//     *listener.HTTPError.
//   - Base URL, path template ({kind}) and credential header names are
//     configurable for NAVER API HUB (https://naverapihub.apigw.ntruss.com,
//     "/search/v1/{kind}", X-NCP-APIGW-API-KEY-ID / X-NCP-APIGW-API-KEY).
package naver
