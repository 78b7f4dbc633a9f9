package redditfake

import (
	"net/http"
	"strings"
)

// route dispatches an authorised API GET.
func (s *Server) route(w http.ResponseWriter, r *http.Request, p string) {
	if s.loadOK != nil && s.pool == nil {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Internal Server Error", "error": 500})
		return
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	q := r.URL.Query()
	switch {
	case p == "/api/info":
		s.serveInfo(w, r)
	case p == "/search":
		s.serveListing(w, r, func(e *entry) bool { return e.kind == "t3" && matches(e, q.Get("q")) })
	case len(parts) == 3 && parts[0] == "r" && parts[2] == "search":
		subs := map[string]bool{}
		for _, sub := range strings.Split(strings.ToLower(parts[1]), "+") {
			subs[sub] = true
		}
		restrict := q.Get("restrict_sr") == "1" || q.Get("restrict_sr") == "on" || q.Get("restrict_sr") == "true"
		s.serveListing(w, r, func(e *entry) bool {
			return e.kind == "t3" && (!restrict || subs[e.sub]) && matches(e, q.Get("q"))
		})
	case len(parts) == 3 && parts[0] == "user":
		name := strings.ToLower(parts[1])
		if _, known := s.users[name]; !known {
			s.fixture(w, http.StatusNotFound, "not_found.json")
			return
		}
		switch parts[2] {
		case "about":
			writeJSON(w, http.StatusOK, map[string]any{"kind": "t2", "data": s.users[name]})
		case "submitted":
			s.serveListing(w, r, func(e *entry) bool { return e.kind == "t3" && e.author == name })
		case "comments":
			s.serveListing(w, r, func(e *entry) bool { return e.kind == "t1" && e.author == name })
		default:
			s.fixture(w, http.StatusNotFound, "not_found.json")
		}
	default:
		s.fixture(w, http.StatusNotFound, "not_found.json")
	}
}
