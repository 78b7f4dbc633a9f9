package sitefake

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// Root is the recordings directory inside Recordings() and Options.FS.
const Root = "testdata"

// Options configure the fake site.
type Options struct {
	// FS, when set, replaces the embedded recordings (laid out like
	// Recordings()); only tests that need changed recordings set it.
	FS fs.FS
	// Shift is added to every date in the pages.
	Shift  time.Duration
	Logger zerolog.Logger
	// SlowPath ("/?page=2", "/posts/welcome.html") is answered after
	// SlowDelay, for timeout tests.
	SlowPath  string
	SlowDelay time.Duration
}

type handler struct {
	fsys fs.FS
	opts Options
}

// New returns the fake site's handler.
func New(opts Options) http.Handler {
	return &handler{fsys: opts.recordings(), opts: opts}
}

var pageN = regexp.MustCompile(`^[1-9][0-9]{0,3}$`)

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.opts.Logger.Debug().Str("method", r.Method).Str("url", r.URL.RequestURI()).Str("ua", r.UserAgent()).Msg("sitefake")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p == "" {
		p = "/"
	}
	if h.opts.SlowPath != "" && reqKey(r) == h.opts.SlowPath {
		select {
		case <-time.After(h.opts.SlowDelay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case strings.HasPrefix(p, "/members/"):
		w.Header().Set("WWW-Authenticate", `Basic realm="Battery Talk members"`)
		h.serveFile(w, r, "errors/401.html", http.StatusUnauthorized)
		return
	case p == "/busy":
		w.Header().Set("Retry-After", "120")
		h.serveFile(w, r, "errors/429.html", http.StatusTooManyRequests)
		return
	case p == "/down":
		h.serveFile(w, r, "errors/503.html", http.StatusServiceUnavailable)
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	switch {
	case name == "" || name == "index.html":
		name = "index.html"
		if n := r.URL.Query().Get("page"); n != "" {
			name = listing(n)
		}
	case strings.HasPrefix(name, "page/"):
		name = listing(strings.TrimPrefix(name, "page/"))
	case strings.HasSuffix(p, "/"):
		name += "/index.html"
	}
	if name == "" {
		http.NotFound(w, r)
		return
	}
	h.serveFile(w, r, "site/"+name, http.StatusOK)
}

// reqKey is the request's path and query, as SlowPath is written.
func reqKey(r *http.Request) string {
	k := r.URL.Path
	if k == "" {
		k = "/"
	}
	if r.URL.RawQuery != "" {
		k += "?" + r.URL.RawQuery
	}
	return k
}

// listing maps a page number to its file, "" when n is not a page number.
func listing(n string) string {
	if !pageN.MatchString(n) {
		return ""
	}
	if n == "1" {
		return "index.html"
	}
	i, _ := strconv.Atoi(n)
	return "page" + strconv.Itoa(i) + ".html"
}

func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, name string, status int) {
	full := Root + "/" + name
	if !fs.ValidPath(full) {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(h.fsys, full)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".html":
		b = shiftDates(b, h.opts.Shift)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	case ".txt":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	if status == http.StatusOK {
		sum := sha256.Sum256(b)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}
