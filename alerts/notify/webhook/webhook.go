// Package webhook delivers alerts as a signed JSON POST (the Body schema,
// AlertWebhook in web/ui/openapi.json). Headers: Idempotency-Key (the same
// on every retry: receivers deduplicate by it), X-Earshot-Timestamp (Unix
// seconds) and X-Earshot-Signature: "sha256=" + hex HMAC-SHA256 of
// timestamp + "." + body under the channel's secret. A 2xx answer is
// delivered; 408, 425, 429 and 5xx are retried; any other answer is
// permanent.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/earshot/earshot/alerts/notify"
)

// Header names.
const (
	HeaderKey       = "Idempotency-Key"
	HeaderTimestamp = "X-Earshot-Timestamp"
	HeaderSignature = "X-Earshot-Signature"
)

// Body is the JSON a webhook receives.
type Body struct {
	Key     string         `json:"idempotency_key"`
	Lang    string         `json:"lang"`
	Subject string         `json:"subject"`
	Text    string         `json:"text"`
	Rollup  bool           `json:"rollup"`
	Alerts  []notify.Alert `json:"alerts"`
}

// Webhook posts to URL.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client // nil: http.DefaultClient (callers pass one with a timeout)
	UA     string
}

// Sign returns the signature header value for body sent at ts.
func Sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a received signature (constant time).
func Verify(secret []byte, ts, sig string, body []byte) bool {
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(sig))
}

// Deliver posts m.
func (w *Webhook) Deliver(ctx context.Context, m *notify.Message) (string, error) {
	body, err := json.Marshal(Body{Key: m.Key, Lang: m.Lang, Subject: m.Subject, Text: m.Text, Rollup: m.Rollup, Alerts: m.Alerts})
	if err != nil {
		return "", &notify.Error{Err: fmt.Errorf("webhook: encode: %w", err), Permanent: true}
	}
	return post(ctx, w.Client, w.URL, body, func(h http.Header) {
		ts := strconv.FormatInt(m.Sent.Unix(), 10)
		h.Set(HeaderKey, m.Key)
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, Sign(w.Secret, ts, body))
		if w.UA != "" {
			h.Set("User-Agent", w.UA)
		}
	})
}

// post sends a JSON body and classifies the answer; shared in spirit with
// the Slack channel, which has its own copy of these few lines.
func post(ctx context.Context, c *http.Client, url string, body []byte, headers func(http.Header)) (string, error) {
	if c == nil {
		c = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", &notify.Error{Err: fmt.Errorf("webhook: %w", err), Permanent: true}
	}
	req.Header.Set("Content-Type", "application/json")
	headers(req.Header)
	resp, err := c.Do(req)
	if err != nil {
		return "", &notify.Error{Err: fmt.Errorf("webhook: %w", err)}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return Classify(resp.StatusCode, "webhook")
}

// Classify turns an HTTP status into a delivery result.
func Classify(code int, who string) (string, error) {
	switch {
	case code >= 200 && code < 300:
		return "", nil
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly, code == http.StatusTooManyRequests, code >= 500:
		return "", &notify.Error{Err: fmt.Errorf("%s: HTTP %d", who, code)}
	default:
		return "", &notify.Error{Err: fmt.Errorf("%s: HTTP %d", who, code), Permanent: true}
	}
}
