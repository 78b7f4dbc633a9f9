package webcrawl

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/listenertest"
	"github.com/earshot/earshot/listener/webcrawl/sitefake"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

const testUA = "Earshot/test (+https://earshot.example/contact)"

// site is the fake forum with request counting and per-path overrides.
type site struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int // by path?query
	uas      map[string]bool
	override map[string]http.HandlerFunc
}

func newSite(t *testing.T, opts sitefake.Options) *site {
	t.Helper()
	s := &site{hits: map[string]int{}, uas: map[string]bool{}, override: map[string]http.HandlerFunc{}}
	h := sitefake.New(opts)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := r.URL.RequestURI()
		s.mu.Lock()
		s.hits[k]++
		s.uas[r.UserAgent()] = true
		o := s.override[k]
		s.mu.Unlock()
		if o != nil {
			o(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) set(path string, h http.HandlerFunc) {
	s.mu.Lock()
	s.override[path] = h
	s.mu.Unlock()
}

// take returns the hits so far and resets the counters.
func (s *site) take() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hits
	s.hits = map[string]int{}
	return h
}

func forumConfig(base string) Config {
	return Config{
		Name:           "battery-talk",
		StartURLs:      []string{base + "/"},
		ItemSelector:   "article.post",
		TitleSelector:  "h2",
		TextSelector:   ".body",
		AuthorSelector: ".author",
		TimeSelector:   "time",
		LinkSelector:   "h2 a",
		ReplySelector:  "a.in-reply-to",
		FollowPattern:  `(\?page=\d+|\.html)$`,
		Delay:          -1,
		UserAgent:      testUA,
		Lookback:       30 * 24 * time.Hour,
	}
}

func fetch(t *testing.T, cfg Config, cur []byte) ([]listener.Post, []byte, error) {
	t.Helper()
	return New(cfg, clock, zerolog.Nop()).Fetch(context.Background(), cur)
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	return string(listenertest.ReadFile(t, sitefake.Recordings(), sitefake.Root+"/site/"+name))
}

func serveHTML(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

func errHas(err error, sub string) bool { return err != nil && strings.Contains(err.Error(), sub) }
