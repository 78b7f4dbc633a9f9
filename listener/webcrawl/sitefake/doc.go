// Package sitefake serves the recorded forum site embedded from its
// testdata/ over HTTP, for the web source's tests and the demo.
//
// Contract: New(opts) serves Recordings() (testdata/site/ and
// testdata/errors/), or Options.FS laid out the same. The handler
// answers GET and HEAD (anything else: 405) and works mounted under a path
// prefix (http.StripPrefix), since every link in the fixtures is relative:
//   - /robots.txt: testdata/site/robots.txt (it disallows
//     /private/, and */private/ for the prefixed demo).
//   - / and /index.html: the first listing page; /?page=N and /page/N: the
//     Nth (page1 is the index; a missing page is 404).
//   - /members/...: 401 with WWW-Authenticate and errors/401.html.
//   - /busy: 429 with Retry-After: 120 and errors/429.html.
//   - /down: 503 and errors/503.html.
//   - any other path: the file under testdata/site (.html as
//     text/html; charset=utf-8, .txt as text/plain), 404 when absent.
//
// Every HTML body has its dates moved by Options.Shift: datetime="..."
// attributes and the text of <time> elements, in the layout they were
// written in (RFC 3339, 2006-01-02 15:04, 2006-01-02, 2006.01.02 15:04,
// "2006. 1. 2.", "2006년 1월 2일", "Jan 2, 2006", "2 Jan 2006"). A request
// whose path and query equal Options.SlowPath waits Options.SlowDelay (or
// until the client gives up) before it is answered. Pages carry an ETag
// and answer 304 to a matching If-None-Match.
package sitefake
