package config

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// fold is the comparison key for names and terms: NFKC (so full-width
// "ＡＣＭＥ" equals "ACME" and compatibility jamo compose) then Unicode case
// folding.
func fold(s string) string {
	return norm.NFKC.String(cases.Fold().String(norm.NFKC.String(strings.TrimSpace(s))))
}

// checkText rejects empty and whitespace-only strings and control
// characters in names, terms and handles.
func checkText(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Errorf("must not be empty")
	case strings.ContainsFunc(s, unicode.IsControl):
		return fmt.Errorf("%q contains a control character", truncate(s, 40))
	}
	return nil
}

// validHostname accepts DNS names, internationalised ones included
// ("아크미.kr"), and refuses anything with a scheme, port, path or space.
func validHostname(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 || strings.ContainsAny(h, "/:@?#[]% \t") {
		return false
	}
	a, err := idna.Lookup.ToASCII(h)
	if err != nil || len(a) > 253 {
		return false
	}
	for _, label := range strings.Split(a, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
	}
	return true
}

// checkDomain validates a bare domain name a brand owns.
func checkDomain(d string) error {
	if strings.Contains(d, "://") || strings.ContainsAny(d, "/:") {
		return fmt.Errorf("invalid domain %q: want a bare host name such as \"acme.com\", without scheme, port or path", truncate(d, 60))
	}
	if !validHostname(d) || !strings.Contains(strings.Trim(d, "."), ".") {
		return fmt.Errorf("invalid domain %q: want a host name such as \"acme.com\"", truncate(d, 60))
	}
	return nil
}
