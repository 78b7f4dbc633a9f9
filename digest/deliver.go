package digest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"syscall"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/earshot/earshot/config"
)

// Mailer delivers one message. It returns where the message went (a file
// for the outbox, "" for SMTP) and an error that IsPermanent classifies.
type Mailer interface {
	Deliver(ctx context.Context, m *mail.Msg, period, recipient string) (file string, err error)
}

// SMTPOptions configure SMTP delivery; SMTPOptionsFrom fills them from the
// config.
type SMTPOptions struct {
	Host     string
	Port     int
	TLS      string // config.DigestTLS*: starttls | tls | none
	Username string // empty: no AUTH
	Password string
	// TLSConfig overrides the default (system roots, ServerName = Host);
	// tests pass their own CA.
	TLSConfig *tls.Config
	Timeout   time.Duration // per connection; default 30s
}

// SMTPOptionsFrom returns the delivery options of a validated [digest]
// section.
func SMTPOptionsFrom(d config.Digest) SMTPOptions {
	return SMTPOptions{Host: d.SMTPHost, Port: d.SMTPPort, TLS: d.TLS, Username: d.Username, Password: d.Password}
}

// SMTP sends through an SMTP server with go-mail: one connection per
// message (a digest goes out once a week; no pool to keep healthy).
type SMTP struct {
	opts []mail.Option
	host string
}

// NewSMTP validates o and prepares a client configuration.
func NewSMTP(o SMTPOptions) (*SMTP, error) {
	if o.Host == "" {
		return nil, errors.New("digest: smtp: no host")
	}
	if o.Port < 1 || o.Port > 65535 {
		return nil, fmt.Errorf("digest: smtp: invalid port %d", o.Port)
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	tc := o.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: o.Host, MinVersion: tls.VersionTLS12}
	}
	opts := []mail.Option{mail.WithPort(o.Port), mail.WithTimeout(o.Timeout), mail.WithTLSConfig(tc)}
	encrypted := true
	switch o.TLS {
	case config.DigestTLSStartTLS, "":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case config.DigestTLSImplicit:
		opts = append(opts, mail.WithSSL())
	case config.DigestTLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		encrypted = false
	default:
		return nil, fmt.Errorf("digest: smtp: unknown tls mode %q", o.TLS)
	}
	if o.Username != "" {
		// Strongest mechanism the server offers; PLAIN and LOGIN only over
		// TLS, or on a loopback relay when tls = "none".
		prefer := []mail.SMTPAuthType{mail.SMTPAuthSCRAMSHA256, mail.SMTPAuthSCRAMSHA1, mail.SMTPAuthCramMD5}
		if encrypted {
			prefer = append(prefer, mail.SMTPAuthPlain, mail.SMTPAuthLogin)
		} else {
			prefer = append(prefer, mail.SMTPAuthPlainNoEnc, mail.SMTPAuthLoginNoEnc)
		}
		opts = append(opts, mail.WithOpportunisticSMTPAuth(prefer...),
			mail.WithUsername(o.Username), mail.WithPassword(o.Password))
	}
	return &SMTP{opts: opts, host: o.Host}, nil
}

// Deliver sends m. Errors are wrapped in *DeliveryError.
func (s *SMTP) Deliver(ctx context.Context, m *mail.Msg, _, _ string) (string, error) {
	c, err := mail.NewClient(s.host, s.opts...)
	if err != nil {
		return "", &DeliveryError{Err: fmt.Errorf("smtp client: %w", err), Permanent: true}
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return "", classify(err)
	}
	return "", nil
}

// DeliveryError is a failed delivery: Permanent when retrying cannot help
// (a 5xx reply, a rejected login, a certificate that does not verify).
type DeliveryError struct {
	Err       error
	Permanent bool
	Code      int // SMTP reply code when known
}

func (e *DeliveryError) Error() string { return e.Err.Error() }
func (e *DeliveryError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a delivery failure not worth retrying.
func IsPermanent(err error) bool {
	var de *DeliveryError
	return errors.As(err, &de) && de.Permanent
}

// classify wraps an SMTP error as temporary (4xx replies, network
// failures, dropped connections) or permanent (5xx, TLS verification).
func classify(err error) *DeliveryError {
	de := &DeliveryError{Err: err}
	var se *mail.SendError
	var te *textproto.Error
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
	case errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr):
		de.Permanent = true
	case errors.As(err, &te):
		de.Code = te.Code
		de.Permanent = te.Code >= 500
	case errors.As(err, &se) && se.ErrorCode() != 0:
		de.Code = se.ErrorCode()
		de.Permanent = !se.IsTemp() && se.ErrorCode() >= 500
	case isNetwork(err):
	default:
		// Anything else said by the server ("5.7.0 ...") or go-mail about
		// the server's abilities (no STARTTLS, no AUTH) will not change by
		// retrying; unknown errors are retried (bounded by the runner).
		msg := err.Error()
		switch {
		case strings.Contains(msg, "does not support"), strings.Contains(msg, "not supported"):
			de.Permanent = true
		case code(msg) >= 500:
			de.Code, de.Permanent = code(msg), true
		case code(msg) >= 400:
			de.Code = code(msg)
		}
	}
	return de
}

func isNetwork(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed)
}

// code finds a three-digit SMTP reply code at the start of msg or after
// ": " (go-mail prefixes its own context).
func code(msg string) int {
	for _, part := range append([]string{msg}, strings.Split(msg, ": ")...) {
		if len(part) >= 3 && part[0] >= '2' && part[0] <= '5' && part[1] >= '0' && part[1] <= '9' && part[2] >= '0' && part[2] <= '9' &&
			(len(part) == 3 || part[3] == ' ' || part[3] == '-') {
			return int(part[0]-'0')*100 + int(part[1]-'0')*10 + int(part[2]-'0')
		}
	}
	return 0
}
