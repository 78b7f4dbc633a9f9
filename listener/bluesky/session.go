package bluesky

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/earshot/earshot/listener"
	"github.com/earshot/earshot/listener/httpx"
)

// Session timing.
const (
	// refreshMargin: an access token expiring within this is refreshed
	// before use rather than sent and refused.
	refreshMargin = time.Minute
	// loginHoldoff: after the server refused the credentials, no new
	// createSession is sent for this long (createSession allows 30 calls
	// per 5 minutes and 300 a day per account).
	loginHoldoff = 15 * time.Minute
)

// session is the cached login. exp is zero when the token carries no
// readable exp claim.
type session struct {
	access, refresh string
	did, handle     string
	exp             time.Time
}

// sessionResponse is createSession's and refreshSession's output.
type sessionResponse struct {
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
	Handle     string `json:"handle"`
	DID        string `json:"did"`
}

// xrpcError is the error body every XRPC endpoint answers with.
type xrpcError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func decodeSession(b []byte) (*sessionResponse, error) {
	var r sessionResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	if r.AccessJwt == "" || r.RefreshJwt == "" {
		return nil, errors.New("session without accessJwt or refreshJwt")
	}
	return &r, nil
}

// errLogin marks a refused createSession, errSession any other failure to
// get a session; Fetch stops on both rather than retry per endpoint.
var (
	errLogin   = errors.New("bluesky login refused")
	errSession = errors.New("no bluesky session")
)

// get sends an XRPC query, logged in when credentials are configured. A
// refused or expired access token is renewed once (refreshSession, then
// createSession) and the query retried.
func (s *Source) get(ctx context.Context, u string) (*httpx.Response, error) {
	if s.cfg.Identifier == "" {
		if err := s.take(); err != nil {
			return nil, err
		}
		return s.f.Get(ctx, u, http.Header{"Accept": {"application/json"}})
	}
	sess, err := s.session(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := s.authGet(ctx, u, sess.access)
	if err == nil || !tokenRefused(err) {
		return resp, err
	}
	sess, err = s.renew(ctx, sess)
	if err != nil {
		return nil, err
	}
	return s.authGet(ctx, u, sess.access)
}

func (s *Source) authGet(ctx context.Context, u, token string) (*httpx.Response, error) {
	if err := s.take(); err != nil {
		return nil, err
	}
	return s.f.Get(ctx, u, http.Header{"Accept": {"application/json"}, "Authorization": {"Bearer " + token}})
}

// take reserves one request from the budget, if there is one.
func (s *Source) take() error {
	if s.budget == nil {
		return nil
	}
	return s.budget.Take(1)
}

// session returns a usable session: the cached one, refreshed when its
// access token is about to expire, or a new login.
func (s *Source) session(ctx context.Context) (*session, error) {
	s.mu.Lock()
	cur := s.sess
	s.mu.Unlock()
	if cur == nil {
		return s.login(ctx)
	}
	if !cur.exp.IsZero() && !s.clock().Add(refreshMargin).Before(cur.exp) {
		return s.renew(ctx, cur)
	}
	return cur, nil
}

// renew replaces old: refreshSession first, createSession when the
// refresh token is refused too. A concurrent renewal that already replaced
// old is reused.
func (s *Source) renew(ctx context.Context, old *session) (*session, error) {
	s.mu.Lock()
	cur := s.sess
	s.mu.Unlock()
	if cur != nil && cur != old {
		return cur, nil
	}
	u := s.cfg.BaseURL + "/xrpc/com.atproto.server.refreshSession"
	if err := s.take(); err != nil {
		return nil, err
	}
	resp, err := s.f.Do(ctx, http.MethodPost, u, http.Header{"Accept": {"application/json"}, "Authorization": {"Bearer " + old.refresh}}, nil)
	if err == nil {
		sr, derr := decodeSession(resp.Body)
		if derr != nil {
			return nil, fmt.Errorf("%w: decode %s: %w", errSession, u, derr)
		}
		return s.keep(sr), nil
	}
	var he *listener.HTTPError
	if !errors.As(err, &he) || (he.StatusCode != http.StatusBadRequest && he.StatusCode != http.StatusUnauthorized) {
		return nil, fmt.Errorf("%w: refresh session: %w", errSession, err)
	}
	s.mu.Lock()
	s.sess = nil
	s.mu.Unlock()
	return s.login(ctx)
}

// login sends createSession, unless the credentials were refused less
// than loginHoldoff ago.
func (s *Source) login(ctx context.Context) (*session, error) {
	s.mu.Lock()
	if s.loginErr != nil && s.clock().Before(s.loginFailed.Add(loginHoldoff)) {
		err := s.loginErr
		s.mu.Unlock()
		return nil, err
	}
	s.mu.Unlock()
	if s.cfg.Password == "" {
		return nil, fmt.Errorf("%w: no app password for %q (set password_env)", errLogin, s.cfg.Identifier)
	}
	u := s.cfg.BaseURL + "/xrpc/com.atproto.server.createSession"
	body, err := json.Marshal(map[string]string{"identifier": s.cfg.Identifier, "password": s.cfg.Password})
	if err != nil {
		return nil, fmt.Errorf("encode login: %w", err)
	}
	if err := s.take(); err != nil {
		return nil, err
	}
	s.logins.Add(1)
	resp, err := s.f.Do(ctx, http.MethodPost, u, http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}, body)
	if err != nil {
		var he *listener.HTTPError
		if errors.As(err, &he) && (he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusBadRequest) {
			err = fmt.Errorf("%w as %q: %s (check the source's identifier and the app password in password_env): %w",
				errLogin, s.cfg.Identifier, xrpcMessage(he.Body, "credentials refused"), err)
			s.mu.Lock()
			s.loginErr, s.loginFailed = err, s.clock()
			s.mu.Unlock()
			return nil, err
		}
		return nil, fmt.Errorf("%w: create session as %q: %w", errSession, s.cfg.Identifier, err)
	}
	sr, err := decodeSession(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: decode %s: %w", errSession, u, err)
	}
	s.mu.Lock()
	s.loginErr = nil
	s.mu.Unlock()
	return s.keep(sr), nil
}

