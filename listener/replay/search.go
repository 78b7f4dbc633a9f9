package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	defaultHitsPerPage = 20
	maxHitsPerPage     = 1000
	maxResults         = 1000 // Algolia's paginationLimitedTo
)

// poolHit is one recorded hit plus the fields the filters need.
type poolHit struct {
	raw     map[string]any
	created int64
	tags    map[string]bool
	text    string // lower-cased searchable text
	numbers map[string]int64
}

func newPoolHit(m map[string]any) (poolHit, error) {
	h := poolHit{raw: m, tags: map[string]bool{}, numbers: map[string]int64{}}
	if id, _ := m["objectID"].(string); id == "" {
		return h, errors.New("objectID missing or not a string")
	}
	n, ok := m["created_at_i"].(json.Number)
	if !ok {
		return h, errors.New("created_at_i missing")
	}
	c, err := n.Int64()
	if err != nil {
		return h, fmt.Errorf("created_at_i: %w", err)
	}
	h.created = c
	if tags, ok := m["_tags"].([]any); ok {
		for _, t := range tags {
			if s, ok := t.(string); ok {
				h.tags[s] = true
			}
		}
	}
	var parts []string
	for _, f := range []string{"title", "story_text", "comment_text", "story_title", "author"} {
		if s, ok := m[f].(string); ok {
			parts = append(parts, strings.ToLower(s))
		}
	}
	h.text = strings.Join(parts, "\n")
	for _, f := range []string{"points", "num_comments"} {
		if n, ok := m[f].(json.Number); ok {
			if v, err := n.Int64(); err == nil {
				h.numbers[f] = v
			}
		}
	}
	return h, nil
}

// rebase shifts the hit's times by d, keeping created_at and created_at_i equal.
func (h *poolHit) rebase(d time.Duration) {
	if d == 0 {
		return
	}
	h.created += int64(d / time.Second)
	h.raw["created_at_i"] = json.Number(strconv.FormatInt(h.created, 10))
	h.raw["created_at"] = time.Unix(h.created, 0).UTC().Format(algoliaTime)
	if s, ok := h.raw["updated_at"].(string); ok {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			h.raw["updated_at"] = t.Add(d).UTC().Format(algoliaTime)
		}
	}
}

const algoliaTime = "2006-01-02T15:04:05.000Z"

// numFilter is one numericFilters clause.
type numFilter struct {
	field string
	op    string
	val   int64
}

func (f numFilter) match(h *poolHit) bool {
	var v int64
	if f.field == "created_at_i" {
		v = h.created
	} else {
		n, ok := h.numbers[f.field]
		if !ok {
			return false
		}
		v = n
	}
	switch f.op {
	case ">":
		return v > f.val
	case ">=":
		return v >= f.val
	case "<":
		return v < f.val
	case "<=":
		return v <= f.val
	default:
		return v == f.val
	}
}

func parseNumericFilters(s string) ([]numFilter, error) {
	var out []numFilter
	for _, c := range strings.Split(s, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		var f numFilter
		for _, op := range []string{">=", "<=", ">", "<", "="} {
			if i := strings.Index(c, op); i > 0 {
				f.field, f.op = strings.TrimSpace(c[:i]), op
				v, err := strconv.ParseInt(strings.TrimSpace(c[i+len(op):]), 10, 64)
				if err != nil {
					return nil, fmt.Errorf("invalid numeric value in filter %q", c)
				}
				f.val = v
				break
			}
		}
		switch f.field {
		case "created_at_i", "points", "num_comments":
		case "":
			return nil, fmt.Errorf("invalid syntax in numeric filter %q", c)
		default:
			return nil, fmt.Errorf("attribute %q is not in numericAttributesForFiltering", f.field)
		}
		out = append(out, f)
	}
	return out, nil
}

// parseTags splits "story,(a,b)" into AND groups of OR alternatives.
func parseTags(s string) ([][]string, error) {
	var groups [][]string
	for s != "" {
		s = strings.TrimLeft(s, ", ")
		if s == "" {
			break
		}
		if s[0] == '(' {
			end := strings.IndexByte(s, ')')
			if end < 0 {
				return nil, errors.New("unbalanced parenthesis in tags")
			}
			var alt []string
			for _, t := range strings.Split(s[1:end], ",") {
				if t = strings.TrimSpace(t); t != "" {
					alt = append(alt, t)
				}
			}
			if len(alt) > 0 {
				groups = append(groups, alt)
			}
			s = s[end+1:]
			continue
		}
		end := strings.IndexAny(s, ",(")
		if end < 0 {
			end = len(s)
		}
		if t := strings.TrimSpace(s[:end]); t != "" {
			if strings.ContainsRune(t, ')') {
				return nil, errors.New("unbalanced parenthesis in tags")
			}
			groups = append(groups, []string{t})
		}
		s = s[end:]
	}
	return groups, nil
}

func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if s.hitsErr != nil {
		algoliaError(w, http.StatusInternalServerError, "fixtures unusable: %v", s.hitsErr)
		return
	}
	q := r.URL.Query()
	hpp, page := defaultHitsPerPage, 0
	if v := q.Get("hitsPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxHitsPerPage {
			algoliaError(w, http.StatusBadRequest, "invalid value for hitsPerPage: %q (expected 0..%d)", v, maxHitsPerPage)
			return
		}
		hpp = n
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			algoliaError(w, http.StatusBadRequest, "invalid value for page: %q", v)
			return
		}
		page = n
	}
	filters, err := parseNumericFilters(q.Get("numericFilters"))
	if err != nil {
		algoliaError(w, http.StatusBadRequest, "%v", err)
		return
	}
	tags, err := parseTags(q.Get("tags"))
	if err != nil {
		algoliaError(w, http.StatusBadRequest, "%v", err)
		return
	}
	words := strings.Fields(strings.ToLower(q.Get("query")))

	var matched []*poolHit
	for i := range s.hits {
		h := &s.hits[i]
		if matchHit(h, words, tags, filters) {
			matched = append(matched, h)
		}
	}
	nb := len(matched)
	reachable := min(nb, maxResults)
	nbPages := 0
	if hpp > 0 {
		nbPages = (reachable + hpp - 1) / hpp
	}
	out := []map[string]any{}
	if hpp > 0 && page < nbPages {
		lo := page * hpp
		hi := min(lo+hpp, reachable)
		for _, h := range matched[lo:hi] {
			out = append(out, h.raw)
		}
	}
	ms := time.Since(start).Milliseconds()
	writeJSON(w, http.StatusOK, map[string]any{
		"hits":             out,
		"nbHits":           nb,
		"page":             page,
		"nbPages":          nbPages,
		"hitsPerPage":      hpp,
		"exhaustiveNbHits": true,
		"exhaustiveTypo":   true,
		"exhaustive":       map[string]bool{"nbHits": true, "typo": true},
		"query":            q.Get("query"),
		"params":           r.URL.RawQuery,
		"processingTimeMS": ms,
		"serverTimeMS":     ms + 1,
	})
}

func matchHit(h *poolHit, words []string, tags [][]string, filters []numFilter) bool {
	for _, w := range words {
		if !strings.Contains(h.text, w) {
			return false
		}
	}
	for _, alt := range tags {
		ok := false
		for _, t := range alt {
			if h.tags[t] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, f := range filters {
		if !f.match(h) {
			return false
		}
	}
	return true
}
