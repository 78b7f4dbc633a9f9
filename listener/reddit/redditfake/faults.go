package redditfake

import (
	"net/http"
	"strings"
)

// Fault kinds.
const (
	FaultMalformed    = "malformed"    // 200 with a truncated listing
	FaultServerError  = "server_error" // 503 with Reddit's HTML error page
	FaultRateLimit    = "rate_limit"   // 429, X-Ratelimit-Remaining 0
	FaultUnauthorized = "unauthorized" // 401 as for an expired token
	FaultForbidden    = "forbidden"    // 403 as for a private subreddit
)

// Fault makes matching API requests fail.
type Fault struct {
	// Path is the request path without prefix or ".json" ("/search",
	// "/user/globex/submitted"); "" matches any API path.
	Path string
	// Query is the q parameter to match; "" matches any.
	Query string
	Kind  string
	// Times is how often the fault fires; 0 means always.
	Times int
}

// fault returns the first armed fault matching the request, consuming it.
func (s *Server) fault(p, q string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if f.Times < 0 || (f.Path != "" && f.Path != p) || (f.Query != "" && f.Query != q) {
			continue
		}
		switch {
		case f.Times == 1:
			f.Times = -1 // spent
		case f.Times > 1:
			f.Times--
		}
		return *f, true
	}
	return Fault{}, false
}

func (s *Server) serveFault(w http.ResponseWriter, f Fault) {
	switch strings.ToLower(f.Kind) {
	case FaultMalformed:
		s.fixture(w, http.StatusOK, "malformed.json")
	case FaultRateLimit:
		w.Header().Set("X-Ratelimit-Remaining", "0.0")
		s.fixture(w, http.StatusTooManyRequests, "too_many_requests.json")
	case FaultUnauthorized:
		s.fixture(w, http.StatusUnauthorized, "unauthorized.json")
	case FaultForbidden:
		s.fixture(w, http.StatusForbidden, "forbidden.json")
	default:
		s.fixture(w, http.StatusServiceUnavailable, "server_error.html")
	}
}