// keep caches a new session.
func (s *Source) keep(sr *sessionResponse) *session {
	sess := &session{access: sr.AccessJwt, refresh: sr.RefreshJwt, did: sr.DID, handle: sr.Handle, exp: jwtExpiry(sr.AccessJwt)}
	s.mu.Lock()
	s.sess = sess
	s.mu.Unlock()
	return sess
}

// tokenRefused reports whether err says the access token is no longer
// accepted: 401, or 400 ExpiredToken/InvalidToken.
func tokenRefused(err error) bool {
	var he *listener.HTTPError
	if !errors.As(err, &he) {
		return false
	}
	switch he.StatusCode {
	case http.StatusUnauthorized:
		return true
	case http.StatusBadRequest:
		e := xrpcName(he.Body)
		return e == "ExpiredToken" || e == "InvalidToken"
	}
	return false
}

func parseXRPCError(body string) xrpcError {
	var e xrpcError
	_ = json.Unmarshal([]byte(body), &e)
	return e
}

func xrpcName(body string) string { return parseXRPCError(body).Error }

// xrpcMessage returns the server's message, or def.
func xrpcMessage(body, def string) string {
	if m := strings.TrimSpace(parseXRPCError(body).Message); m != "" {
		return trunc(m, 200)
	}
	return def
}

// jwtExpiry reads the exp claim of a JWT without checking its signature
// (the server does that); zero when there is none.
func jwtExpiry(tok string) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(parts[1]) > 8192 {
		return time.Time{}
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return time.Time{}
	}
	exp, err := claims.Exp.Int64()
	if err != nil || exp <= 0 || exp > 1<<40 {
		return time.Time{}
	}
	return time.Unix(exp, 0).UTC()
}
