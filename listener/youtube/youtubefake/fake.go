package youtubefake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
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
	// APIKey is the accepted key; empty accepts any non-empty key.
	APIKey string
	// DailyQuota in units; zero is unlimited.
	DailyQuota int
	// Clock, when set, makes the counts served by videos (statistics) and
	// comments grow with its time by fakecount.Grow, so that a refresh
	// sees them rise; nil serves them as recorded.
	Clock func() time.Time
}

type obj = map[string]any

// Fake is the http.Handler New returns.
type Fake struct {
	opts     Options
	log      zerolog.Logger
	videos   []obj // newest first
	channels []obj
	threads  []obj // newest first
	errs     map[string][]byte
	loadErr  error

	mu   sync.Mutex
	used int
}

// New loads the recordings and returns the fake API.
func New(opts Options) http.Handler {
	fsys := opts.recordings()
	f := &Fake{opts: opts, log: opts.Logger, errs: map[string][]byte{}}
	var err error
	if f.videos, err = loadItems(fsys, "videos.json", opts.Shift); err == nil {
		if f.channels, err = loadItems(fsys, "channels.json", opts.Shift); err == nil {
			f.threads, err = loadItems(fsys, "commentThreads.json", opts.Shift)
		}
	}
	if err != nil {
		f.loadErr = err
		f.log.Error().Err(err).Msg("youtubefake: fixtures unusable")
	}
	sortNewest(f.videos, func(o obj) string { return str(o, "snippet", "publishedAt") })
	sortNewest(f.threads, func(o obj) string { return str(o, "snippet", "topLevelComment", "snippet", "publishedAt") })
	entries, _ := fs.ReadDir(fsys, Dir+"/errors")
	for _, e := range entries {
		if b, err := fs.ReadFile(fsys, path.Join(Dir, "errors", e.Name())); err == nil {
			f.errs[strings.TrimSuffix(e.Name(), ".json")] = b
		}
	}
	return f
}

func loadItems(fsys fs.FS, name string, shift time.Duration) ([]obj, error) {
	b, err := fs.ReadFile(fsys, path.Join(Dir, name))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var env struct {
		Items []obj `json:"items"`
	}
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	for _, it := range env.Items {
		shiftTimes(it, shift)
	}
	return env.Items, nil
}

var timeKeys = map[string]bool{"publishedAt": true, "updatedAt": true, "publishTime": true, "videoPublishedAt": true}

// shiftTimes moves every RFC 3339 time under a time key by d, in place.
func shiftTimes(v any, d time.Duration) {
	switch x := v.(type) {
	case obj:
		for k, val := range x {
			if s, ok := val.(string); ok && timeKeys[k] && d != 0 {
				if t, err := time.Parse(time.RFC3339, s); err == nil {
					x[k] = t.Add(d).UTC().Format(time.RFC3339)
				}
				continue
			}
			shiftTimes(val, d)
		}
	case []any:
		for _, e := range x {
			shiftTimes(e, d)
		}
	}
}

// ServeHTTP implements http.Handler.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.log.Debug().Str("url", r.URL.Path).Msg("youtubefake: request")
	if r.Method != http.MethodGet {
		f.fail(w, "notFound", http.StatusMethodNotAllowed)
		return
	}
	if f.loadErr != nil {
		f.fail(w, "backendError", http.StatusServiceUnavailable)
		return
	}
	endpoint, ok := strings.CutPrefix(r.URL.Path, "/youtube/v3/")
	handlers := map[string]func(http.ResponseWriter, *http.Request){
		"search": f.search, "videos": f.videosList, "channels": f.channelsList,
		"playlistItems": f.playlistItems, "commentThreads": f.commentThreads, "comments": f.commentsList,
	}
	h, known := handlers[endpoint]
	if !ok || !known {
		writeJSON(w, http.StatusNotFound, obj{"error": obj{"code": 404, "message": "Not Found", "errors": []obj{{"message": "Not Found", "domain": "global", "reason": "notFound"}}}})
		return
	}
	key := r.URL.Query().Get("key")
	if key == "" || (f.opts.APIKey != "" && key != f.opts.APIKey) {
		f.fail(w, "keyInvalid", http.StatusBadRequest)
		return
	}
	if !f.charge(endpoint) {
		f.fail(w, "quotaExceeded", http.StatusForbidden)
		return
	}
	h(w, r)
}

// charge counts the call's units; false when the quota is spent.
func (f *Fake) charge(endpoint string) bool {
	cost := 1
	if endpoint == "search" {
		cost = 100
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.opts.DailyQuota > 0 && f.used+cost > f.opts.DailyQuota {
		return false
	}
	f.used += cost
	return true
}

// fail answers with the error fixture name (the real Google error body).
func (f *Fake) fail(w http.ResponseWriter, name string, status int) {
	b, ok := f.errs[name]
	if !ok {
		b = []byte(fmt.Sprintf(`{"error":{"code":%d,"message":%q,"errors":[{"message":%q,"domain":"global","reason":%q}]}}`, status, name, name, name))
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
