package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Authentication limits.
const (
	sessionCookie = "earshot_session"
	sessionTTL    = 7 * 24 * time.Hour
	maxBodyBytes  = 16 << 10 // every request body; only POST /login has one
)

// SetToken replaces the API token ("" = no authentication).
func (s *Server) SetToken(token string) { s.token.Store(&token) }

func (s *Server) currentToken() string {
	if p := s.token.Load(); p != nil {
		return *p
	}
	return ""
}

// openPath reports whether path is served without authentication.
func openPath(path string) bool {
	return path == "/healthz" || path == "/login" || path == "/logout" || path == unsubscribePath || strings.HasPrefix(path, "/static/")
}

// authorize lets r through when no token is set, on open paths, or with a
// valid bearer token or session cookie. Otherwise it answers: API and
// /metrics callers get a 401 envelope, browsers are sent to the login form.
// A wrong bearer token counts against the client's address (failLimiter);
// an address out of attempts gets 429 without its token being looked at.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	token := s.currentToken()
	if token == "" || openPath(r.URL.Path) {
		return true
	}
	if bearer, ok := bearerToken(r); ok {
		client := s.proxies.clientAddr(r)
		if s.tooManyFailures(w, client) {
			return false
		}
		if tokenEqual(bearer, token) {
			return true
		}
		s.failures.fail(client)
		s.opts.Logger.Warn().Str("client", client.String()).Str("path", r.URL.Path).Msg("wrong API token")
	}
	if c, err := r.Cookie(sessionCookie); err == nil && validSession(c.Value, token, s.opts.Clock()) {
		return true
	}
	if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/metrics" || r.Method != http.MethodGet {
		w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
		writeError(w, http.StatusUnauthorized, "unauthorized",
			"this server needs an API token: send Authorization: Bearer <token> (the value of the variable named by api_token_env)")
		return false
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	return false
}

// bearerToken reads "Authorization: Bearer <token>"; the scheme is
// case-insensitive (RFC 9110), the token is not.
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// tooManyFailures answers 429 with Retry-After when client has used up its
// failed attempts.
func (s *Server) tooManyFailures(w http.ResponseWriter, client netip.Addr) bool {
	d := s.failures.wait(client)
	if d <= 0 {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	writeError(w, http.StatusTooManyRequests, "too_many_requests",
		"too many wrong tokens from this address; wait for the time in Retry-After")
	return true
}

// tokenEqual compares in constant time. Both sides are hashed first so that
// neither the length nor a common prefix of the token leaks through timing.
func tokenEqual(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// newSession returns a cookie value "<expiry unix>.<hmac>" keyed by the
// token: the token itself never goes into the cookie, and changing the token
// ends every session.
func newSession(token string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	return exp + "." + sessionMAC(token, exp)
}

func sessionMAC(token, exp string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("earshot-session-v1|" + exp))
	return hex.EncodeToString(m.Sum(nil))
}

func validSession(v, token string, now time.Time) bool {
	exp, mac, ok := strings.Cut(v, ".")
	if !ok || len(v) > 200 {
		return false
	}
	n, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || now.Unix() >= n {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(sessionMAC(token, exp)))
}

// localPath returns next when it is a path on this server, "/" otherwise
// (no open redirect to another host).
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if s.currentToken() == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login.html", loginPage{page: s.page(r, ""), Next: localPath(r.URL.Query().Get("next"))})
}

// handleLogin checks the login form (Origin is checked for every POST by
// guardHost). Failures count against the client's address like wrong
// bearer tokens.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	token := s.currentToken()
	if token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if err := r.ParseForm(); err != nil {
		badRequest(w, "login: unreadable form: "+err.Error())
		return
	}
	next := localPath(r.PostForm.Get("next"))
	client := s.proxies.clientAddr(r)
	if d := s.failures.wait(client); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
		s.render(w, r, http.StatusTooManyRequests, "login.html", loginPage{page: s.page(r, ""), Next: next,
			Error: "Too many failed attempts. Wait a minute and try again."})
		return
	}
	if !tokenEqual(r.PostForm.Get("token"), token) {
		s.failures.fail(client)
		s.opts.Logger.Warn().Str("client", client.String()).Msg("failed login")
		s.render(w, r, http.StatusUnauthorized, "login.html", loginPage{page: s.page(r, ""), Next: next,
			Error: "That token is not right."})
		return
	}
	expires := s.opts.Clock().Add(sessionTTL)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: newSession(token, expires), Path: "/", Expires: expires,
		MaxAge: int(sessionTTL.Seconds()), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.proxies.overHTTPS(r),
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleLogout ends this browser's session: the cookie is expired and the
// browser goes to the login form. The session value stays valid until its
// expiry for anyone who copied it; changing the token ends every session.
// It needs no session (signing out twice is harmless) but must come from a
// page of this server (guardHost checks Origin), so another site cannot
// sign the user out.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.proxies.overHTTPS(r),
	})
	to := "/login"
	if s.currentToken() == "" {
		to = "/"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// setSecurityHeaders applies to every answer: no script but our own file,
// no framing, no sniffing, no referrer leaking search terms to the sites
// that results link to.
func setSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}
