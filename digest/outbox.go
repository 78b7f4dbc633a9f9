package digest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wneessen/go-mail"
)

// OutboxDir is where digests go without SMTP: data_dir/outbox.
func OutboxDir(dataDir string) string { return filepath.Join(dataDir, "outbox") }

// Outbox writes each message as an .eml file (RFC 5322, openable by any
// mail client) named after period and recipient, so writing the same digest
// again replaces the file instead of adding a copy. Files are written to a
// temporary name, synced and renamed: a crash never leaves half a message.
type Outbox struct {
	Dir string
}

// Deliver writes m to Dir/<period>-<recipient>.eml.
func (o *Outbox) Deliver(_ context.Context, m *mail.Msg, period, recipient string) (string, error) {
	if err := os.MkdirAll(o.Dir, 0o750); err != nil {
		return "", &DeliveryError{Err: fmt.Errorf("outbox: %w", err), Permanent: true}
	}
	name := filepath.Join(o.Dir, fileName(period, recipient)+".eml")
	tmp, err := os.CreateTemp(o.Dir, ".digest-*.tmp")
	if err != nil {
		return "", &DeliveryError{Err: fmt.Errorf("outbox: %w", err), Permanent: true}
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := m.WriteTo(tmp); err != nil {
		tmp.Close()
		return "", &DeliveryError{Err: fmt.Errorf("outbox: write %s: %w", name, err)}
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", &DeliveryError{Err: fmt.Errorf("outbox: sync %s: %w", name, err)}
	}
	if err := tmp.Close(); err != nil {
		return "", &DeliveryError{Err: fmt.Errorf("outbox: %w", err)}
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return "", &DeliveryError{Err: fmt.Errorf("outbox: %w", err)}
	}
	return name, nil
}

// fileName makes period and address safe as a file name on any system.
func fileName(period, recipient string) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '@', r == '_', r == '+':
				return r
			}
			return '_'
		}, s)
	}
	name := clean(period) + "-" + clean(strings.ToLower(recipient))
	name = strings.TrimLeft(name, ".")
	if len(name) > 180 {
		name = name[:180]
	}
	return name
}
