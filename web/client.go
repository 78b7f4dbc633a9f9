package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxies are the trusted reverse proxies (Options.TrustedProxies). Only a
// request whose peer is one of them has its X-Forwarded-For and
// X-Forwarded-Proto believed; anyone else could write those headers.
type proxies []netip.Prefix

func (ps proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the address of the TCP peer of r.
func peer(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// clientAddr is the address of the client that made r: the peer, or, when
// the peer is a trusted proxy, the right-most X-Forwarded-For entry that is
// not itself a trusted proxy (entries to its left were written by the
// client and prove nothing).
func (ps proxies) clientAddr(r *http.Request) netip.Addr {
	a := peer(r)
	if !ps.trusted(a) {
		return a
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(hops[i])
		if err != nil {
			return a // a malformed hop: stop at the last address we can trust
		}
		a = h.Unmap()
		if !ps.trusted(a) {
			return a
		}
	}
	return a
}

func forwardedFor(h http.Header) []string {
	var out []string
	for _, v := range h.Values("X-Forwarded-For") {
		for _, s := range strings.Split(v, ",") {
			s = strings.TrimSpace(s)
			if hh, _, err := net.SplitHostPort(s); err == nil {
				s = hh
			}
			out = append(out, strings.Trim(s, "[]"))
		}
	}
	return out
}

// overHTTPS reports whether the client's request came over HTTPS: TLS on
// this connection, or X-Forwarded-Proto: https from a trusted proxy (the
// last value, which the nearest proxy wrote).
func (ps proxies) overHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !ps.trusted(peer(r)) {
		return false
	}
	vs := r.Header.Values("X-Forwarded-Proto")
	if len(vs) == 0 {
		return false
	}
	parts := strings.Split(vs[len(vs)-1], ",")
	return strings.EqualFold(strings.TrimSpace(parts[len(parts)-1]), "https")
}
