package cluster

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/earshot/earshot/store"
)

// Ledger is the digest delivery ledger in KV (digest.Ledger), shared by
// every node: the next holder of the digest lease skips what an earlier
// holder recorded.
type Ledger struct{ n *Node }

// Ledger returns the cluster's digest ledger.
func (n *Node) Ledger() Ledger { return Ledger{n} }

const ledgerFirstRun = "first_run"

func ledgerKey(period, recipient string) (string, error) {
	if period == "" || recipient == "" {
		return "", fmt.Errorf("cluster: invalid digest key %q/%q", period, recipient)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return "digest." + enc([]byte(period)) + "." + enc([]byte(strings.ToLower(recipient))), nil
}

func ledgerCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Second)
}

// DigestRecord returns the record of period and recipient.
func (l Ledger) DigestRecord(period, recipient string) (store.DigestRecord, bool, error) {
	var rec store.DigestRecord
	key, err := ledgerKey(period, recipient)
	if err != nil {
		return rec, false, err
	}
	ctx, cancel := ledgerCtx()
	defer cancel()
	rev, err := getJSON(ctx, l.n.kv.ledger, key, "digest record", &rec)
	return rec, rev != 0 && err == nil, err
}

// MarkDigest records r (replicated before it returns).
func (l Ledger) MarkDigest(r store.DigestRecord) error {
	key, err := ledgerKey(r.Period, r.Recipient)
	if err != nil {
		return err
	}
	r.Recipient = strings.ToLower(r.Recipient)
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("cluster: encode digest record: %w", err)
	}
	ctx, cancel := ledgerCtx()
	defer cancel()
	if _, err := l.n.kv.ledger.Put(ctx, key, b); err != nil {
		return fmt.Errorf("cluster: record digest: %w", err)
	}
	return nil
}

// DigestFirstRun returns when digests first ran in the cluster, recording
// now when they never did (the first node's time wins).
func (l Ledger) DigestFirstRun(now time.Time) (time.Time, error) {
	ctx, cancel := ledgerCtx()
	defer cancel()
	val := []byte(now.UTC().Format(time.RFC3339Nano))
	if _, err := l.n.kv.ledger.Create(ctx, ledgerFirstRun, val); err == nil {
		return now, nil
	} else if !errors.Is(err, jetstream.ErrKeyExists) {
		return time.Time{}, fmt.Errorf("cluster: digest first run: %w", err)
	}
	e, err := l.n.kv.ledger.Get(ctx, ledgerFirstRun)
	if err != nil {
		return time.Time{}, fmt.Errorf("cluster: digest first run: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, string(e.Value()))
	if err != nil {
		return now, nil // unreadable: start afresh rather than refuse to schedule
	}
	return t, nil
}
