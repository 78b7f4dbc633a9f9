package daumfake

import (
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener/kosearch/fakekit"
)

// Fault is a recorded answer the fake gives instead of results.
type Fault string

// Faults, each served from a fixture under testdata/errors/.
const (
	FaultEmpty     Fault = "empty"        // 200, no documents
	FaultAuth      Fault = "auth_failed"  // 401 AccessDeniedError
	FaultQuota     Fault = "quota"        // 429 RequestThrottled
	FaultServer    Fault = "system_error" // 500
	FaultMalformed Fault = "malformed"    // 200 with a truncated body
)

var faultStatus = map[Fault]int{
	FaultEmpty:     http.StatusOK,
	FaultAuth:      http.StatusUnauthorized,
	FaultQuota:     http.StatusTooManyRequests,
	FaultServer:    http.StatusInternalServerError,
	FaultMalformed: http.StatusOK,
}

// Kinds are the searches the fake serves, with the API's largest size and
// page.
var kinds = map[string]struct{ size, page int }{
	"blog": {50, 50}, "cafe": {50, 50}, "web": {50, 50}, "vclip": {30, 15},
}

// Options configure the fake.
type Options struct {
	// FS, when set, replaces the embedded recordings (laid out like
	// Recordings()); only tests that need changed recordings set it.
	FS fs.FS
	// Shift is added to every fixture time.
	Shift  time.Duration
	Logger zerolog.Logger
	// APIKey is the expected REST API key; empty accepts any.
	APIKey string
	// Faults answers the named queries with a recorded answer.
	Faults map[string]Fault
	// RetryAfter, when set, is sent as Retry-After with 429 answers (the
	// real API sends none).
	RetryAfter time.Duration
}

type server struct {
	opts   Options
	log    zerolog.Logger
	pools  map[string]*pool
	faults map[Fault][]byte
}

// New loads the recordings and returns the fake API.
func New(opts Options) http.Handler {
	fsys := opts.recordings()
	s := &server{opts: opts, log: opts.Logger, pools: map[string]*pool{}, faults: map[Fault][]byte{}}
	for kind := range kinds {
		p, err := loadPool(fsys, kind, opts.Shift)
		if err != nil {
			s.log.Error().Err(err).Str("kind", kind).Msg("daumfake: fixtures unusable")
			continue
		}
		s.pools[kind] = p
	}
	for f := range faultStatus {
		b, err := fs.ReadFile(fsys, ErrorsDir+"/"+string(f)+".json")
		if err != nil {
			s.log.Error().Err(err).Str("fault", string(f)).Msg("daumfake: fixture missing")
			continue
		}
		s.faults[f] = b
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.log.Debug().Str("url", r.URL.String()).Msg("daumfake: request")
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		apiError(w, http.StatusMethodNotAllowed, "InvalidArgument", "method not allowed")
		return
	}
	kind, ok := strings.CutPrefix(r.URL.Path, "/v2/search/")
	lim, known := kinds[kind]
	if !ok || !known {
		apiError(w, http.StatusNotFound, "NotFound", "no such api: "+r.URL.Path)
		return
	}
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "KakaoAK ")
	if !ok || key == "" || (s.opts.APIKey != "" && key != s.opts.APIKey) {
		s.serveFault(w, FaultAuth)
		return
	}
	q := r.URL.Query()
	query := q.Get("query")
	if f, ok := s.opts.Faults[query]; ok {
		s.serveFault(w, f)
		return
	}
	if strings.TrimSpace(query) == "" {
		apiError(w, http.StatusBadRequest, "MissingParameter", "query parameter required")
		return
	}
	page, perr := fakekit.IntParam(q.Get("page"), 1)
	size, serr := fakekit.IntParam(q.Get("size"), 10)
	sort := q.Get("sort")
	switch {
	case perr != nil || page < 1 || page > lim.page:
		apiError(w, http.StatusBadRequest, "InvalidArgument", "page is more than max")
		return
	case serr != nil || size < 1 || size > lim.size:
		apiError(w, http.StatusBadRequest, "InvalidArgument", "size is more than max")
		return
	case sort != "" && sort != "accuracy" && sort != "recency":
		apiError(w, http.StatusBadRequest, "InvalidArgument", "sort must be accuracy or recency")
		return
	}
	p := s.pools[kind]
	if p == nil {
		apiError(w, http.StatusInternalServerError, "InternalServerError", "internal server error")
		return
	}
	order := p.items
	if sort == "recency" {
		order = p.byNew
	}
	hits := match(order, query)
	pageable := min(len(hits), lim.page*lim.size)
	docs := []map[string]any{}
	for i := (page - 1) * size; i < pageable && len(docs) < size; i++ {
		docs = append(docs, hits[i].raw)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"meta": map[string]any{
			"total_count":    len(hits),
			"pageable_count": pageable,
			"is_end":         page*size >= pageable,
		},
		"documents": docs,
	})
}

func (s *server) serveFault(w http.ResponseWriter, f Fault) {
	b, ok := s.faults[f]
	status, known := faultStatus[f]
	if !ok || !known {
		apiError(w, http.StatusInternalServerError, "InternalServerError", "internal server error")
		return
	}
	var retry time.Duration
	if f == FaultQuota {
		retry = s.opts.RetryAfter
	}
	fakekit.ServeRecorded(w, status, b, contentType, retry)
}

func apiError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, map[string]string{"errorType": typ, "message": msg})
}

// contentType is the API's own spelling.
const contentType = "application/json;charset=UTF-8"

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakekit.WriteJSON(w, status, v, contentType)
}
