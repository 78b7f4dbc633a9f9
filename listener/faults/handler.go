package faults

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Handler serves a wrapped handler through the current Plan.
type Handler struct {
	next http.Handler

	mu     sync.Mutex
	plan   Plan
	closed chan struct{}
	once   sync.Once

	faulted atomic.Int64
	storm   atomic.Int64
}

// Wrap returns a Handler serving h through plan.
func Wrap(h http.Handler, plan Plan) *Handler {
	return &Handler{next: h, plan: plan, closed: make(chan struct{})}
}

// Set replaces the plan; requests already being served keep the old one.
func (h *Handler) Set(p Plan) {
	h.mu.Lock()
	h.plan = p
	h.mu.Unlock()
}

// Faulted is how many requests a fault was applied to.
func (h *Handler) Faulted() int64 { return h.faulted.Load() }

// Close ends every Hang and Trickle in progress and makes later ones end at
// once. It is safe to call more than once.
func (h *Handler) Close() { h.once.Do(func() { close(h.closed) }) }

func (h *Handler) current() Plan {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.plan
}

// ServeHTTP applies the plan to r.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := h.current()
	if p.Kind == None || (p.Match != nil && !p.Match(r)) {
		h.next.ServeHTTP(w, r)
		return
	}
	h.faulted.Add(1)
	switch p.Kind {
	case Reset:
		reset(w)
	case Hang:
		select {
		case <-r.Context().Done():
		case <-h.closed:
		}
	case Trickle:
		rec := h.record(r)
		rec.copyHeader(w)
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.status)
		h.trickle(w, r, rec.body.Bytes(), p.Every)
	case Truncate:
		rec := h.record(r)
		body := rec.body.Bytes()
		keep := p.Keep
		if keep <= 0 || keep >= 1 {
			keep = 0.5
		}
		rec.copyHeader(w)
		dropValidators(w.Header())
		w.Header().Set("Content-Length", strconv.Itoa(int(float64(len(body))*keep)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:int(float64(len(body))*keep)])
	case HTMLPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(proxyPage))
	case ErrorBody:
		body, ctype := p.Body, p.ContentType
		if body == "" {
			body, ctype = defaultErrorBody, "application/json; charset=utf-8"
		}
		if ctype == "" {
			ctype = "application/json; charset=utf-8"
		}
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(body))
	case RateLimited:
		if p.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.FormatInt(int64((p.RetryAfter+time.Second-1)/time.Second), 10))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":"Too Many Requests","message":"rate limit exceeded, slow down"}`))
	case Storm:
		codes := [...]int{500, 502, 503, 504}
		code := codes[int(h.storm.Add(1)-1)%len(codes)]
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(http.StatusText(code) + ": upstream overloaded"))
	case GzipBomb:
		serveBomb(w, p.ContentType, sizeOr(p.Size))
	case HugeBody:
		rec := h.record(r)
		ctype := rec.header.Get("Content-Type")
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		serveHuge(w, r, ctype, rec.body.Bytes(), sizeOr(p.Size))
	case Rewrite:
		rec := h.record(r)
		body := rec.body.Bytes()
		if p.Rewrite != nil && rec.status >= 200 && rec.status < 300 {
			body = p.Rewrite(body, rec.header.Get("Content-Type"))
		}
		rec.copyHeader(w)
		dropValidators(w.Header())
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.status)
		_, _ = w.Write(body)
	default:
		h.next.ServeHTTP(w, r)
	}
}

func sizeOr(n int64) int64 {
	if n <= 0 {
		return DefaultSize
	}
	return n
}

// reset drops the connection without an answer.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http closes the connection
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// trickle writes body one byte at a time, every gap.
func (h *Handler) trickle(w http.ResponseWriter, r *http.Request, body []byte, gap time.Duration) {
	if gap <= 0 {
		gap = DefaultEvery
	}
	fl, _ := w.(http.Flusher)
	t := time.NewTicker(gap)
	defer t.Stop()
	for i := range body {
		if _, err := w.Write(body[i : i+1]); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-h.closed:
			return
		case <-t.C:
		}
	}
}

// dropValidators removes ETag and Last-Modified from a rewritten answer:
// they described the real body, and a conditional GET would get a 304 for
// a body it never saw.
func dropValidators(h http.Header) {
	h.Del("ETag")
	h.Del("Last-Modified")
}

// recorder captures the wrapped handler's answer.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *Handler) record(r *http.Request) *recorder {
	rec := &recorder{header: http.Header{}}
	h.next.ServeHTTP(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}

func (rec *recorder) copyHeader(w http.ResponseWriter) {
	for k, vs := range rec.header {
		w.Header()[k] = append([]string(nil), vs...)
	}
}

// proxyPage is what a CDN or proxy answers when the origin is down.
const proxyPage = `<!DOCTYPE html>
<html lang="en-US"><head><title>api.example.com | 502: Bad gateway</title>
<meta charset="UTF-8"><meta name="robots" content="noindex, nofollow"></head>
<body><div id="cf-wrapper"><h1><span class="inline-block">Bad gateway</span>
<span class="code-label">Error code 502</span></h1>
<p>The web server reported a bad gateway error.</p>
<p>Please try again in a few minutes.</p></div></body></html>
`

// defaultErrorBody is a 200 answer that carries an error.
const defaultErrorBody = `{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}`
