package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/earshot/earshot/store"
)

// LocalStore is what the cluster needs of this node's store: the
// idempotent commit (by mention id) and lookups.
type LocalStore interface {
	Commit(source string, ms []store.Mention, cursor []byte) (store.CommitResult, error)
	Get(id string) (store.Mention, bool, error)
}

// Sink is the scheduler's sink in a cluster (listener/ingest.Sink): cursors
// in KV, mentions to the stream. Get reads the local store.
type Sink struct {
	n     *Node
	local LocalStore
	mu    sync.Mutex
	revs  map[string]uint64 // source → cursor revision last read (0 = none)
	done  map[string]bool   // sources whose coverage this sink published and committed
	// Timeout bounds one Commit (publish and acks, then the cursor).
	Timeout time.Duration
}

// Sink returns the sink that publishes through n; local answers Get.
func (n *Node) Sink(local LocalStore) *Sink {
	return &Sink{n: n, local: local, revs: map[string]uint64{}, done: map[string]bool{}, Timeout: 30 * time.Second}
}

func cursorKey(source string) string { return LeaseKey(KindSource, source) }

// Cursor returns the source's cursor from KV (nil when none) and remembers
// its revision for Commit's compare-and-set.
func (s *Sink) Cursor(source string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
	defer cancel()
	e, err := s.n.kv.cursors.Get(ctx, cursorKey(source))
	var rev uint64
	var val []byte
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted):
	case err != nil:
		return nil, fmt.Errorf("cluster: read cursor of %s: %w", source, err)
	default:
		rev, val = e.Revision(), e.Value()
	}
	s.mu.Lock()
	s.revs[source] = rev
	s.mu.Unlock()
	return val, nil
}

// Commit publishes ms to the stream (Nats-Msg-Id = mention id) and waits
// for every ack; only then, when cursor is not nil, it advances the
// source's cursor by compare-and-set on the revision Cursor read. Added
// counts the mentions the stream took as new, Duplicates the ones it had.
func (s *Sink) Commit(source string, ms []store.Mention, cursor []byte) (store.CommitResult, error) {
	var res store.CommitResult
	ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
	defer cancel()
	acks, err := s.n.publish(ctx, ms)
	if err != nil {
		return res, err
	}
	for _, a := range acks {
		if a.Duplicate {
			res.Duplicates++
		} else {
			res.Added++
		}
	}
	if cursor == nil {
		return res, nil
	}
	s.mu.Lock()
	rev, ok := s.revs[source]
	s.mu.Unlock()
	if !ok {
		return res, fmt.Errorf("cluster: commit of %s without a cursor read first", source)
	}
	var nrev uint64
	if rev == 0 {
		nrev, err = s.n.kv.cursors.Create(ctx, cursorKey(source), cursor)
	} else {
		nrev, err = s.n.kv.cursors.Update(ctx, cursorKey(source), cursor, rev)
	}
	if errors.Is(err, jetstream.ErrKeyRevisionMismatch) || errors.Is(err, jetstream.ErrKeyExists) {
		return res, fmt.Errorf("cluster: cursor of %s was moved by another node (lease taken over); mentions kept, cursor not advanced: %w", source, err)
	}
	if err != nil {
		return res, fmt.Errorf("cluster: advance cursor of %s: %w", source, err)
	}
	s.mu.Lock()
	s.revs[source] = nrev
	s.mu.Unlock()
	return res, nil
}

// pollSink is a local store that records what a poll covered.
type pollSink interface {
	CommitPoll(source string, ms []store.Mention, cursor []byte, cov store.SourceCoverage) (store.CommitResult, error)
}

// CommitPoll publishes the poll's coverage, then Commit: the record goes
// through the stream ahead of the poll's mentions, so every node records
// the poll's reach before a mention's (lookback 0) could stand in for it,
// as one transaction does on a single node (listener/ingest.PollSink). A
// poll whose commit fails keeps its cursor and is polled again: the repeat
// has the same message id (source and cursor revision), deduplicated.
func (s *Sink) CommitPoll(source string, ms []store.Mention, cursor []byte, cov store.SourceCoverage) (store.CommitResult, error) {
	if cursor != nil && !s.covered(source) {
		s.mu.Lock()
		rev, ok := s.revs[source]
		s.mu.Unlock()
		if !ok {
			return store.CommitResult{}, fmt.Errorf("cluster: commit of %s without a cursor read first", source)
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
		err := s.n.publishCoverage(ctx, source, cursor, rev, cov)
		cancel()
		if err != nil {
			return store.CommitResult{}, fmt.Errorf("cluster: record coverage of %s: %w", source, err)
		}
	}
	res, err := s.Commit(source, ms, cursor)
	if err == nil && cursor != nil {
		s.mu.Lock()
		s.done[source] = true
		s.mu.Unlock()
	}
	return res, err
}

// coverageReader is a local store that tells what each source covers.
type coverageReader interface {
	Coverage(ctx context.Context) (map[string]store.SourceCoverage, error)
}

// covered reports whether the source's coverage needs no message: only a
// source's first completed poll sets its record (a later poll's reaches
// no further back), so once this node committed a poll of it, or its
// store holds a record, polls publish none.
func (s *Sink) covered(source string) bool {
	s.mu.Lock()
	done := s.done[source]
	s.mu.Unlock()
	if done {
		return true
	}
	if cr, ok := s.local.(coverageReader); ok {
		ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
		defer cancel()
		if cov, err := cr.Coverage(ctx); err == nil {
			if _, ok := cov[source]; ok {
				return true
			}
		}
	}
	return false
}

// Get looks a mention up in the local store (listener/ingest.Getter).
func (s *Sink) Get(id string) (store.Mention, bool, error) { return s.local.Get(id) }

// publish sends every mention asynchronously and waits for all acks.
func (n *Node) publish(ctx context.Context, ms []store.Mention) ([]*jetstream.PubAck, error) {
	futs := make([]jetstream.PubAckFuture, 0, len(ms))
	for i := range ms {
		b, err := json.Marshal(&ms[i])
		if err != nil {
			return nil, fmt.Errorf("cluster: encode mention %s: %w", ms[i].ID, err)
		}
		f, err := n.js.PublishAsync(n.names.subject, b, jetstream.WithMsgID(ms[i].ID))
		if err != nil {
			return nil, fmt.Errorf("cluster: publish mention %s: %w", ms[i].ID, err)
		}
		futs = append(futs, f)
	}
	acks := make([]*jetstream.PubAck, 0, len(futs))
	for i, f := range futs {
		select {
		case a := <-f.Ok():
			acks = append(acks, a)
		case err := <-f.Err():
			return nil, fmt.Errorf("cluster: mention %s not acknowledged: %w", ms[i].ID, err)
		case <-ctx.Done():
			return nil, fmt.Errorf("cluster: waiting for acks: %w", ctx.Err())
		case <-n.closed:
			return nil, fmt.Errorf("cluster: waiting for acks: %w", nats.ErrConnectionClosed)
		}
	}
	return acks, nil
}
