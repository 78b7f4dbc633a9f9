package config

import (
	"fmt"
	"net"
	"net/mail"
	"slices"
	"strings"
	"text/template"
	"unicode"
)

// Digest TLS modes.
const (
	DigestTLSStartTLS = "starttls" // plain connection upgraded with STARTTLS (required)
	DigestTLSImplicit = "tls"      // TLS from the first byte (SMTPS, port 465)
	DigestTLSNone     = "none"     // no TLS: loopback relays only
)

// Digest defaults.
const (
	DefaultDigestSchedule = "0 9 * * MON"
	DefaultDigestSubject  = "{{.Brand}} weekly digest {{.Week}} ({{.From}} – {{.To}})"
	DefaultDigestFrom     = "Earshot <earshot@localhost>"
)

// DigestSubjectKeys are the fields a subject template may use, such as
// {{.Week}}: the digest package fills exactly these.
var DigestSubjectKeys = []string{
	"Week",      // ISO week of the report, "2026-W47"
	"From",      // first day of the week, "2026-11-16"
	"To",        // last day of the week, "2026-11-22"
	"Brand",     // the own brand's name
	"Name",      // the recipient's name ("" when none)
	"Email",     // the recipient's address
	"Headline",  // the report's one-line summary
	"Mentions",  // mentions of the week (in the recipient's view)
	"Sentiment", // the own brand's net sentiment change, signed text
}

var digestTLSModes = []string{DigestTLSStartTLS, DigestTLSImplicit, DigestTLSNone}

// Digest is the [digest] section: the weekly competitor digest e-mail. With
// no recipients no digest is scheduled (preview still works). Without
// smtp_host digests are written as .eml files to data_dir/outbox instead of
// being sent.
type Digest struct {
	// Schedule is a 5-field cron spec ("0 9 * * MON") or @weekly/@daily/
	// @monthly, read in earshot.timezone. Default "0 9 * * MON".
	Schedule string `toml:"schedule"`
	// Recipients are addresses: "kim@acme.example" or "Kim <kim@acme.example>".
	Recipients []string `toml:"recipients"`
	// Recipient are [[digest.recipient]] tables, for recipients with filters.
	Recipient []Recipient `toml:"recipient"`
	From      string      `toml:"from"`    // sender address; required with smtp_host
	Subject   string      `toml:"subject"` // text/template over DigestSubjectKeys
	SMTPHost  string      `toml:"smtp_host"`
	SMTPPort  int         `toml:"smtp_port"` // default 587 (starttls), 465 (tls), 25 (none)
	Username  string      `toml:"username"`
	// PasswordEnv names the environment variable holding the SMTP password.
	PasswordEnv string `toml:"password_env"`
	TLS         string `toml:"tls"`      // starttls (default) | tls | none (loopback hosts only)
	BaseURL     string `toml:"base_url"` // for links back to the web report; default "http://" + listen

	// To is every recipient, strings and tables together, validated and
	// with brand names canonicalised (set by Load).
	To       []Recipient `toml:"-"`
	Password string      `toml:"-"` // resolved from PasswordEnv
}

// Recipient is one digest recipient. Brands and Networks, when set, narrow
// the digest to those brands (the own brand is always kept for comparison)
// and networks.
type Recipient struct {
	Email    string   `toml:"email"`
	Name     string   `toml:"name"`
	Brands   []string `toml:"brands"`
	Networks []string `toml:"networks"`
	// Lang is the language of the whole digest: "en" (default) or "ko".
	Lang string `toml:"lang"`
	// Resubscribed ("2026-12-05") re-adds a recipient who unsubscribed
	// with the one-click link on or before that day (UTC;
	// docs/digest.md#unsubscribing).
	Resubscribed Date `toml:"resubscribed"`
}

// Address formats the recipient as an RFC 5322 address.
func (r Recipient) Address() string {
	return (&mail.Address{Name: r.Name, Address: r.Email}).String()
}

// Enabled reports whether digests are scheduled: someone receives them.
func (d Digest) Enabled() bool { return len(d.To) > 0 }

