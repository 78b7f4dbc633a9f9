package blueskyfake

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Dir is the recordings directory inside Recordings() and Options.FS.
const Dir = "testdata"

// Options configure the fake.
type Options struct {
	// FS, when set, replaces the embedded recordings (laid out like
	// Recordings()); only tests that need changed recordings set it.
	FS fs.FS
	// Shift is added to every fixture time.
	Shift  time.Duration
	Logger zerolog.Logger
	// Identifier and Password are the credentials createSession accepts.
	// Identifier also accepts the session fixture's handle and e-mail;
	// empty Identifier accepts any, empty Password accepts any non-empty.
	Identifier, Password string
	// Clock gives the time for token expiry and rate-limit headers
	// (default time.Now).
	Clock func() time.Time
	// AccessTTL (default 2h) and RefreshTTL (default 60 days) are the
	// lifetimes of minted tokens.
	AccessTTL, RefreshTTL time.Duration
	Faults                []Fault
}

// Fault makes the fake answer a request with a recorded error.
type Fault struct {
	// Method is the XRPC method, e.g. "app.bsky.feed.searchPosts".
	Method string
	// Match, when set, must equal the q or actor parameter.
	Match string
	// Status is the HTTP status; File the body, relative to Dir.
	Status int
	File   string
	// Reset, for a 429, is how long until ratelimit-reset (default 2m).
	Reset time.Duration
	// Times is how often the fault fires; 0 means every time.
	Times int
}

type server struct {
	opts   Options
	log    zerolog.Logger
	pool   *pool
	errs   map[string][]byte // errors/<name> bodies
	sess   map[string]any    // session fixture
	loadOK error

	mu     sync.Mutex
	tokens map[string]token
	logins []time.Time
	fired  []int // per fault
}

// New loads the recordings and returns the fake server.
func New(opts Options) http.Handler {
	fsys := opts.recordings()
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.AccessTTL <= 0 {
		opts.AccessTTL = 2 * time.Hour
	}
	if opts.RefreshTTL <= 0 {
		opts.RefreshTTL = 60 * 24 * time.Hour
	}
	s := &server{opts: opts, log: opts.Logger, errs: map[string][]byte{}, tokens: map[string]token{}, fired: make([]int, len(opts.Faults))}
	s.pool, s.loadOK = loadPool(fsys, opts.Shift)
	if s.loadOK != nil {
		s.log.Error().Err(s.loadOK).Str("dir", Dir).Msg("blueskyfake: fixtures unusable")
	}
	if b, err := fs.ReadFile(fsys, path.Join(Dir, "session.json")); err == nil {
		_ = json.Unmarshal(b, &s.sess)
	}
	entries, _ := fs.ReadDir(fsys, path.Join(Dir, "errors"))
	for _, e := range entries {
		if b, err := fs.ReadFile(fsys, path.Join(Dir, "errors", e.Name())); err == nil {
			s.errs[e.Name()] = b
		}
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.log.Debug().Str("method", r.Method).Str("url", r.URL.String()).Msg("blueskyfake: request")
	nsid, ok := strings.CutPrefix(r.URL.Path, "/xrpc/")
	if !ok {
		xrpcError(w, http.StatusNotFound, "NotFound", "Not Found")
		return
	}
	if s.fault(w, r, nsid) {
		return
	}
	post := map[string]bool{"com.atproto.server.createSession": true, "com.atproto.server.refreshSession": true}
	if post[nsid] != (r.Method == http.MethodPost) {
		xrpcError(w, http.StatusMethodNotAllowed, "InvalidRequest", "Incorrect HTTP method ("+r.Method+") expected "+map[bool]string{true: "POST", false: "GET"}[post[nsid]])
		return
	}
	switch nsid {
	case "com.atproto.server.createSession":
		s.createSession(w, r)
	case "com.atproto.server.refreshSession":
		s.refreshSession(w, r)
	case "app.bsky.feed.searchPosts":
		if s.authorize(w, r, true) {
			s.searchPosts(w, r)
		}
	case "app.bsky.feed.getAuthorFeed":
		if s.authorize(w, r, false) {
			s.authorFeed(w, r)
		}
	case "app.bsky.feed.getPosts":
		if s.authorize(w, r, false) {
			s.getPosts(w, r)
		}
	case "app.bsky.actor.getProfile":
		if s.authorize(w, r, false) {
			s.profile(w, r)
		}
	default:
		xrpcError(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
	}
}

// fault answers r with the first matching Fault, if any.
func (s *server) fault(w http.ResponseWriter, r *http.Request, nsid string) bool {
	s.mu.Lock()
	idx := -1
	for i, f := range s.opts.Faults {
		if f.Method != nsid || (f.Times > 0 && s.fired[i] >= f.Times) {
			continue
		}
		if f.Match != "" {
			q := r.URL.Query()
			if q.Get("q") != f.Match && q.Get("actor") != f.Match {
				continue
			}
		}
		s.fired[i]++
		idx = i
		break
	}
	s.mu.Unlock()
	if idx < 0 {
		return false
	}
	f := s.opts.Faults[idx]
	if f.Status == http.StatusTooManyRequests {
		reset := f.Reset
		if reset <= 0 {
			reset = 2 * time.Minute
		}
		rateHeaders(w, s.opts.Clock().Add(reset), 3000, 300)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(f.Status)
	_, _ = w.Write(s.errs[strings.TrimPrefix(f.File, "errors/")])
	return true
}

// rateHeaders sets Bluesky's ratelimit-* headers for an exhausted window.
func rateHeaders(w http.ResponseWriter, reset time.Time, limit, window int) {
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(limit))
	h.Set("RateLimit-Remaining", "0")
	h.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("RateLimit-Policy", strconv.Itoa(limit)+";w="+strconv.Itoa(window))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// xrpcError answers with the XRPC error envelope.
func xrpcError(w http.ResponseWriter, status int, name, msg string) {
	writeJSON(w, status, map[string]string{"error": name, "message": msg})
}
