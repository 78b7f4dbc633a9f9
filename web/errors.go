package web

import (
	"encoding/json"
	"net/http"
)

// apiError is the stable error envelope of every failed API call.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Pos is the byte offset of a query syntax error, when there is one.
	Pos *int `json:"pos,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]apiError{"error": {Code: code, Message: msg}})
}

func badRequest(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusBadRequest, "bad_request", msg)
}
