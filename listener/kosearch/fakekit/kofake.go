package fakekit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var tags = regexp.MustCompile(`<[^>]*>`)

// SearchText is the lowercased searchable text of a recorded item: the
// string values of fields, tags removed, one per line.
func SearchText(m map[string]any, fields ...string) string {
	var parts []string
	for _, k := range fields {
		if s, ok := m[k].(string); ok {
			parts = append(parts, tags.ReplaceAllString(s, ""))
		}
	}
	return strings.ToLower(strings.Join(parts, "\n"))
}

// Match returns the items whose text contains every word of q (words with
// a leading "-" must be absent), in order.
func Match[T any](items []T, text func(T) string, q string) []T {
	var want, not []string
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if n, ok := strings.CutPrefix(w, "-"); ok {
			if n != "" {
				not = append(not, n)
			}
			continue
		}
		want = append(want, strings.Trim(w, `"+`))
	}
	var out []T
next:
	for _, it := range items {
		s := text(it)
		for _, w := range want {
			if w != "" && !strings.Contains(s, w) {
				continue next
			}
		}
		for _, w := range not {
			if strings.Contains(s, w) {
				continue next
			}
		}
		out = append(out, it)
	}
	return out
}

// IntParam parses a query parameter, def when it is absent.
func IntParam(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	return strconv.Atoi(s)
}

// ServeRecorded answers a recorded body with status, and Retry-After in
// whole seconds (rounded up) when retryAfter is positive.
func ServeRecorded(w http.ResponseWriter, status int, body []byte, contentType string, retryAfter time.Duration) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((retryAfter+time.Second-1)/time.Second)))
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// WriteJSON answers v as JSON with status; like the APIs it sends <b> and
// & unescaped.
func WriteJSON(w http.ResponseWriter, status int, v any, contentType string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "encode: "+err.Error(), http.StatusInternalServerError)
		return
	}
	ServeRecorded(w, status, buf.Bytes(), contentType, 0)
}
