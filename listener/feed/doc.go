// Package feed is the RSS 2.0 / Atom / JSON Feed source, with the quirks of
// Google News search feeds and Google Alerts feeds handled.
//
// Contract:
//   - Each configured URL is fetched with a conditional GET (If-None-Match /
//     If-Modified-Since from the cursor); 304 means nothing new.
//   - Decoding (charset.go): the charset comes from the byte order mark,
//     the XML declaration, then the HTTP Content-Type; UTF-16/32 are read;
//     invalid bytes become U+FFFD and the other items are kept; Windows-1252
//     characters read as C1 controls are mapped (don\u0092t → don’t).
//   - Identity (identity.go): a guid that is a URL or a tag:/urn: URI is the
//     key; any other guid is scoped to its publisher, "host#guid" (host of
//     the item's link, else the feed's link, else the feed URL), and the
//     bare guid an earlier version used is kept as Post.LegacyNativeID and
//     recognised by the cursor; without a guid, the canonical link (Google
//     redirects unwrapped); else a hash of title and text.
//   - Order and cap: items are taken newest first by date; at most MaxItems
//     new items per URL per fetch are returned, and a fetch that left some
//     out returns a *listener.Warning "N items skipped" (not a failure);
//     they come in the next fetches.
//   - Cursor (cursor.go), per URL: validators, a floor date and the seen
//     items as fixed-size records (key hash, time), the newest kept (at
//     most MaxSeen per URL and SeenBudget for all URLs), so the cursor's
//     size is bounded whatever the feeds. A dated item at or before the
//     floor is old: the floor starts at the first fetch's now-Lookback and
//     rises to the newest record dropped. An undated item stays seen while
//     the feed carries it.
//   - Post mapping: NativeID = the item key; URL = the real link, made
//     absolute against the feed's link; Title and Text are plain text (Text
//     = the summary and the full content, each once); Links = the text's
//     link targets, absolute; AuthorName is the item author's name.
//     Published = published date, else updated date, else the fetch time
//     with PublishedEstimated; zone names gofeed reads as UTC (KST, JST…)
//     and Korean date forms are read by fixDate (dates.go). Lang is the
//     feed's declared language, primary subtag only ("ko", "en").
//   - Google News (news.google.com): the " - Publisher" title suffix is cut
//     off into AuthorName, Author is the publisher's host from <source url>
//     (e.g. "biz.chosun.com"), and the description's trailing publisher name
//     is dropped. Article links stay Google redirects: they cannot be decoded
//     offline. Google Alerts: https://www.google.com/url?...&url=<real> links
//     are unwrapped; <b> highlights are removed with the rest of the HTML.
//   - Partial success: posts of the URLs that worked are returned with a
//     cursor that advances only those URLs, together with an error
//     (errors.Join) naming each failed URL. When every URL fails, Fetch
//     returns no cursor.
package feed
