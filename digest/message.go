package digest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/earshot/earshot/config"
)

// NewMessage builds the e-mail: multipart/alternative with a text/plain and
// a text/html part, UTF-8 throughout, the subject encoded (RFC 2047) so that
// Korean displays. The Message-ID is derived from period and recipient, so a
// digest resent after a crash carries the same ID and mail clients can fold
// the duplicate.
func NewMessage(from string, rc config.Recipient, period string, r *Rendered, date time.Time) (*mail.Msg, error) {
	m := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP), mail.WithNoDefaultUserAgent())
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("digest: from %q: %w", from, err)
	}
	if err := m.AddToFormat(rc.Name, rc.Email); err != nil {
		return nil, fmt.Errorf("digest: recipient %q: %w", rc.Email, err)
	}
	m.Subject(r.Subject)
	m.SetDateWithValue(date)
	m.SetMessageIDWithValue(messageID(from, period, rc.Email))
	m.SetGenHeader("X-Earshot-Digest", period)
	m.SetGenHeader(mail.HeaderUserAgent, "Earshot")
	m.SetBodyString(mail.TypeTextPlain, r.Text)
	m.AddAlternativeString(mail.TypeTextHTML, r.HTML)
	return m, nil
}

// messageID is "digest.<period>.<hash of recipient>@<sender domain>".
func messageID(from, period, recipient string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(recipient)))
	domain := "earshot.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		if d := strings.TrimRight(from[i+1:], "> "); d != "" {
			domain = d
		}
	}
	return "digest." + period + "." + hex.EncodeToString(sum[:8]) + "@" + domain
}
