package mastodonfake

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

// Dir is the recordings directory inside Recordings() and Options.FS.
const Dir = "testdata"

// DefaultRateLimit is Mastodon's default: 300 requests per 5 minutes.
const DefaultRateLimit = 300

const window = 5 * time.Minute

// Options configure the fake.
type Options struct {
	// FS, when set, replaces the embedded recordings (laid out like
	// Recordings()); only tests that need changed recordings set it.
	FS fs.FS
	// Shift is added to every fixture time (and status ids move with it).
	Shift  time.Duration
	Logger zerolog.Logger
	// Token is the only access token accepted; empty accepts none.
	Token string
	// HashtagFeeds is who may read hashtag timelines: "public" (default),
	// "authenticated" or "disabled".
	HashtagFeeds string
	// RateLimit is requests per 5-minute window (default 300).
	RateLimit int
	// Clock drives the rate-limit windows (default time.Now).
	Clock func() time.Time
}

type handler struct {
	opts     Options
	log      zerolog.Logger
	pool     *pool
	poolErr  error
	instance []byte // nil when instance.json is missing
	errBody  map[string][]byte

	mu       sync.Mutex
	winStart time.Time
	used     int
}

// New loads the recordings and returns the fake instance.
func New(opts Options) http.Handler {
	fsys := opts.recordings()
	if opts.HashtagFeeds == "" {
		opts.HashtagFeeds = "public"
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = DefaultRateLimit
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	h := &handler{opts: opts, log: opts.Logger, errBody: map[string][]byte{}}
	h.pool, h.poolErr = loadPool(fsys, opts.Shift)
	if h.poolErr != nil {
		h.log.Error().Err(h.poolErr).Str("dir", Dir).Msg("mastodonfake: statuses unusable")
	}
	if b, err := fs.ReadFile(fsys, path.Join(Dir, "instance.json")); err == nil {
		h.instance = instanceJSON(b, opts.HashtagFeeds)
	}
	defaults := map[string]string{
		"token_invalid": `{"error":"The access token is invalid"}`,
		"auth_required": `{"error":"This method requires an authenticated user"}`,
		"not_found":     `{"error":"Record not found"}`,
		"rate_limited":  `{"error":"Too many requests"}`,
	}
	for name, def := range defaults {
		b, err := fs.ReadFile(fsys, path.Join(Dir, "error_"+name+".json"))
		if err != nil || !json.Valid(b) {
			b = []byte(def)
		}
		h.errBody[name] = b
	}
	return h
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.log.Debug().Str("method", r.Method).Str("url", r.URL.String()).Msg("mastodonfake: request")
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		h.fail(w, http.StatusMethodNotAllowed, "not_found")
		return
	}
	if !h.rateLimit(w) {
		h.fail(w, http.StatusTooManyRequests, "rate_limited")
		return
	}
	authed := false
	if a := r.Header.Get("Authorization"); a != "" {
		if h.opts.Token == "" || a != "Bearer "+h.opts.Token {
			h.fail(w, http.StatusUnauthorized, "token_invalid")
			return
		}
		authed = true
	}
	if h.poolErr != nil && r.URL.Path != "/api/v2/instance" {
		http.Error(w, "fixtures: "+h.poolErr.Error(), http.StatusInternalServerError)
		return
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/api/v1/timelines/tag/"):
		h.serveTag(w, r, strings.TrimPrefix(p, "/api/v1/timelines/tag/"), authed)
	case p == "/api/v2/search":
		h.serveSearch(w, r, authed)
	case p == "/api/v1/accounts/lookup":
		h.serveLookup(w, r)
	case strings.HasPrefix(p, "/api/v1/accounts/") && strings.HasSuffix(p, "/statuses"):
		h.serveAccount(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/api/v1/accounts/"), "/statuses"))
	case strings.HasPrefix(p, "/api/v1/statuses/"):
		h.serveStatus(w, strings.TrimPrefix(p, "/api/v1/statuses/"))
	case p == "/api/v2/instance":
		h.serveInstance(w)
	default:
		h.fail(w, http.StatusNotFound, "not_found")
	}
}

// rateLimit counts the request and sets the X-RateLimit headers; false
// when the window is spent.
func (h *handler) rateLimit(w http.ResponseWriter) bool {
	now := h.opts.Clock().UTC()
	h.mu.Lock()
	start := now.Truncate(window)
	if !start.Equal(h.winStart) {
		h.winStart, h.used = start, 0
	}
	h.used++
	remaining := h.opts.RateLimit - h.used
	h.mu.Unlock()
	hd := w.Header()
	hd.Set("X-RateLimit-Limit", strconv.Itoa(h.opts.RateLimit))
	hd.Set("X-RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
	hd.Set("X-RateLimit-Reset", start.Add(window).Format("2006-01-02T15:04:05.000000Z"))
	return remaining >= 0
}

func (h *handler) fail(w http.ResponseWriter, status int, name string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(h.errBody[name])
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, fmt.Sprintf("encode: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

func (h *handler) serveInstance(w http.ResponseWriter) {
	if h.instance == nil {
		h.fail(w, http.StatusNotFound, "not_found")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(h.instance)
}

// instanceJSON sets configuration.timelines_access.hashtag_feeds in the
// instance fixture; nil when the fixture is not a JSON object.
func instanceJSON(b []byte, access string) []byte {
	var inst map[string]any
	if json.Unmarshal(b, &inst) != nil || inst == nil {
		return nil
	}
	conf, _ := inst["configuration"].(map[string]any)
	if conf == nil {
		conf = map[string]any{}
		inst["configuration"] = conf
	}
	ta, _ := conf["timelines_access"].(map[string]any)
	if ta == nil {
		ta = map[string]any{}
		conf["timelines_access"] = ta
	}
	ta["hashtag_feeds"] = map[string]any{"local": access, "remote": access}
	out, err := json.Marshal(inst)
	if err != nil {
		return nil
	}
	return out
}
