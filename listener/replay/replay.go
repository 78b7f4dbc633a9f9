package replay

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// Recording locations inside Recordings() and Options.FS.
const (
	HitsFile = "testdata/hackernews/hits.json"
	FeedDir  = "testdata/rss"
)

// Options configure a Server.
type Options struct {
	// FS, when set, replaces the embedded recordings (laid out like
	// Recordings()); only tests that need changed recordings set it.
	FS fs.FS
	// Rebase, if non-zero, shifts all fixture times so that the newest is
	// 30 minutes before it; zero serves the fixtures as recorded.
	Rebase time.Time
	Logger zerolog.Logger
	// Clock is the fake's time for the item endpoint's growing counts
	// (fakecount.Grow); nil = time.Now.
	Clock func() time.Time
}

// Server is an http.Handler replaying the fixtures.
type Server struct {
	log     zerolog.Logger
	hits    []poolHit // newest first
	hitsErr error
	feeds   map[string]*feedFile
	shift   time.Duration
	clock   func() time.Time
}

type feedFile struct {
	body     []byte
	etag     string
	modified time.Time // zero when the feed has no date
	ctype    string
}

// New loads the recordings.
func New(opts Options) *Server {
	fsys := opts.recordings()
	s := &Server{log: opts.Logger, feeds: map[string]*feedFile{}, clock: opts.Clock}
	if s.clock == nil {
		s.clock = time.Now
	}
	s.hits, s.hitsErr = loadHits(fsys)
	if s.hitsErr != nil {
		s.log.Error().Err(s.hitsErr).Str("file", HitsFile).Msg("replay: hacker news fixtures unusable")
	}
	raw := map[string][]byte{}
	entries, err := fs.ReadDir(fsys, FeedDir)
	if err != nil {
		s.log.Error().Err(err).Str("dir", FeedDir).Msg("replay: no feed fixtures")
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(FeedDir, e.Name()))
		if err != nil {
			s.log.Error().Err(err).Str("file", e.Name()).Msg("replay: unreadable feed fixture")
			continue
		}
		raw[e.Name()] = b
	}
	if !opts.Rebase.IsZero() {
		newest := newestHit(s.hits)
		for _, b := range raw {
			if t := newestFeedTime(b); t.After(newest) {
				newest = t
			}
		}
		if !newest.IsZero() {
			s.shift = opts.Rebase.Add(-30 * time.Minute).Sub(newest).Truncate(time.Second)
		}
	}
	for i := range s.hits {
		s.hits[i].rebase(s.shift)
	}
	for name, b := range raw {
		if s.shift != 0 {
			b = rebaseFeed(b, s.shift)
		}
		sum := sha256.Sum256(b)
		s.feeds[name] = &feedFile{
			body:     b,
			etag:     `"` + hex.EncodeToString(sum[:8]) + `"`,
			modified: newestFeedTime(b).UTC(),
			ctype:    contentType(name, b),
		}
	}
	s.log.Debug().Int("hits", len(s.hits)).Int("feeds", len(s.feeds)).Dur("shift", s.shift).Msg("replay: fixtures loaded")
	return s
}

// Shift is the offset added to every fixture time (zero without Rebase).
func (s *Server) Shift() time.Duration { return s.shift }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.log.Debug().Str("method", r.Method).Str("url", r.URL.String()).Msg("replay: request")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch {
	case r.URL.Path == "/api/v1/search_by_date":
		s.serveSearch(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/v1/items/"):
		s.serveItem(w, r, strings.TrimPrefix(r.URL.Path, "/api/v1/items/"))
	case strings.HasPrefix(r.URL.Path, "/rss/"):
		s.serveFeed(w, r, strings.TrimPrefix(r.URL.Path, "/rss/"))
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, name string) {
	if name == "" || strings.Contains(name, "/") || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	f, ok := s.feeds[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("ETag", f.etag)
	if !f.modified.IsZero() {
		h.Set("Last-Modified", f.modified.Format(http.TimeFormat))
	}
	h.Set("Cache-Control", "max-age=300")
	if notModified(r, f) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.ctype)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.body)
	}
}

// notModified applies RFC 9110: If-None-Match wins over If-Modified-Since.
func notModified(r *http.Request, f *feedFile) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == f.etag || tag == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !f.modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !f.modified.Truncate(time.Second).After(t)
	}
	return false
}

func contentType(name string, b []byte) string {
	switch {
	case strings.HasSuffix(name, ".json"):
		return "application/feed+json; charset=utf-8"
	case bytes.Contains(b[:min(len(b), 512)], []byte("<feed")):
		return "application/atom+xml; charset=utf-8"
	default:
		return "application/rss+xml; charset=utf-8"
	}
}

// writeJSON answers v with status.
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

// algoliaError answers like Algolia does for a bad request.
func algoliaError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]any{"message": fmt.Sprintf(format, args...), "status": status})
}

func loadHits(fsys fs.FS) ([]poolHit, error) {
	b, err := fs.ReadFile(fsys, HitsFile)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw []map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode %s: %w", HitsFile, err)
	}
	hits := make([]poolHit, 0, len(raw))
	for i, m := range raw {
		h, err := newPoolHit(m)
		if err != nil {
			return nil, fmt.Errorf("%s: hit %d: %w", HitsFile, i, err)
		}
		hits = append(hits, h)
	}
	if len(hits) == 0 {
		return nil, errors.New("no hits")
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].created > hits[j].created })
	return hits, nil
}

func newestHit(hits []poolHit) time.Time {
	if len(hits) == 0 {
		return time.Time{}
	}
	return time.Unix(hits[0].created, 0).UTC()
}
