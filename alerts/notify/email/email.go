// Package email delivers alerts by e-mail through the digest's mailer
// (digest.SMTP with the [digest] SMTP settings, or digest.Outbox writing
// .eml files to data_dir/outbox when no smtp_host is set). The Message-ID
// is derived from the idempotency key, so a copy resent after a crash
// carries the same ID and mail clients fold it; the outbox file name is the
// key, so a resend replaces the file.
package email

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/wneessen/go-mail"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/digest"
)

// Email sends to To from From through Mailer.
type Email struct {
	From   string
	To     []string
	Mailer digest.Mailer
}

// Deliver sends m to every recipient (one message each); the first error
// stops, and the retry sends to all again with the same Message-ID.
func (e *Email) Deliver(ctx context.Context, m *notify.Message) (string, error) {
	var where []string
	for _, to := range e.To {
		msg := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP), mail.WithNoDefaultUserAgent())
		if err := msg.From(e.From); err != nil {
			return "", &notify.Error{Err: fmt.Errorf("email: from %q: %w", e.From, err), Permanent: true}
		}
		if err := msg.To(to); err != nil {
			return "", &notify.Error{Err: fmt.Errorf("email: to %q: %w", to, err), Permanent: true}
		}
		msg.Subject(m.Subject)
		msg.SetDateWithValue(m.Sent)
		msg.SetMessageIDWithValue(messageID(m.Key, e.From))
		msg.SetGenHeader("X-Earshot-Alert", m.Key)
		msg.SetBodyString(mail.TypeTextPlain, m.Text)
		file, err := e.Mailer.Deliver(ctx, msg, "alert-"+m.Key, to)
		if err != nil {
			return "", &notify.Error{Err: fmt.Errorf("email to %s: %w", to, err), Permanent: digest.IsPermanent(err)}
		}
		if file != "" {
			where = append(where, file)
		}
	}
	return strings.Join(where, ", "), nil
}

// messageID is "alert.<hash of key>@<sender domain>".
func messageID(key, from string) string {
	sum := sha256.Sum256([]byte(key))
	domain := "localhost"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = strings.Trim(from[i+1:], "> ")
	}
	return "alert." + hex.EncodeToString(sum[:12]) + "@" + domain
}
