// Package webcrawl is the "web" source: it crawls a site with colly and turns
// the elements matched by a CSS selector into posts, for forums, blogs and
// news pages that have no API or feed.
//
// Contract:
//   - A Fetch crawls breadth first from Config.StartURLs, following links
//     whose absolute URL matches Config.FollowPattern, at most MaxPages pages
//     (robots.txt not counted). Start URLs are always fetched. Links are
//     followed only to allowed hosts: Config.AllowedDomains (a hostname
//     matches any port; "host:port" matches that port only), or, when empty,
//     the start URLs' hosts including their ports.
//   - Politeness: robots.txt is obeyed (a start URL it disallows is an
//     error, a followed link it disallows is skipped); one LimitRule for
//     every host with Delay (default 2s, plus up to Delay/4 of jitter) and
//     Parallelism (default 1); the User-Agent is Config.UserAgent; bodies
//     over MaxBody (default 5 MB) are refused, not truncated; each request
//     times out after RequestTimeout (default 20s) or the context's
//     deadline, whichever is sooner; non-2xx answers are not parsed; only
//     HTML is parsed (other content types are skipped); no request is
//     started once ctx is done.
//   - Items: one post per ItemSelector match (at most 500 per page). The
//     permalink is the href of LinkSelector inside the item, resolved
//     against the page URL, fragment dropped; without one, the page URL
//     when the page holds exactly one item (an item's own page), else the
//     page URL + "#" + the element's id, else + "#item-N" (N counts matches
//     on the page from 1; such ids move when items are inserted above, so
//     configure a LinkSelector where the site has permalinks). When
//     LinkSelector gives a permalink in some items of a page, an item in
//     which it matches no element at all (a page cut mid-item, or not a
//     post) is left out rather than given a fallback id: one post never
//     gets two identities. A page whose
//     <meta name="robots"> says noindex (or none) yields no items, nofollow
//     (or none) no links to follow.
//     NativeID = URL = the permalink. Title and Author are collapsed text;
//     Text is the TextSelector element (the whole item when unset) as plain
//     text; Links are the absolute http(s) hrefs inside it (the permalink
//     itself and in-page anchors left out); ReplyTo is the permalink the
//     ReplySelector's href points at; Lang is the nearest lang attribute's
//     primary subtag. Published comes from TimeSelector: its datetime
//     attribute, else its text (TimeLayout, else RFC 3339, RFC 1123, ISO,
//     dotted and Korean dates, "3 hours ago" / "3시간 전"), zone-less times
//     in Config.Location (UTC when nil). Without a usable time, or with
//     one before 1970-01-02 (the Unix epoch a broken CMS writes for "no
//     date"), Published is the fetch time and PublishedEstimated is true.
//   - When an item is seen both on a listing and on its own page in one
//     fetch, the own page wins (full text), the listing filling gaps.
//   - Owned: with Config.OwnedBrand every post is Owned by that brand;
//     otherwise an Account whose Handle contains a dot is a host (the
//     permalink's host or a subdomain of it) and any other Handle is an
//     author handle on the crawled site (case-insensitive).
//   - Cursor (JSON): the permalinks already seen (newest 5,000) and the
//     pages fetched (newest 5,000, with time, validators and whether the
//     page was an item's own page). A permalink already seen is never
//     returned again and its page is not re-fetched; item pages already
//     fetched are skipped; start and listing pages are fetched every time.
//     The first fetch returns items published within Lookback (default
//     72h); later fetches return unseen items published after the previous
//     fetch minus Lookback (undated items always).
//   - Errors: a non-2xx page is a *listener.HTTPError (RetryAfter from
//     Retry-After); a timeout, an oversized body or a refused start URL
//     names the URL. Partial success: posts from the pages that worked and a
//     cursor advanced for them are returned with errors.Join of the
//     failures; when no page could be fetched the cursor is nil. A fetch
//     stopped by ctx returns what it has with the context's error.
package webcrawl
