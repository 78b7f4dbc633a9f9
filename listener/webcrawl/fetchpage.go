package webcrawl

import (
	"context"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/htmltext"
	"github.com/earshot/earshot/listener/httpx"
)

// maxRetryAfter caps a server-requested wait.
const maxRetryAfter = 24 * time.Hour

// Keys of the per-request colly context.
const (
	ctxResp     = "earshot.resp"
	ctxErrResp  = "earshot.errresp"
	ctxTooLarge = "earshot.toolarge"
	ctxSkip     = "earshot.skip"
)

// result is the outcome of fetching one page.
type result struct {
	body      []byte
	header    http.Header
	final     *url.URL // after redirects
	err       error
	skip      string // why the page was skipped without an error
	noRequest bool   // nothing was sent (robots, filters)
}

// deadlineGrace is how long past the fetch's deadline the HTTP client's
// own timer fires; see newCollector.
const deadlineGrace = 100 * time.Millisecond

// newCollector returns a synchronous collector for one fetch. Settings are
// applied after NewCollector so that COLLY_* environment variables cannot
// loosen them.
func (s *Source) newCollector(ctx context.Context, p *plan) (*colly.Collector, error) {
	c := colly.NewCollector(colly.StdlibContext(ctx))
	c.UserAgent = s.cfg.UserAgent
	if c.UserAgent == "" {
		c.UserAgent = httpx.UserAgent("", "")
	}
	c.IgnoreRobotsTxt = false
	c.AllowURLRevisit = false
	c.Async = false
	c.CheckHead = false
	c.CacheDir = ""
	c.MaxDepth, c.MaxRequests = 0, 0
	c.ParseHTTPErrorResponse = false
	c.AllowedDomains, c.DisallowedDomains = p.collyOK, nil
	c.URLFilters, c.DisallowedURLFilters = nil, nil
	// One byte over the cap: colly truncates silently, so a body that
	// reaches MaxBody+1 bytes is known to be too large.
	c.MaxBodySize = int(min(s.cfg.MaxBody+1, math.MaxInt32))
	// colly's own cap does not cover robots.txt, and counts compressed
	// bytes when it inflates itself: bound every body at the transport.
	c.WithTransport(newCapTransport(s.cfg.MaxBody))
	timeout := s.cfg.RequestTimeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < timeout {
			// The fetch's deadline comes first. colly fetches robots.txt
			// without the context, so the client's own timer is what ends
			// it: set it a little past the deadline so that the deadline has
			// passed when it fires and the fetch is reported as timed out,
			// not as a request error.
			timeout = max(left, 0) + deadlineGrace
		}
	}
	c.SetRequestTimeout(timeout)
	// DomainGlob "*" matches every host:port (colly matches hosts with port).
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Delay: s.cfg.Delay, RandomDelay: s.cfg.Delay / 4, Parallelism: s.cfg.Parallelism}); err != nil {
		return nil, fmt.Errorf("limit rule: %w", err)
	}
	maxBody := s.cfg.MaxBody
	c.OnRequest(func(r *colly.Request) {
		if ctx.Err() != nil {
			r.Abort()
		}
	})
	c.OnResponseHeaders(func(r *colly.Response) {
		if r.StatusCode < 200 || r.StatusCode > 202 {
			return // colly reports it to OnError with the body's start
		}
		if n, err := strconv.ParseInt(r.Headers.Get("Content-Length"), 10, 64); err == nil && n > maxBody {
			r.Ctx.Put(ctxTooLarge, true)
			r.Request.Abort()
			return
		}
		if ct := r.Headers.Get("Content-Type"); ct != "" {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || (mt != "text/html" && mt != "application/xhtml+xml") {
				r.Ctx.Put(ctxSkip, "content type "+ct)
				r.Request.Abort()
			}
		}
	})
	c.OnResponse(func(r *colly.Response) { r.Ctx.Put(ctxResp, r) })
	c.OnError(func(r *colly.Response, _ error) {
		if r != nil && r.Ctx != nil {
			r.Ctx.Put(ctxErrResp, r)
		}
	})
	return c, nil
}

// fetchPage requests one page through the collector.
func (s *Source) fetchPage(ctx context.Context, c *colly.Collector, u *url.URL) result {
	cctx := colly.NewContext()
	hdr := http.Header{"Accept": {"text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}}
	err := c.Request(http.MethodGet, u.String(), nil, cctx, hdr)
	resp, _ := cctx.GetAny(ctxResp).(*colly.Response)
	errResp, _ := cctx.GetAny(ctxErrResp).(*colly.Response)
	var visited *colly.AlreadyVisitedError
	switch {
	case errors.As(err, &visited), errors.Is(err, colly.ErrForbiddenDomain), errors.Is(err, colly.ErrNoURLFiltersMatch):
		return result{noRequest: true, skip: err.Error()}
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		return result{noRequest: true, err: fmt.Errorf("%s: disallowed by robots.txt", u)}
	case cctx.GetAny(ctxTooLarge) != nil:
		return result{err: fmt.Errorf("%s: body larger than %d bytes (max_body)", u, s.cfg.MaxBody)}
	case cctx.GetAny(ctxSkip) != nil:
		return result{skip: cctx.Get(ctxSkip)}
	case errResp != nil && errResp.StatusCode >= 300:
		return result{err: s.httpError(u, errResp)}
	case err != nil:
		if ctx.Err() != nil {
			return result{err: fmt.Errorf("%s: %w", u, ctx.Err())}
		}
		return result{err: fmt.Errorf("%s: request failed: %w", u, err)}
	case resp == nil:
		if ctx.Err() != nil {
			return result{noRequest: true, err: fmt.Errorf("%s: %w", u, ctx.Err())}
		}
		return result{err: fmt.Errorf("%s: no response", u)}
	}
	if int64(len(resp.Body)) > s.cfg.MaxBody {
		return result{err: fmt.Errorf("%s: body larger than %d bytes (max_body)", u, s.cfg.MaxBody)}
	}
	final := u
	if resp.Request != nil && resp.Request.URL != nil {
		final = canonical(resp.Request.URL)
	}
	var h http.Header
	if resp.Headers != nil {
		h = *resp.Headers
	}
	return result{body: resp.Body, header: h, final: final}
}

// httpError maps a non-2xx answer to a *listener.HTTPError.
func (s *Source) httpError(u *url.URL, r *colly.Response) error {
	e := &listener.HTTPError{URL: u.String(), StatusCode: r.StatusCode}
	if r.Headers != nil {
		e.RetryAfter = retryAfter(r.Headers.Get("Retry-After"), s.clock())
	}
	body := r.Body
	if len(body) > 2048 {
		body = body[:2048]
	}
	e.Body = htmltext.ToText(string(body))
	if len(e.Body) > 200 {
		e.Body = strings.ToValidUTF8(e.Body[:200], "")
	}
	if r.StatusCode == http.StatusUnauthorized || r.StatusCode == http.StatusForbidden {
		return fmt.Errorf("page needs a login or refuses crawlers (web sources crawl public pages only; check start_urls and follow_pattern): %w", e)
	}
	return e
}

// retryAfter reads a Retry-After value: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		d = time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}
