// Package feed is the RSS 2.0 / Atom / JSON Feed source, with the quirks of
// Google News search feeds and Google Alerts feeds handled.
//
// Contract:
//   - Each configured URL is fetched with a conditional GET (If-None-Match /
//     If-Modified-Since from the cursor); 304 means nothing new.
//   - An item is identified by its key: GUID (Atom id, JSON Feed id) when
//     present, else its canonical link (after unwrapping Google redirects),
//     else a hash of its title and text. The cursor keeps, per URL, the keys
//     already returned (the newest 2,000), so an item is returned once.
//   - On the first fetch of a URL, items published before now-Lookback are
//     recorded as seen but not returned.
//   - Post mapping: NativeID = the item key; URL = the real link; Title and
//     Text are plain text (Text from content, else description/summary);
//     AuthorName is the item author's name. Published = published date, else
//     updated date, else the fetch time (the feed gave none). Lang is the
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
