package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// hostGuard decides which Host names a request may carry. A page on another
// site whose name an attacker re-points at 127.0.0.1 (DNS rebinding) reaches
// this server with that site's name as Host: refusing unknown names is what
// keeps such a page from reading the API, whatever the token setting.
//
// Accepted, with the port the connection arrived on (or no port when that
// is 80): "localhost", the host of the listen address, and any IP address
// (127.0.0.1, [::1], the LAN address of a server listening on 0.0.0.0, the
// host's address in front of a container): rebinding needs a name the
// attacker controls, and a page loaded from an IP address is that address's
// own origin. Accepted on any port unless the entry names one:
// Options.AllowedHosts (the daemon adds digest.base_url's host).
type hostGuard struct {
	listenHost, listenPort string
	allowed                map[string][]string // host -> ports ("" = any)
}

func newHostGuard(listen string, allowed []string) (*hostGuard, error) {
	g := &hostGuard{allowed: map[string][]string{}}
	if listen != "" {
		h, p, err := net.SplitHostPort(listen)
		if err != nil {
			return nil, fmt.Errorf("web: listen address %q: %w", listen, err)
		}
		g.listenHost, g.listenPort = normHost(h), p
	}
	for _, a := range allowed {
		h, p := a, ""
		if hh, pp, err := net.SplitHostPort(a); err == nil {
			h, p = hh, pp
		}
		h = normHost(h)
		if h == "" {
			return nil, fmt.Errorf("web: allowed host %q: empty host", a)
		}
		g.allowed[h] = append(g.allowed[h], p)
	}
	return g, nil
}

// normHost lower-cases a host, drops IPv6 brackets and a trailing dot.
func normHost(h string) string {
	h = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(h, "]"), "["), ".")
	return strings.ToLower(h)
}

// splitHost splits a Host header into host and port ("" when absent).
func splitHost(hostport string) (string, string) {
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		return normHost(h), p
	}
	return normHost(hostport), ""
}

// allow reports whether r's Host is one this server answers to. Without a
// network connection (a handler called in-process) and no listen address
// configured there is nothing to check against, and nothing to rebind.
func (g *hostGuard) allow(r *http.Request) bool {
	host, port := splitHost(r.Host)
	if host == "" {
		return false
	}
	for _, p := range g.allowed[host] {
		if p == "" || p == port {
			return true
		}
	}
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	localPort := g.listenPort
	if local != nil {
		if _, p, err := net.SplitHostPort(local.String()); err == nil {
			localPort = p
		}
	} else if g.listenPort == "" {
		return true
	}
	defaultPort := "80"
	if r.TLS != nil {
		defaultPort = "443"
	}
	if port != localPort && !(port == "" && localPort == defaultPort) {
		return false
	}
	if host == "localhost" || host == g.listenHost {
		return true
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// sameOrigin reports whether a state-changing request comes from a page of
// this server: its Origin must name the request's (already checked) Host.
// Browsers send Origin on every POST; Sec-Fetch-Site is checked when Origin
// is missing. A request with neither (curl) is not a browser and cannot
// carry a victim's cookies, so it passes.
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, r.Host)
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return true
	}
	return false
}

// guardHost answers 421 for a foreign Host and 403 for a non-GET request
// from another origin; it reports whether r may go on.
func (s *Server) guardHost(w http.ResponseWriter, r *http.Request) bool {
	if !s.hosts.allow(r) {
		s.opts.Logger.Warn().Str("host", r.Host).Str("remote", r.RemoteAddr).Str("path", r.URL.Path).Msg("request for a foreign host refused")
		writeError(w, http.StatusMisdirectedRequest, "misdirected_request",
			fmt.Sprintf("this server does not answer to the host name %q; if it is yours (a reverse proxy's name, say), add it to allowed_hosts in [earshot]", truncateRunes(r.Host, 100)))
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(r) && !s.signedUnsubscribe(r) {
		writeError(w, http.StatusForbidden, "forbidden", "a request that changes state must come from this server's own pages")
		return false
	}
	return true
}
