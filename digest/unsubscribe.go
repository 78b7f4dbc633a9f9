package digest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// List is the name unsubscribe tokens and opt-outs carry for the digest.
const List = "digest"

// OptOuts keeps the unsubscribe signing key and the opt-outs;
// *store.Store implements it.
type OptOuts interface {
	DigestSigningKey() ([]byte, error)
	RecordDigestOptOut(o store.DigestOptOut) error
	DigestOptedOut(list, recipient string) (store.DigestOptOut, bool, error)
}

// ErrBadToken is returned for an unsubscribe token that is malformed or
// not signed with this data dir's key.
var ErrBadToken = errors.New("unsubscribe link is not valid")

// tokenContext separates these MACs from any other use of the key.
const tokenContext = "earshot-unsubscribe-v1\x00"

// Token signs list and recipient (lower-cased) with key:
// base64url(list 0x00 recipient) "." base64url(HMAC-SHA256).
func Token(key []byte, list, recipient string) string {
	payload := list + "\x00" + strings.ToLower(recipient)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(tokenMAC(key, payload))
}

func tokenMAC(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(tokenContext + payload))
	return m.Sum(nil)
}

// ParseToken checks token's signature and returns its list and recipient.
func ParseToken(key []byte, token string) (list, recipient string, err error) {
	p, s, ok := strings.Cut(token, ".")
	if !ok || len(token) > 600 {
		return "", "", ErrBadToken
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(s)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, tokenMAC(key, string(payload))) {
		return "", "", ErrBadToken
	}
	list, recipient, ok = strings.Cut(string(payload), "\x00")
	if !ok || list == "" || recipient == "" {
		return "", "", ErrBadToken
	}
	return list, recipient, nil
}

// Unsubscriber answers one-click unsubscribes (the web server's POST
// /unsubscribe): it checks the token and records the opt-out.
type Unsubscriber struct {
	Store OptOuts
	Clock func() time.Time
}

// Check returns the recipient a token unsubscribes, or ErrBadToken.
func (u *Unsubscriber) Check(token string) (string, error) {
	key, err := u.Store.DigestSigningKey()
	if err != nil {
		return "", err
	}
	list, rc, err := ParseToken(key, token)
	if err != nil {
		return "", err
	}
	if list != List {
		return "", ErrBadToken
	}
	return rc, nil
}

// Unsubscribe records the token's recipient as opted out of the digest.
func (u *Unsubscriber) Unsubscribe(_ context.Context, token string) (string, error) {
	rc, err := u.Check(token)
	if err != nil {
		return "", err
	}
	if err := u.Store.RecordDigestOptOut(store.DigestOptOut{List: List, Recipient: rc, At: u.Clock().UTC()}); err != nil {
		return "", err
	}
	return rc, nil
}

// optedOut reports whether rc unsubscribed and the config has not re-added
// them since (resubscribed on or after the opt-out's day, UTC).
func optedOut(s OptOuts, rc config.Recipient) (bool, error) {
	o, ok, err := s.DigestOptedOut(List, rc.Email)
	if err != nil || !ok {
		return false, err
	}
	if rc.Resubscribed.IsZero() {
		return true, nil
	}
	y, m, d := o.At.UTC().Date()
	ry, rm, rd := rc.Resubscribed.Date()
	return time.Date(ry, rm, rd, 0, 0, 0, 0, time.UTC).Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)), nil
}

// unsubscribeHeaders are rc's List-Unsubscribe (RFC 2369: the HTTPS link
// first, then mail to the sender) and List-Unsubscribe-Post (RFC 8058:
// one-click POST) values; without a key only the mailto is given.
func unsubscribeHeaders(key []byte, baseURL, from string, rc config.Recipient) (list, post string) {
	mailto := "<mailto:" + address(from) + "?subject=" + url.QueryEscape("unsubscribe "+rc.Email) + ">"
	link := unsubscribeLink(key, baseURL, rc)
	if link == "" {
		return mailto, ""
	}
	return fmt.Sprintf("<%s>, %s", link, mailto), "List-Unsubscribe=One-Click"
}

// unsubscribeLink is rc's signed one-click link, the one List-Unsubscribe
// carries and the footer shows ("" without a key or base_url). Opening it
// shows a confirmation button; the mail client's POST unsubscribes.
func unsubscribeLink(key []byte, baseURL string, rc config.Recipient) string {
	if key == nil || baseURL == "" {
		return ""
	}
	return strings.TrimRight(baseURL, "/") + "/unsubscribe?t=" + url.QueryEscape(Token(key, List, rc.Email))
}
