package webcrawl

import (
	"fmt"
	"io"
	"net/http"
)

// capTransport bounds every response body colly reads, robots.txt included
// (colly reads robots.txt whole, with no limit of its own): reading past max
// bytes of the decoded body fails. Compression is left to the standard
// transport, which inflates transparently, so a gzip bomb is cut at max
// inflated bytes too.
type capTransport struct {
	base http.RoundTripper
	max  int64
}

func newCapTransport(max int64) *capTransport {
	base := http.DefaultTransport.(*http.Transport).Clone()
	return &capTransport{base: base, max: max}
}

func (t *capTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &capBody{rc: resp.Body, left: t.max + 1, max: t.max, url: req.URL.String()}
	return resp, nil
}

// capBody fails a read that goes past max bytes.
type capBody struct {
	rc   io.ReadCloser
	left int64 // bytes that may still be read, max+1 at the start
	max  int64
	url  string
}

func (b *capBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("%s: body larger than %d bytes (max_body)", b.url, b.max)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left <= 0 && err == nil {
		// one byte over the cap: the page is too large
		return n, fmt.Errorf("%s: body larger than %d bytes (max_body)", b.url, b.max)
	}
	return n, err
}

func (b *capBody) Close() error { return b.rc.Close() }
