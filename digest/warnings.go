package digest

import (
	"net"
	"net/url"
	"strings"

	"github.com/earshot/earshot/config"
)

// Warnings are configuration mistakes `earshot check` reports without
// failing: with smtp_host set, a base_url on a loopback address makes
// every link in the mail dead for its readers.
func Warnings(cfg *config.Config) []string {
	d := cfg.Digest
	if d.SMTPHost == "" || !d.Enabled() {
		return nil
	}
	u, err := url.Parse(d.BaseURL)
	if err != nil {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	ip := net.ParseIP(host)
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || (ip != nil && (ip.IsLoopback() || ip.IsUnspecified())) {
		return []string{"digest.base_url " + d.BaseURL + " points at this machine, but digests are mailed (smtp_host is set): " +
			"links in the e-mail will not open for recipients; set base_url to the address they reach Earshot at"}
	}
	return nil
}
