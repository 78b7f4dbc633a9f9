package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// getJSON reads key's JSON value from kv into v and returns its revision:
// 0, v untouched, when the key is missing or deleted. what names the value
// in errors.
func getJSON(ctx context.Context, kv jetstream.KeyValue, key, what string, v any) (uint64, error) {
	e, err := kv.Get(ctx, key)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("cluster: read %s: %w", what, err)
	}
	if err := json.Unmarshal(e.Value(), v); err != nil {
		return 0, fmt.Errorf("cluster: decode %s: %w", what, err)
	}
	return e.Revision(), nil
}

// updateJSON applies f to key's JSON value by compare-and-set, reading
// again and retrying when another writer won the race. f gets the value
// as read (fresh, from zero, on every attempt) and returns whether to write
// it; an error from f ends the update unwritten and is returned as is.
func updateJSON[T any](ctx context.Context, kv jetstream.KeyValue, key, what string, f func(*T) (bool, error)) error {
	for {
		var v T
		rev, err := getJSON(ctx, kv, key, what, &v)
		if err != nil {
			return err
		}
		write, err := f(&v)
		if err != nil || !write {
			return err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("cluster: encode %s: %w", what, err)
		}
		if rev == 0 {
			_, err = kv.Create(ctx, key, b)
		} else {
			_, err = kv.Update(ctx, key, b, rev)
		}
		switch {
		case err == nil:
			return nil
		case errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch):
			continue // another writer: read again
		default:
			return fmt.Errorf("cluster: write %s: %w", what, err)
		}
	}
}
