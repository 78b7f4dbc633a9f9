package blueskyfake

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// Real createSession limits: 30 per 5 minutes per account.
const (
	loginLimit  = 30
	loginWindow = 5 * time.Minute
)

type token struct {
	refresh bool
	did     string
	exp     time.Time
}

// mint returns a JWT shaped like the PDS's (ES256K header, scope, sub,
// iat, exp) with a random signature, and remembers it.
func (s *server) mint(refresh bool, did string, now time.Time) string {
	ttl, typ, scope := s.opts.AccessTTL, "at+jwt", "com.atproto.access"
	if refresh {
		ttl, typ, scope = s.opts.RefreshTTL, "refresh+jwt", "com.atproto.refresh"
	}
	exp := now.Add(ttl)
	hdr, _ := json.Marshal(map[string]string{"typ": typ, "alg": "ES256K"})
	claims := map[string]any{"scope": scope, "sub": did, "aud": "did:web:bsky.social", "iat": now.Unix(), "exp": exp.Unix()}
	var sig [48]byte
	_, _ = rand.Read(sig[:])
	if refresh {
		claims["jti"] = base64.RawURLEncoding.EncodeToString(sig[:12])
	}
	body, _ := json.Marshal(claims)
	tok := b64(hdr) + "." + b64(body) + "." + b64(sig[:])
	if len(s.tokens) >= 1000 { // a long demo run: forget expired tokens
		for k, t := range s.tokens {
			if !now.Before(t.exp) {
				delete(s.tokens, k)
			}
		}
	}
	s.tokens[tok] = token{refresh: refresh, did: did, exp: exp}
	return tok
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// sessionBody is the session fixture with a new token pair.
func (s *server) sessionBody(now time.Time) map[string]any {
	out := map[string]any{}
	for k, v := range s.sess {
		out[k] = v
	}
	did, _ := out["did"].(string)
	if did == "" {
		did = "did:plc:earshotfakelistener00000"
		out["did"] = did
	}
	out["accessJwt"] = s.mint(false, did, now)
	out["refreshJwt"] = s.mint(true, did, now)
	return out
}

func (s *server) createSession(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Identifier string `json:"identifier"`
		Password   string `json:"password"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&in); err != nil {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Request body must be JSON: "+err.Error())
		return
	}
	if in.Identifier == "" || in.Password == "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", `Input must have the property "identifier" and "password"`)
		return
	}
	now := s.opts.Clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	recent := s.logins[:0]
	for _, t := range s.logins {
		if now.Sub(t) < loginWindow {
			recent = append(recent, t)
		}
	}
	s.logins = recent
	if len(s.logins) >= loginLimit {
		rateHeaders(w, s.logins[0].Add(loginWindow), loginLimit, int(loginWindow.Seconds()))
		xrpcError(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
		return
	}
	s.logins = append(s.logins, now)
	if !s.identifierOK(in.Identifier) || (s.opts.Password != "" && in.Password != s.opts.Password) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write(s.errBody("auth_failed.json", "AuthenticationRequired", "Invalid identifier or password"))
		return
	}
	writeJSON(w, http.StatusOK, s.sessionBody(now))
}

func (s *server) identifierOK(id string) bool {
	if s.opts.Identifier == "" {
		return true
	}
	id = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(id)), "@")
	for _, ok := range []any{s.opts.Identifier, s.sess["handle"], s.sess["email"]} {
		if v, _ := ok.(string); v != "" && strings.EqualFold(strings.TrimPrefix(v, "@"), id) {
			return true
		}
	}
	return false
}

func (s *server) refreshSession(w http.ResponseWriter, r *http.Request) {
	tok := bearer(r)
	now := s.opts.Clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tok]
	switch {
	case tok == "":
		xrpcError(w, http.StatusUnauthorized, "AuthMissing", "Authentication Required")
	case !ok || !t.refresh:
		xrpcError(w, http.StatusBadRequest, "InvalidToken", "Token could not be verified")
	case !now.Before(t.exp):
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
	default:
		delete(s.tokens, tok)
		writeJSON(w, http.StatusOK, s.sessionBody(now))
	}
}

// authorize checks the access token; required says whether a request
// without one is refused (search) or allowed (public AppView reads).
func (s *server) authorize(w http.ResponseWriter, r *http.Request, required bool) bool {
	tok := bearer(r)
	if tok == "" {
		if required {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write(s.errBody("forbidden.json", "Forbidden", "Forbidden"))
			return false
		}
		return true
	}
	s.mu.Lock()
	t, ok := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case !ok:
		xrpcError(w, http.StatusUnauthorized, "InvalidToken", "Token could not be verified")
	case t.refresh:
		xrpcError(w, http.StatusBadRequest, "InvalidToken", "Bad token scope")
	case !s.opts.Clock().Before(t.exp):
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(s.errBody("expired_token.json", "ExpiredToken", "Token has expired"))
	default:
		return true
	}
	return false
}

// errBody is the recorded error body, or a built one.
func (s *server) errBody(file, name, msg string) []byte {
	if b, ok := s.errs[file]; ok {
		return b
	}
	b, _ := json.Marshal(map[string]string{"error": name, "message": msg})
	return b
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
