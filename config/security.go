package config

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// TokenAdvice says how to make a token strong enough; every message about a
// weak token ends with it.
const TokenAdvice = "generate one with `openssl rand -base64 32` or `head -c 32 /dev/urandom | base64`"

// MinTokenBits is the entropy an API token must carry: 32 random bytes.
const MinTokenBits = 256

// CheckToken judges an API token by its length and the character classes it
// uses, the way a generator's output looks: 43 base64 characters or 64 hex
// digits carry 256 bits; a token of one repeated character, a short repeated
// pattern or a run of neighbouring characters ("abcdef…") carries far less
// than its length suggests and is refused too. The error says why and how
// to generate a good one.
func CheckToken(tok string) error {
	bits := tokenBits(tok)
	switch {
	case bits < MinTokenBits:
		return fmt.Errorf("the API token is too weak (%d characters, about %d bits; at least %d bits are needed, "+
			"such as 43 base64 characters or 64 hex digits): %s", len(tok), int(bits), MinTokenBits, TokenAdvice)
	case repetitive(tok):
		return fmt.Errorf("the API token is not random (it repeats a pattern or runs through neighbouring characters): %s", TokenAdvice)
	}
	return nil
}

// tokenBits estimates the entropy of a random token from its length and
// the size of the alphabet its character classes imply.
func tokenBits(tok string) float64 {
	var lower, upper, digit, hexLetters, base64Sym, other bool
	hexOnlyLower, hexOnlyUpper := true, true
	for _, r := range tok {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
			hexOnlyUpper = false
			if r > 'f' {
				hexOnlyLower = false
			} else {
				hexLetters = true
			}
		case r >= 'A' && r <= 'Z':
			upper = true
			hexOnlyLower = false
			if r > 'F' {
				hexOnlyUpper = false
			} else {
				hexLetters = true
			}
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune("+/-_=", r):
			base64Sym = true
		default:
			other = true
		}
	}
	alphabet := 0
	switch {
	case other:
		alphabet = 94 // printable ASCII and beyond
	case base64Sym || lower && upper:
		alphabet = 64
	case (hexOnlyLower || hexOnlyUpper) && (hexLetters || digit):
		alphabet = 16
		if !hexLetters {
			alphabet = 10
		}
	case lower || upper:
		alphabet = 26
		if digit {
			alphabet = 36
		}
	case digit:
		alphabet = 10
	}
	if alphabet == 0 {
		return 0
	}
	n := len(strings.TrimRight(tok, "=")) // base64 padding carries nothing
	return float64(n) * math.Log2(float64(alphabet))
}

// repetitive reports a token that is a repeated pattern, uses few distinct
// characters, or mostly steps to a neighbouring character.
func repetitive(tok string) bool {
	n := len(tok)
	for p := 1; p <= n/2; p++ {
		if tok[p:] == tok[:n-p] {
			return true // period p
		}
	}
	distinct := map[byte]bool{}
	steps := 0
	for i := 0; i < n; i++ {
		distinct[tok[i]] = true
		if i > 0 {
			if d := int(tok[i]) - int(tok[i-1]); d >= -1 && d <= 1 {
				steps++
			}
		}
	}
	return len(distinct) < 10 || 2*steps > n
}

// checkAllowedHosts validates allowed_hosts: host names or IP addresses,
// each optionally with a port ("earshot.example.com", "10.0.0.5:8089").
func (v *validator) checkAllowedHosts(hosts []string) {
	for i, h := range hosts {
		if _, _, err := SplitAllowedHost(h); err != nil {
			v.c.at(fmt.Sprintf("earshot.allowed_hosts[%d]", i), "%v", err)
		}
	}
}

// SplitAllowedHost parses an allowed_hosts entry into a lower-case host (an
// IPv6 address without brackets) and a port ("" = any port).
func SplitAllowedHost(s string) (host, port string, err error) {
	bad := fmt.Errorf("invalid host %q: want a host name or IP address, optionally with a port, such as \"earshot.example.com\" or \"10.0.0.5:8089\"", truncate(s, 60))
	host = s
	if h, p, err := net.SplitHostPort(s); err == nil {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", "", bad
		}
		host, port = h, p
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s[1 : len(s)-1]
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return strings.ToLower(host), port, nil
	}
	if !validHostname(host) {
		return "", "", bad
	}
	return strings.ToLower(strings.TrimSuffix(host, ".")), port, nil
}

// checkTrustedProxies validates trusted_proxies: CIDR prefixes or single
// addresses.
func (v *validator) checkTrustedProxies(nets []string) {
	for i, s := range nets {
		if _, err := ParsePrefix(s); err != nil {
			v.c.at(fmt.Sprintf("earshot.trusted_proxies[%d]", i), "%v", err)
		}
	}
}

// ParsePrefix reads a trusted_proxies entry: a CIDR prefix ("10.0.0.0/8")
// or one address ("127.0.0.1", meaning /32 or /128).
func ParsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
	}
	return netip.Prefix{}, fmt.Errorf("invalid proxy address %q: want a CIDR prefix such as \"10.0.0.0/8\" or an address such as \"127.0.0.1\"", truncate(s, 60))
}

// HTTPHosts are the Host names the HTTP server answers to besides the
// listen address: allowed_hosts and the host of digest.base_url (the links
// in e-mails point there).
func (c *Config) HTTPHosts() []string {
	out := append([]string(nil), c.Earshot.AllowedHosts...)
	if u, err := url.Parse(c.Digest.BaseURL); err == nil && u.Host != "" {
		out = append(out, u.Host)
	}
	return out
}

// ProxyPrefixes are TrustedProxies parsed (entries that do not parse were
// refused by validation and are skipped).
func (e Earshot) ProxyPrefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range e.TrustedProxies {
		if p, err := ParsePrefix(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}
