package httpx

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/earshot/earshot/listener"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultMaxBody         = 10 << 20
	DefaultPerHostInterval = time.Second
	DefaultTimeout         = 30 * time.Second
	errorBodyLimit         = 512
)

// ErrBodyTooLarge is returned (wrapped) when a body exceeds Options.MaxBody.
var ErrBodyTooLarge = errors.New("response body too large")

// Options configure a Fetcher. Zero fields take the defaults above.
type Options struct {
	UserAgent string
	// MaxBody caps the decompressed body (default 10 MB).
	MaxBody int64
	// PerHostInterval is the minimum gap between two requests to one host
	// (default 1s; negative disables the wait, for tests).
	PerHostInterval time.Duration
	// Client defaults to a client with a 30s timeout. Its transport must not
	// decompress on its own for the gzip cap to apply; the default does not.
	Client *http.Client
	Clock  func() time.Time
}

// Response is a 2xx or 304 answer, body fully read.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	URL        string // final URL, after redirects
}

// Fetcher performs polite GETs.
type Fetcher struct {
	opts Options

	mu   sync.Mutex
	next map[string]time.Time // host -> earliest next request
}

// New returns a Fetcher with opts, defaults filled in.
func New(opts Options) *Fetcher {
	if opts.UserAgent == "" {
		opts.UserAgent = UserAgent("0.1", "")
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.PerHostInterval == 0 {
		opts.PerHostInterval = DefaultPerHostInterval
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: DefaultTimeout}
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	return &Fetcher{opts: opts, next: map[string]time.Time{}}
}

// UserAgent formats the User-Agent Earshot sends: "Earshot/<version> (+<contact>)",
// or "Earshot/<version>" when contact is empty.
func UserAgent(version, contact string) string {
	if version == "" {
		version = "0.1"
	}
	contact = strings.TrimSpace(contact)
	if contact == "" {
		return "Earshot/" + version
	}
	return fmt.Sprintf("Earshot/%s (+%s)", version, contact)
}

// Get fetches rawURL with the extra header (may be nil).
func (f *Fetcher) Get(ctx context.Context, rawURL string, header http.Header) (*Response, error) {
	return f.Do(ctx, http.MethodGet, rawURL, header, nil)
}

// Do is Get for any method, with an optional request body (sent with the
// Content-Type given in header). The same politeness, caps and error
// mapping apply; a body must be small (it is held in memory for retries of
// the request by the transport).
func (f *Fetcher) Do(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse url %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("fetch %s: unsupported scheme %q", rawURL, u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("fetch %s: no host", rawURL)
	}
	if err := f.wait(ctx, u.Host); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if req.Header.Get("User-Agent") == "" { // Reddit requires its own form
		req.Header.Set("User-Agent", f.opts.UserAgent)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := f.opts.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	final := rawURL
	if resp.Request != nil && resp.Request.URL != nil {
		final = resp.Request.URL.String()
	}

	if resp.StatusCode == http.StatusNotModified {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, errorBodyLimit))
		return &Response{StatusCode: resp.StatusCode, Header: resp.Header, URL: final}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := readBody(resp, errorBodyLimit)
		return nil, &listener.HTTPError{
			URL:        rawURL,
			StatusCode: resp.StatusCode,
			RetryAfter: retryAfter(resp, f.opts.Clock()),
			Body:       strings.ToValidUTF8(strings.TrimSpace(string(body)), "\uFFFD"),
		}
	}
	data, err := readBody(resp, f.opts.MaxBody)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data, URL: final}, nil
}

// readBody reads at most limit bytes of the decoded body. For the error
// snippet path (limit = errorBodyLimit) a longer body is truncated; for the
// normal path a longer body is ErrBodyTooLarge.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	var r io.Reader = resp.Body
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, fmt.Errorf("read body: %w", err)
	}
	if int64(len(b)) > limit {
		if limit == errorBodyLimit {
			return b[:limit], nil
		}
		return nil, fmt.Errorf("%w: over %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// wait blocks until host may be contacted again, then books the next slot.
func (f *Fetcher) wait(ctx context.Context, host string) error {
	if f.opts.PerHostInterval < 0 {
		return ctx.Err()
	}
	f.mu.Lock()
	now := f.opts.Clock()
	at := f.next[host]
	if at.Before(now) {
		at = now
	}
	f.next[host] = at.Add(f.opts.PerHostInterval)
	f.mu.Unlock()

	d := at.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