// digest validates the [digest] section and fills its defaults. It runs after
// the [earshot] and [[brand]] sections (base_url defaults to the listen
// address; filters name brands).
func (v *validator) digest(d *Digest, e Earshot, brands []Brand) {
	c := v.c
	if d.Schedule == "" && !c.failed("digest.schedule") {
		d.Schedule = DefaultDigestSchedule
	} else if !c.failed("digest.schedule") {
		if col, err := CheckCronSpec(d.Schedule); err != nil {
			c.add("digest.schedule", c.ix.inString("digest.schedule", col), "invalid schedule %q: %v", truncate(d.Schedule, 60), err)
		}
	}

	seen := map[string]string{}
	add := func(r Recipient, path string) {
		email := strings.ToLower(r.Email)
		if first, dup := seen[email]; dup {
			c.at(path, "recipient %q is listed twice (first at line %d)", r.Email, c.ix.lookup(first).line)
			return
		}
		seen[email] = path
		d.To = append(d.To, r)
	}
	for i, s := range d.Recipients {
		p := indexKey("digest.recipients", i)
		a, err := parseAddress(s)
		if err != nil {
			c.at(p, "%v", err)
			continue
		}
		add(Recipient{Email: a.Address, Name: a.Name, Lang: "en"}, p)
	}
	for i := range d.Recipient {
		r := d.Recipient[i]
		rp := indexKey("digest.recipient", i)
		ok := true
		switch {
		case c.failed(rp + ".email"):
			ok = false
		case strings.TrimSpace(r.Email) == "":
			c.at(rp, "a recipient needs email")
			ok = false
		default:
			a, err := parseAddress(r.Email)
			if err != nil {
				c.at(rp+".email", "%v", err)
				ok = false
			} else {
				r.Email = a.Address
				if r.Name == "" {
					r.Name = a.Name
				}
			}
		}
		if strings.ContainsFunc(r.Name, unicode.IsControl) {
			c.at(rp+".name", "name contains a control character")
			ok = false
		}
		r.Brands = slices.Clone(r.Brands)
		for j, b := range r.Brands {
			found := false
			for _, br := range brands {
				if fold(br.Name) == fold(b) {
					r.Brands[j], found = br.Name, true
				}
			}
			if !found {
				c.at(indexKey(rp+".brands", j), "unknown brand %q", truncate(b, 40))
				ok = false
			}
		}
		switch r.Lang {
		case "":
			r.Lang = "en"
		case "en", "ko":
		default:
			c.at(rp+".lang", "unknown language %q: want en or ko", truncate(r.Lang, 40))
			ok = false
		}
		for j, n := range r.Networks {
			if !slices.Contains(NetworkNames(), n) {
				c.at(indexKey(rp+".networks", j), "unknown network %q: want one of %s", truncate(n, 40), strings.Join(NetworkNames(), ", "))
				ok = false
			}
		}
		if ok {
			add(r, rp)
		}
	}

	if d.Subject == "" {
		d.Subject = DefaultDigestSubject
	} else if !c.failed("digest.subject") {
		if err := checkSubject(d.Subject); err != nil {
			c.at("digest.subject", "invalid subject template: %v", err)
		}
	}

	v.digestSMTP(d)

	if d.BaseURL == "" {
		d.BaseURL = "http://" + e.Listen
	} else if err := checkURL(d.BaseURL); err != nil && !c.failed("digest.base_url") {
		c.at("digest.base_url", "%v", err)
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
}

// digestSMTP checks the delivery keys.
func (v *validator) digestSMTP(d *Digest) {
	c := v.c
	if d.TLS == "" {
		d.TLS = DigestTLSStartTLS
	} else if !slices.Contains(digestTLSModes, d.TLS) {
		c.at("digest.tls", "unknown tls mode %q: want one of %s", truncate(d.TLS, 20), strings.Join(digestTLSModes, ", "))
	}
	if d.From == "" {
		if d.SMTPHost != "" && !c.failed("digest.from") {
			c.at("digest", "digest needs from: the sender address, when smtp_host is set")
		}
		d.From = DefaultDigestFrom
	} else if _, err := parseAddress(d.From); err != nil {
		c.at("digest.from", "%v", err)
	}
	if d.SMTPHost == "" {
		for _, k := range []string{"smtp_port", "username", "password_env"} {
			if c.ix.has("digest." + k) {
				c.at("digest."+k, "%s needs smtp_host", k)
			}
		}
		return
	}
	if !validHostname(d.SMTPHost) && net.ParseIP(d.SMTPHost) == nil {
		c.at("digest.smtp_host", "invalid smtp_host %q: want a host name or IP address, without port", truncate(d.SMTPHost, 60))
	} else if d.TLS == DigestTLSNone && !isLoopbackHost(d.SMTPHost) {
		c.at("digest.tls", "tls = \"none\" is allowed only for a relay on this machine (localhost, 127.0.0.1, ::1), not %q: use \"starttls\" or \"tls\"", d.SMTPHost)
	}
	switch {
	case c.failed("digest.smtp_port"):
	case d.SMTPPort == 0 && !c.ix.has("digest.smtp_port"):
		d.SMTPPort = map[string]int{DigestTLSStartTLS: 587, DigestTLSImplicit: 465, DigestTLSNone: 25}[d.TLS]
	case d.SMTPPort < 1 || d.SMTPPort > 65535:
		c.at("digest.smtp_port", "smtp_port %d must be from 1 to 65535", d.SMTPPort)
	}
	if strings.ContainsFunc(d.Username, unicode.IsControl) {
		c.at("digest.username", "username contains a control character")
	}
	switch {
	case d.Username != "" && d.PasswordEnv == "" && !c.failed("digest.password_env"):
		c.at("digest.username", "username needs password_env: the name of an environment variable holding the SMTP password")
	case d.PasswordEnv != "" && d.Username == "" && !c.failed("digest.username"):
		c.at("digest.password_env", "password_env needs username")
	case d.PasswordEnv == "":
	case !validEnvName(d.PasswordEnv):
		c.at("digest.password_env", "invalid environment variable name %q: want letters, digits and _", truncate(d.PasswordEnv, 40))
	default:
		if d.Password = v.getenv(d.PasswordEnv); strings.TrimSpace(d.Password) == "" {
			d.Password = ""
			c.at("digest.password_env", "missing secret: environment variable %s named by password_env is not set", d.PasswordEnv)
		}
	}
}

// parseAddress accepts "user@example.com" or "Name <user@example.com>".
func parseAddress(s string) (*mail.Address, error) {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return nil, fmt.Errorf("invalid address %q: contains a control character", truncate(s, 60))
	}
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("invalid address %q: want \"user@example.com\" or \"Name <user@example.com>\"", truncate(s, 60))
	}
	if _, domain, _ := strings.Cut(a.Address, "@"); !validHostname(domain) {
		return nil, fmt.Errorf("invalid address %q: bad domain %q", truncate(s, 60), truncate(domain, 40))
	}
	return a, nil
}

func isLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// checkSubject parses the subject template and runs it over sample values,
// so that a misspelt field ({{.Wek}}) fails here rather than on Monday.
func checkSubject(s string) error {
	t, err := template.New("subject").Option("missingkey=error").Parse(s)
	if err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: subject:"))
	}
	sample := map[string]any{}
	for _, k := range DigestSubjectKeys {
		sample[k] = "x"
	}
	var b strings.Builder
	if err := t.Execute(&b, sample); err != nil {
		msg := err.Error()
		if i := strings.Index(msg, `map has no entry for key "`); i >= 0 {
			key, _, _ := strings.Cut(msg[i+len(`map has no entry for key "`):], `"`)
			return fmt.Errorf("unknown field .%s: want one of .%s", truncate(key, 30), strings.Join(DigestSubjectKeys, ", ."))
		}
		return fmt.Errorf("%s", strings.TrimPrefix(msg, "template: subject:"))
	}
	return nil
}
