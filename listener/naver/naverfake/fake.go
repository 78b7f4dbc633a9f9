package naverfake

import (
	"io/fs"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/earshot/earshot/listener/kosearch/fakekit"
)

// Fault is a recorded failure the fake answers instead of results.
type Fault string

// Faults, each served from a fixture under testdata/errors/.
const (
	FaultRateLimit Fault = "rate_limited"    // 429, errorCode 012
	FaultServer    Fault = "system_error"    // 500, SE99
	FaultMalformed Fault = "malformed"       // 200 with a truncated body
	FaultAuth      Fault = "auth_failed"     // 401, errorCode 024
	FaultBadQuery  Fault = "incorrect_query" // 400, SE01
)

var faultStatus = map[Fault]int{
	FaultRateLimit: http.StatusTooManyRequests,
	FaultServer:    http.StatusInternalServerError,
	FaultMalformed: http.StatusOK,
	FaultAuth:      http.StatusUnauthorized,
	FaultBadQuery:  http.StatusBadRequest,
}

// Options configure the fake.
type Options struct {
	// FS, when set, replaces the embedded recordings (laid out like
	// Recordings()); only tests that need changed recordings set it.
	FS fs.FS
	// Shift is added to every fixture time.
	Shift  time.Duration
	Logger zerolog.Logger
	// ClientID and ClientSecret are the expected credentials; empty accepts
	// any non-empty value.
	ClientID, ClientSecret string
	// IDHeader and SecretHeader name the credential headers (default
	// X-Naver-Client-Id / X-Naver-Client-Secret).
	IDHeader, SecretHeader string
	// Faults answers the named queries with a recorded failure.
	Faults map[string]Fault
	// RetryAfter, when set, is sent as Retry-After with 429 answers (the
	// real API sends none).
	RetryAfter time.Duration
}

type server struct {
	opts   Options
	log    zerolog.Logger
	pools  map[string]*pool
	errs   map[string]error
	faults map[Fault][]byte
}

// New loads the recordings and returns the fake API.
func New(opts Options) http.Handler {
	fsys := opts.recordings()
	if opts.IDHeader == "" {
		opts.IDHeader = "X-Naver-Client-Id"
	}
	if opts.SecretHeader == "" {
		opts.SecretHeader = "X-Naver-Client-Secret"
	}
	s := &server{opts: opts, log: opts.Logger, pools: map[string]*pool{}, errs: map[string]error{}, faults: map[Fault][]byte{}}
	for _, kind := range []string{"blog", "news", "cafearticle"} {
		p, err := loadPool(fsys, kind, opts.Shift)
		if err != nil {
			s.log.Error().Err(err).Str("kind", kind).Msg("naverfake: fixtures unusable")
			s.errs[kind] = err
			continue
		}
		s.pools[kind] = p
	}
	for f := range faultStatus {
		b, err := fs.ReadFile(fsys, ErrorsDir+"/"+string(f)+".json")
		if err != nil {
			s.log.Error().Err(err).Str("fault", string(f)).Msg("naverfake: error fixture missing")
			continue
		}
		s.faults[f] = b
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.log.Debug().Str("url", r.URL.String()).Msg("naverfake: request")
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		apiError(w, http.StatusMethodNotAllowed, "SE01", "Incorrect query request (잘못된 쿼리요청입니다.)")
		return
	}
	kind, ok := kindOf(r.URL.Path)
	if !ok {
		apiError(w, http.StatusNotFound, "SE05", "Invalid search api (존재하지 않는 검색 api 입니다.)")
		return
	}
	if !s.authorized(r) {
		s.serveFault(w, FaultAuth)
		return
	}
	q := r.URL.Query()
	query := q.Get("query")
	if f, ok := s.opts.Faults[query]; ok {
		s.serveFault(w, f)
		return
	}
	display, start, ok := s.params(w, q.Get("query"), q.Get("display"), q.Get("start"), q.Get("sort"))
	if !ok {
		return
	}
	p := s.pools[kind]
	if p == nil {
		apiError(w, http.StatusInternalServerError, "SE99", "System Error (시스템 에러)")
		return
	}
	hits := p.match(query)
	items := []map[string]any{}
	for i := start - 1; i < len(hits) && len(items) < display; i++ {
		items = append(items, hits[i].raw)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"lastBuildDate": p.lastBuildDate,
		"total":         len(hits),
		"start":         start,
		"display":       len(items),
		"items":         items,
	})
}

// kindOf accepts /v1/search/{kind}.json, /v1/search/{kind} and
// /search/v1/{kind}.
func kindOf(path string) (string, bool) {
	var k string
	switch {
	case strings.HasPrefix(path, "/v1/search/"):
		k = strings.TrimSuffix(strings.TrimPrefix(path, "/v1/search/"), ".json")
	case strings.HasPrefix(path, "/search/v1/"):
		k = strings.TrimPrefix(path, "/search/v1/")
	default:
		return "", false
	}
	switch k {
	case "blog", "news", "cafearticle":
		return k, true
	}
	return "", false
}

func (s *server) authorized(r *http.Request) bool {
	id, secret := r.Header.Get(s.opts.IDHeader), r.Header.Get(s.opts.SecretHeader)
	if id == "" || secret == "" {
		return false
	}
	return (s.opts.ClientID == "" || id == s.opts.ClientID) && (s.opts.ClientSecret == "" || secret == s.opts.ClientSecret)
}

// params checks the request like the real API and answers the error itself.
func (s *server) params(w http.ResponseWriter, query, display, start, sort string) (int, int, bool) {
	if !utf8.ValidString(query) {
		apiError(w, http.StatusBadRequest, "SE06", "Malformed encoding (잘못된 형식의 인코딩입니다.)")
		return 0, 0, false
	}
	if strings.TrimSpace(query) == "" {
		s.serveFault(w, FaultBadQuery)
		return 0, 0, false
	}
	d, err := fakekit.IntParam(display, 10)
	if err != nil || d < 1 || d > 100 {
		apiError(w, http.StatusBadRequest, "SE02", "Invalid display value (부적절한 display 값입니다.)")
		return 0, 0, false
	}
	st, err := fakekit.IntParam(start, 1)
	if err != nil || st < 1 || st > 1000 {
		apiError(w, http.StatusBadRequest, "SE03", "Invalid start value (부적절한 start 값입니다.)")
		return 0, 0, false
	}
	if sort != "" && sort != "sim" && sort != "date" {
		apiError(w, http.StatusBadRequest, "SE04", "Invalid sort value (부적절한 sort 값입니다.)")
		return 0, 0, false
	}
	return d, st, true
}

func (s *server) serveFault(w http.ResponseWriter, f Fault) {
	b, ok := s.faults[f]
	status, known := faultStatus[f]
	if !ok || !known {
		apiError(w, http.StatusInternalServerError, "SE99", "System Error (시스템 에러)")
		return
	}
	var retry time.Duration
	if f == FaultRateLimit {
		retry = s.opts.RetryAfter
	}
	fakekit.ServeRecorded(w, status, b, contentType, retry)
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"errorMessage": msg, "errorCode": code})
}

// contentType is the API's own spelling.
const contentType = "application/json; charset=utf-8"

func writeJSON(w http.ResponseWriter, status int, v any) {
	fakekit.WriteJSON(w, status, v, contentType)
}
