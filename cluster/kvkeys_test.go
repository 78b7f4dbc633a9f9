package cluster

import (
	"context"
	"errors"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
)

// stuckKV is a bucket whose Keys waits until release, whatever its context
// says (what jetstream's Keys did while its node was closed).
type stuckKV struct {
	jetstream.KeyValue
	release chan struct{}
}

func (s stuckKV) Keys(context.Context, ...jetstream.WatchOpt) ([]string, error) {
	<-s.release
	return []string{"n1"}, nil
}

// kvKeys returns with its context even when Keys does not, and returns
// Keys' answer when that comes first.
func TestKVKeysEndsWithContext(t *testing.T) {
	kv := stuckKV{release: make(chan struct{})}
	defer close(kv.release)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := kvKeys(ctx, kv); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	free := stuckKV{release: make(chan struct{})}
	close(free.release)
	if keys, err := kvKeys(context.Background(), free); err != nil || len(keys) != 1 || keys[0] != "n1" {
		t.Fatalf("keys %v, %v; want [n1]", keys, err)
	}
}
