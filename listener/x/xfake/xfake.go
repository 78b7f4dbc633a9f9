package xfake

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Recording locations inside Recordings() and Options.FS.
const (
	PoolFile  = "testdata/tweets.json"
	ErrorsDir = "testdata/errors"
)

// Error fixture names for Options.Fail.
const (
	RateLimited       = "rate_limited"
	ServerError       = "server_error"
	Malformed         = "malformed"
	UsageCapped       = "usage_capped"
	ClientNotEnrolled = "client_not_enrolled"
	InvalidQuery      = "invalid_query"
	Unauthorized      = "unauthorized"
)

// Options configure the fake.
type Options struct {
	// FS, when set, replaces the embedded recordings (laid out like
	// Recordings()); only tests that need changed recordings set it.
	FS fs.FS
	// Shift is added to every fixture time.
	Shift  time.Duration
	Logger zerolog.Logger
	// BearerToken is the token to accept; "" accepts any non-empty one.
	BearerToken string
	// Clock is the fake's now (time.Now when nil): recent search reaches
	// seven days back from it, tweets after it are not served yet, and
	// x-rate-limit-reset counts from it.
	Clock func() time.Time
	// Fail maps a word to an error fixture name: a request whose query or
	// username contains the word (case-insensitive) gets that error.
	Fail map[string]string
}

type server struct {
	opts   Options
	pool   *pool
	err    error
	errors map[string][]byte

	mu    sync.Mutex
	calls int
}

// New loads the recordings and returns the fake API.
func New(opts Options) http.Handler {
	fsys := opts.recordings()
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	s := &server{opts: opts, errors: map[string][]byte{}}
	s.pool, s.err = loadPool(fsys, opts.Shift)
	if s.err != nil {
		opts.Logger.Error().Err(s.err).Str("file", PoolFile).Msg("xfake: tweet fixtures unusable")
	}
	entries, err := fs.ReadDir(fsys, ErrorsDir)
	if err != nil {
		opts.Logger.Error().Err(err).Str("dir", ErrorsDir).Msg("xfake: no error fixtures")
	}
	for _, e := range entries {
		if b, err := fs.ReadFile(fsys, path.Join(ErrorsDir, e.Name())); err == nil && !e.IsDir() {
			s.errors[strings.TrimSuffix(e.Name(), ".json")] = b
		}
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.opts.Logger.Debug().Str("method", r.Method).Str("url", r.URL.String()).Msg("xfake: request")
	s.rateHeaders(w)
	if r.Method != http.MethodGet {
		s.problem(w, http.StatusMethodNotAllowed, "Method Not Allowed", "Method Not Allowed")
		return
	}
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); !ok || tok == "" ||
		(s.opts.BearerToken != "" && tok != s.opts.BearerToken) {
		s.fixture(w, http.StatusUnauthorized, Unauthorized)
		return
	}
	if s.err != nil {
		s.problem(w, http.StatusServiceUnavailable, "Service Unavailable", "Service Unavailable")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/2/tweets":
		s.serveLookup(w, r)
	case r.URL.Path == "/2/tweets/search/recent":
		s.serveTweets(w, r, false, "")
	case len(parts) == 5 && parts[0] == "2" && parts[1] == "users" && parts[2] == "by" && parts[3] == "username":
		s.serveUser(w, r, parts[4])
	case len(parts) == 4 && parts[0] == "2" && parts[1] == "users" && parts[3] == "tweets":
		s.serveTweets(w, r, true, parts[2])
	default:
		s.problem(w, http.StatusNotFound, "Not Found Error", "Sorry, that page does not exist")
	}
}

// failure returns the error fixture named for a word in subject, if any.
func (s *server) failure(subject string) string {
	subject = strings.ToLower(subject)
	for word, name := range s.opts.Fail {
		if word != "" && strings.Contains(subject, strings.ToLower(word)) {
			return name
		}
	}
	return ""
}

// fail answers with a named error fixture and its real status.
func (s *server) fixture(w http.ResponseWriter, status int, name string) {
	b, ok := s.errors[name]
	if !ok {
		s.problem(w, http.StatusInternalServerError, "Internal Server Error", "missing error fixture "+name)
		return
	}
	if name == RateLimited {
		w.Header().Set("x-rate-limit-remaining", "0")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// failWith answers the Fail fixture name with the status X uses for it.
func (s *server) failWith(w http.ResponseWriter, name string) {
	status := map[string]int{
		RateLimited: http.StatusTooManyRequests, ServerError: http.StatusServiceUnavailable,
		Malformed: http.StatusOK, UsageCapped: http.StatusTooManyRequests,
		ClientNotEnrolled: http.StatusForbidden, InvalidQuery: http.StatusBadRequest, Unauthorized: http.StatusUnauthorized,
	}[name]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	s.fixture(w, status, name)
}

func (s *server) rateHeaders(w http.ResponseWriter) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.mu.Unlock()
	now := s.opts.Clock()
	reset := now.Truncate(15 * time.Minute).Add(15 * time.Minute)
	h := w.Header()
	h.Set("x-rate-limit-limit", "450")
	h.Set("x-rate-limit-remaining", strconv.Itoa(max(0, 450-n)))
	h.Set("x-rate-limit-reset", strconv.FormatInt(reset.Unix(), 10))
}

// problem writes X's error body for status.
func (s *server) problem(w http.ResponseWriter, status int, title, detail string) {
	writeJSON(w, status, map[string]any{"title": title, "detail": detail, "type": "about:blank", "status": status})
}

// invalid writes X's 400 invalid-request body.
func invalid(w http.ResponseWriter, param, value, format string, args ...any) {
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"errors": []any{map[string]any{"parameters": map[string][]string{param: {value}}, "message": fmt.Sprintf(format, args...)}},
		"title":  "Invalid Request",
		"detail": "One or more parameters to your request was invalid.",
		"type":   "https://api.twitter.com/2/problems/invalid-request",
	})
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
