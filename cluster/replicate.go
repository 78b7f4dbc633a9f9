package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/earshot/earshot/store"
)

// What besides mentions goes through the stream, so that every node's
// store says the same: engagement refreshes (read by one node, the holder
// of the refresh lease) and poll coverage (recorded by the node that
// polled). Both are idempotent in the store: a refresh whose schedule
// entry is gone is ignored, and coverage keeps the first poll's record.

// RefreshLease is the name of the engagement refresher's lease (kind
// KindRefresh): one node refreshes, every node applies.
const RefreshLease = "engagement"

// KindRefresh is the engagement refresher's lease kind.
const KindRefresh = "refresh"

// refreshStore is what a node's store does with refreshes.
type refreshStore interface {
	DueRefreshes(now time.Time, after []byte, limit int) ([]store.Due, error)
	ApplyRefreshes(rs []store.Refreshed) (store.RefreshResult, error)
}

// coverageMsg is one completed poll's coverage, as CommitPoll records it.
type coverageMsg struct {
	Source   string               `json:"source"`
	Cursor   []byte               `json:"cursor"`
	Coverage store.SourceCoverage `json:"coverage"`
}

// RefreshStore is the engagement refresher's store in a cluster
// (refresh.Store): due refreshes are this node's; applying publishes the
// outcomes to the stream (acknowledged) and then applies them here, so
// every node takes the same counts.
type RefreshStore struct {
	n     *Node
	local refreshStore
}

// RefreshStore returns the refresher's store over local.
func (n *Node) RefreshStore(local interface {
	DueRefreshes(now time.Time, after []byte, limit int) ([]store.Due, error)
	ApplyRefreshes(rs []store.Refreshed) (store.RefreshResult, error)
}) RefreshStore {
	return RefreshStore{n: n, local: local}
}

// DueRefreshes reads this node's schedule.
func (r RefreshStore) DueRefreshes(now time.Time, after []byte, limit int) ([]store.Due, error) {
	return r.local.DueRefreshes(now, after, limit)
}

// ApplyRefreshes publishes rs, then applies them locally (the local
// follower's copy then finds the schedule entries gone: idempotent). The
// follower is held off meanwhile: applying the stream's copy first would
// leave the local apply nothing to match, and the refresher would count
// every outcome as unmatched.
func (r RefreshStore) ApplyRefreshes(rs []store.Refreshed) (store.RefreshResult, error) {
	if len(rs) == 0 {
		return store.RefreshResult{}, nil
	}
	r.n.follow.Lock()
	defer r.n.follow.Unlock()
	b, err := json.Marshal(rs)
	if err != nil {
		return store.RefreshResult{}, fmt.Errorf("cluster: encode refreshes: %w", err)
	}
	sum := sha256.Sum256(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := r.n.js.Publish(ctx, r.n.names.refreshes, b, jetstream.WithMsgID("refresh:"+hex.EncodeToString(sum[:16]))); err != nil {
		return store.RefreshResult{}, fmt.Errorf("cluster: publish refreshes: %w", err)
	}
	return r.local.ApplyRefreshes(rs)
}

// publishCoverage sends a completed poll's coverage to every node.
func (n *Node) publishCoverage(ctx context.Context, source string, cursor []byte, rev uint64, cov store.SourceCoverage) error {
	b, err := json.Marshal(coverageMsg{Source: source, Cursor: cursor, Coverage: cov})
	if err != nil {
		return fmt.Errorf("cluster: encode coverage: %w", err)
	}
	_, err = n.js.Publish(ctx, n.names.coverage, b, jetstream.WithMsgID(fmt.Sprintf("coverage:%s:%d", source, rev)))
	return err
}

// applyOther applies one refresh or coverage message to local (a store
// without the method skips it).
func (n *Node) applyOther(local LocalStore, m jetstream.Msg) error {
	switch m.Subject() {
	case n.names.refreshes:
		rst, ok := local.(refreshStore)
		if !ok {
			return nil
		}
		var rs []store.Refreshed
		if err := json.Unmarshal(m.Data(), &rs); err != nil {
			n.log.Error().Err(err).Msg("cluster: undecodable refreshes skipped")
			return nil
		}
		if err := localKeys(rst, rs); err != nil {
			return err
		}
		_, err := rst.ApplyRefreshes(rs)
		return err
	case n.names.coverage:
		ps, ok := local.(pollSink)
		if !ok {
			return nil
		}
		var c coverageMsg
		if err := json.Unmarshal(m.Data(), &c); err != nil || c.Source == "" || c.Cursor == nil {
			n.log.Error().Err(err).Msg("cluster: undecodable coverage skipped")
			return nil
		}
		_, err := ps.CommitPoll(c.Source, nil, c.Cursor, c.Coverage)
		return err
	}
	n.log.Warn().Str("subject", m.Subject()).Msg("cluster: message of an unknown subject skipped")
	return nil
}

// localKeys rewrites each refresh's schedule key to this node's: a key is
// the due time (the same on every node: it follows from the mention and
// its last refresh) and the mention's local sequence (which differs on a
// node that rebuilt after retention dropped the stream's head). A refresh
// with no entry here keeps its key and is ignored by the store.
func localKeys(st refreshStore, rs []store.Refreshed) error {
	for i := range rs {
		k := rs[i].Key
		if len(k) != 16 {
			continue
		}
		after := append(append([]byte{}, k[:8]...), make([]byte, 8)...)
		at := time.Unix(0, int64(binary.BigEndian.Uint64(k[:8])^(1<<63)))
		ds, err := st.DueRefreshes(at, after, 64)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.ID == rs[i].ID {
				rs[i].Key = d.Key
				break
			}
		}
	}
	return nil
}
