package digest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	netmail "net/mail"
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
	// Automatic mail (RFC 3834: no auto-replies) with a way out (RFC 2369):
	// unsubscribing is a reply to the sender, whose admin edits [digest].
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	// The runner adds the signed one-click link (unsubscribe.go).
	list, _ := unsubscribeHeaders(nil, "", from, rc)
	m.SetGenHeader("List-Unsubscribe", list)
	if r.Lang != "" {
		m.SetGenHeader("Content-Language", r.Lang)
	}
	m.SetBodyString(mail.TypeTextPlain, r.Text)
	m.AddAlternativeString(mail.TypeTextHTML, r.HTML)
	for _, im := range r.Images {
		if err := m.EmbedReader(im.CID, bytes.NewReader(im.PNG), mail.WithFileContentID(im.CID),
			mail.WithFileContentType("image/png")); err != nil {
			return nil, fmt.Errorf("digest: embed %s: %w", im.CID, err)
		}
	}
	return m, nil
}

// address is the bare address of from ("Earshot <e@x>" → "e@x").
func address(from string) string {
	if a, err := netmail.ParseAddress(from); err == nil {
		return a.Address
	}
	return from
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
