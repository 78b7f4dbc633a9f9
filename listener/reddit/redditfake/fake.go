package redditfake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Recording locations inside Recordings() and Options.FS.
const (
	PoolFile  = "testdata/pool.json"
	UsersFile = "testdata/users.json"
	ErrorsDir = "testdata/errors"
)

const (
	rateWindow = 600 * time.Second
	maxTokens  = 10000
)

// Options configure a Server.
type Options struct {
	// FS, when set, replaces the embedded recordings (laid out like
	// Recordings()); only tests that need changed recordings set it.
	FS fs.FS
	// Shift is added to every fixture time.
	Shift  time.Duration
	Logger zerolog.Logger
	// ClientID and ClientSecret are the credentials the token endpoint
	// accepts; when ClientID is empty any non-empty pair is accepted.
	ClientID, ClientSecret string
	// UserAgent, when set, is the only User-Agent accepted.
	UserAgent string
	// Clock is the fake's time (time.Now when nil).
	Clock func() time.Time
	// TokenTTL is the lifetime of issued tokens (default 24h).
	TokenTTL time.Duration
	// RateLimit is the number of API requests per 600 s (default 1000).
	RateLimit int
	Faults    []Fault
}

// Server is the fake; it implements http.Handler.
type Server struct {
	opts   Options
	log    zerolog.Logger
	pool   []entry // newest first
	users  map[string]map[string]any
	errs   map[string][]byte
	loadOK error

	mu       sync.Mutex
	tokens   map[string]time.Time // token -> expiry
	issued   int
	requests int
	window   time.Time // start of the rate-limit window
	used     int
	faults   []Fault
}

// Stats counts what the fake served.
type Stats struct {
	TokensIssued int // successful token grants
	APIRequests  int // authenticated API requests answered (any status)
}

// New loads the recordings. Fixture problems are logged and
// answered with 500 by the endpoints concerned.
func New(opts Options) *Server {
	fsys := opts.recordings()
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 24 * time.Hour
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = 1000
	}
	s := &Server{opts: opts, log: opts.Logger, tokens: map[string]time.Time{}, errs: map[string][]byte{}}
	s.faults = append([]Fault(nil), opts.Faults...)
	s.pool, s.users, s.loadOK = load(fsys, opts.Shift)
	if s.loadOK != nil {
		s.log.Error().Err(s.loadOK).Msg("redditfake: fixtures unusable")
	}
	for _, name := range []string{"unauthorized.json", "too_many_requests.json", "forbidden.json", "not_found.json",
		"unsupported_grant_type.json", "server_error.html", "malformed.json"} {
		b, err := fs.ReadFile(fsys, ErrorsDir+"/"+name)
		if err != nil {
			s.log.Error().Err(err).Str("file", name).Msg("redditfake: missing error fixture")
			b = []byte(`{"message": "Internal Server Error", "error": 500}`)
		}
		s.errs[name] = b
	}
	return s
}

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{TokensIssued: s.issued, APIRequests: s.requests}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimSuffix(strings.TrimRight(r.URL.Path, "/"), ".json")
	s.log.Debug().Str("method", r.Method).Str("path", p).Str("query", r.URL.RawQuery).Msg("redditfake: request")
	if s.opts.UserAgent != "" && r.Header.Get("User-Agent") != s.opts.UserAgent {
		s.fixture(w, http.StatusForbidden, "forbidden.json")
		return
	}
	if p == "/api/v1/access_token" {
		s.serveToken(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.fixture(w, http.StatusNotFound, "not_found.json")
		return
	}
	if !s.authorised(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="reddit", error="invalid_token"`)
		s.fixture(w, http.StatusUnauthorized, "unauthorized.json")
		return
	}
	if !s.countRequest(w) {
		s.fixture(w, http.StatusTooManyRequests, "too_many_requests.json")
		return
	}
	if f, ok := s.fault(p, r.URL.Query().Get("q")); ok {
		s.serveFault(w, f)
		return
	}
	s.route(w, r, p)
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.fixture(w, http.StatusNotFound, "not_found.json")
		return
	}
	id, secret, ok := r.BasicAuth()
	good := ok && id != "" && secret != ""
	if s.opts.ClientID != "" {
		good = ok && id == s.opts.ClientID && secret == s.opts.ClientSecret
	}
	if !good {
		w.Header().Set("WWW-Authenticate", `Basic realm="reddit"`)
		s.fixture(w, http.StatusUnauthorized, "unauthorized.json")
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		s.fixture(w, http.StatusOK, "unsupported_grant_type.json")
		return
	}
	now := s.opts.Clock()
	s.mu.Lock()
	s.issued++
	for t, exp := range s.tokens {
		if !exp.After(now) || len(s.tokens) >= maxTokens {
			delete(s.tokens, t)
		}
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%d|%d", id, s.issued, now.UnixNano())))
	tok := "eyJhbGciOiJSUzI1NiIsImtpZCI6IlNIQTI1NjpzS3dsMnlsV0VtMjVmcXhwTU40cWY4MXE2OWFFdWFyMnpLMUdhVGxjdWNZIiwidHlwIjoiSldUIn0." +
		base64.RawURLEncoding.EncodeToString([]byte(hex.EncodeToString(sum[:12])))
	s.tokens[tok] = now.Add(s.opts.TokenTTL)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "bearer",
		"expires_in": int64(s.opts.TokenTTL / time.Second), "scope": "*",
	})
}

// authorised checks the bearer token.
func (s *Server) authorised(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[strings.TrimSpace(tok)]
	return ok && exp.After(s.opts.Clock())
}

// countRequest books one API request in the window, sets the rate-limit
// headers and reports whether the request is within the limit.
func (s *Server) countRequest(w http.ResponseWriter) bool {
	now := s.opts.Clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if s.window.IsZero() || !now.Before(s.window.Add(rateWindow)) || now.Before(s.window) {
		s.window, s.used = now, 0
	}
	s.used++
	used := min(s.used, s.opts.RateLimit)
	reset := int(s.window.Add(rateWindow).Sub(now).Seconds())
	h := w.Header()
	h.Set("X-Ratelimit-Used", strconv.Itoa(used))
	h.Set("X-Ratelimit-Remaining", strconv.FormatFloat(float64(s.opts.RateLimit-used), 'f', 1, 64))
	h.Set("X-Ratelimit-Reset", strconv.Itoa(max(reset, 1)))
	return s.used <= s.opts.RateLimit
}

// fixture answers with a recorded error body.
func (s *Server) fixture(w http.ResponseWriter, status int, name string) {
	ct := "application/json; charset=UTF-8"
	if strings.HasSuffix(name, ".html") {
		ct = "text/html; charset=UTF-8"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(s.errs[name])
}
