package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Defaults of the [earshot] section.
const (
	DefaultDataDir  = "./earshot-data"
	DefaultListen   = "127.0.0.1:8089"
	DefaultTimezone = "UTC"
	DefaultLogLevel = "info"
	// Log formats (log_format).
	LogFormatAuto    = "auto"
	LogFormatJSON    = "json"
	LogFormatConsole = "console"
	// MinRetention is the shortest retention allowed (0 = keep forever).
	MinRetention = 24 * time.Hour
)

var (
	logLevels  = []string{"debug", "info", "warn", "error"}
	logFormats = []string{LogFormatAuto, LogFormatJSON, LogFormatConsole}
)

// earshot validates the [earshot] section, fills defaults and resolves the
// time zone and the API token.
func (v *validator) earshot(e *Earshot) {
	c := v.c
	if e.DataDir == "" {
		e.DataDir = DefaultDataDir
	} else if strings.ContainsFunc(e.DataDir, unicode.IsControl) {
		c.at("earshot.data_dir", "path contains a control character")
	}

	if e.LogLevel == "" {
		e.LogLevel = DefaultLogLevel
	} else if !slices.Contains(logLevels, e.LogLevel) {
		c.at("earshot.log_level", "invalid log level %q: want one of %s", truncate(e.LogLevel, 40), strings.Join(logLevels, ", "))
	}

	if e.LogFormat == "" {
		e.LogFormat = LogFormatAuto
	} else if !slices.Contains(logFormats, e.LogFormat) {
		c.at("earshot.log_format", "invalid log format %q: want one of %s", truncate(e.LogFormat, 40), strings.Join(logFormats, ", "))
	}

	if e.Timezone == "" {
		e.Timezone = DefaultTimezone
	}
	if loc, err := loadLocation(e.Timezone); err != nil {
		c.at("earshot.timezone", "%v", err)
	} else {
		e.Location = loc
	}

	if e.Contact != "" {
		if err := checkContact(e.Contact); err != nil {
			c.at("earshot.contact", "%v", err)
		}
	}

	if e.APITokenEnv != "" {
		switch {
		case !validEnvName(e.APITokenEnv):
			c.at("earshot.api_token_env", "invalid environment variable name %q: want letters, digits and _ (such as \"EARSHOT_API_TOKEN\")", truncate(e.APITokenEnv, 40))
		default:
			tok := strings.TrimSpace(v.getenv(e.APITokenEnv))
			if tok == "" {
				c.at("earshot.api_token_env", "missing secret: environment variable %s named by api_token_env is not set", e.APITokenEnv)
			} else if err := CheckToken(tok); err != nil {
				c.at("earshot.api_token_env", "environment variable %s: %v", e.APITokenEnv, err)
			} else {
				e.APIToken = tok
			}
		}
	}

	if e.Retention != 0 && e.Retention.Std() < MinRetention {
		c.at("earshot.retention", "retention %s is under the minimum of 1d: mentions are kept for at least a day (leave retention out to keep them forever)", fmtDuration(e.Retention.Std()))
	}

	v.checkAllowedHosts(e.AllowedHosts)
	v.checkTrustedProxies(e.TrustedProxies)

	listenSet := e.Listen != ""
	if !listenSet {
		e.Listen = DefaultListen
	}
	loopback, err := checkListen(e.Listen)
	switch {
	case err != nil:
		c.at("earshot.listen", "%v", err)
	case !loopback && e.APITokenEnv == "" && !c.failed("earshot.api_token_env"):
		c.at("earshot.listen", "listening on %q exposes the API beyond this machine: set api_token_env "+
			"to the name of an environment variable holding the API token, or listen on 127.0.0.1", e.Listen)
	}
}

// loadLocation resolves an IANA time zone name; "Local" is refused because
// it would make reports depend on the host's settings.
func loadLocation(name string) (*time.Location, error) {
	if name == "Local" || strings.ContainsFunc(name, unicode.IsControl) {
		return nil, fmt.Errorf("invalid time zone %q: want an IANA name such as \"Asia/Seoul\" or \"UTC\"", truncate(name, 40))
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: want an IANA name such as \"Asia/Seoul\" or \"UTC\"", truncate(name, 40))
	}
	return loc, nil
}

// checkListen validates a host:port address and reports whether it only
// accepts connections from this machine.
func checkListen(addr string) (loopback bool, err error) {
	bad := fmt.Errorf("invalid listen address %q: want host:port such as \"127.0.0.1:8089\"", truncate(addr, 60))
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false, bad
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return false, fmt.Errorf("invalid listen address %q: port must be a number from 0 (any free port) to 65535", truncate(addr, 60))
	}
	switch {
	case host == "":
		return false, nil // all interfaces
	case strings.EqualFold(host, "localhost"):
		return true, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback(), nil
	}
	if !validHostname(host) {
		return false, bad
	}
	return false, nil
}

// checkContact accepts an absolute http(s) URL or an e-mail address; it ends
// up in a User-Agent header, so control characters are refused.
func checkContact(s string) error {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return fmt.Errorf("contact contains a control character")
	}
	if strings.Contains(s, "://") {
		return checkURL(s)
	}
	local, domain, ok := strings.Cut(strings.TrimPrefix(s, "mailto:"), "@")
	if !ok || local == "" || strings.ContainsAny(s, " <>\"") || !validHostname(domain) {
		return fmt.Errorf("invalid contact %q: want a URL (https://...) or an e-mail address", truncate(s, 60))
	}
	return nil
}

func validEnvName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// checkURL requires an absolute http or https URL with a host and no
// credentials.
func checkURL(s string) error {
	if strings.ContainsFunc(s, unicode.IsSpace) || strings.ContainsFunc(s, unicode.IsControl) {
		return fmt.Errorf("invalid URL %q: contains a space or control character", truncate(s, 80))
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("invalid URL %q", truncate(s, 80))
	}
	if sc := strings.ToLower(u.Scheme); sc != "http" && sc != "https" {
		return fmt.Errorf("invalid URL %q: want an absolute http:// or https:// URL", truncate(s, 80))
	}
	if u.Hostname() == "" {
		return fmt.Errorf("invalid URL %q: no host", truncate(s, 80))
	}
	if u.User != nil {
		return fmt.Errorf("invalid URL %q: credentials are never allowed in the file", truncate(u.Redacted(), 80))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("invalid URL %q: bad port", truncate(s, 80))
		}
	}
	return nil
}
