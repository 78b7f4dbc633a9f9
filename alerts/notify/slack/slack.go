// Package slack delivers alerts to a Slack incoming webhook as Block Kit
// blocks: a header with the subject, a section with the finding and its
// numbers, one with the top posts and a context line with the links.
// Slack answers 200 "ok"; 429 and 5xx are retried, any other answer is
// permanent (a revoked webhook answers 403 or 404).
package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/earshot/earshot/alerts/notify"
	"github.com/earshot/earshot/alerts/notify/webhook"
)

// Slack posts to an incoming-webhook URL.
type Slack struct {
	URL    string
	Client *http.Client
}

type text struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type block struct {
	Type     string `json:"type"`
	Text     *text  `json:"text,omitempty"`
	Elements []text `json:"elements,omitempty"`
}

// Payload is what Slack receives.
type Payload struct {
	Text   string  `json:"text"` // the notification's fallback
	Blocks []block `json:"blocks"`
}

// Build makes the payload for m.
func Build(m *notify.Message) Payload {
	p := Payload{Text: m.Subject}
	p.Blocks = append(p.Blocks, block{Type: "header", Text: &text{Type: "plain_text", Text: cut(m.Subject, 150)}})
	p.Blocks = append(p.Blocks, block{Type: "section", Text: &text{Type: "mrkdwn", Text: cut(escape(m.Text), 2900)}})
	var links []string
	for _, l := range m.Links {
		links = append(links, "<"+l.URL+"|"+escape(l.Label)+">")
	}
	if len(links) > 0 {
		p.Blocks = append(p.Blocks, block{Type: "context", Elements: []text{{Type: "mrkdwn", Text: cut(strings.Join(links, " · "), 2900)}}})
	}
	return p
}

// Deliver posts m.
func (s *Slack) Deliver(ctx context.Context, m *notify.Message) (string, error) {
	body, err := json.Marshal(Build(m))
	if err != nil {
		return "", &notify.Error{Err: fmt.Errorf("slack: encode: %w", err), Permanent: true}
	}
	c := s.Client
	if c == nil {
		c = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return "", &notify.Error{Err: fmt.Errorf("slack: %w", err), Permanent: true}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return "", &notify.Error{Err: fmt.Errorf("slack: %w", err)}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return webhook.Classify(resp.StatusCode, "slack")
}

// escape makes text safe in mrkdwn (Slack's three control characters).
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
