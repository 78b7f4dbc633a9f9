package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/store"
)

// Snapshots: one node (the holder of the snapshot lease) periodically puts
// a consistent copy of its store into JetStream's object store, with the
// stream sequence it covers; a new or wiped node restores it before its
// store opens and follows the stream from the next sequence, instead of
// replaying the whole stream.

// KindSnapshot is the snapshot taker's lease kind; SnapshotLease its name.
const (
	KindSnapshot  = "snapshot"
	SnapshotLease = "store"
)

// snapshotObject is the object's name in the snapshot bucket.
const snapshotObject = "store"

// Metadata keys of the snapshot object.
const (
	metaSeq   = "stream-seq"
	metaNode  = "node"
	metaTaken = "taken"
)

// Snapshotter is what a snapshot needs of the local store: a consistent
// copy of its database.
type Snapshotter interface {
	Snapshot(ctx context.Context) (*store.Snapshot, error)
}

// SnapshotInfo describes the snapshot in the object store.
type SnapshotInfo struct {
	Seq   uint64 // every stream message up to Seq is in it
	Node  string
	Taken time.Time
	Size  uint64
}

func (n *Node) snapshots(ctx context.Context) (jetstream.ObjectStore, error) {
	name := n.names.snapshots
	obs, err := n.js.ObjectStore(ctx, name)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		r := max(n.o.Cluster.Replicas, 1)
		obs, err = n.js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: name, Replicas: r, Storage: jetstream.FileStorage,
			Description: "Earshot store snapshots: a new node restores one, then follows the stream"})
	}
	if err != nil {
		return nil, fmt.Errorf("cluster: snapshot bucket %s: %w", name, err)
	}
	return obs, nil
}

// TakeSnapshot copies local (between two of the follower's batches, so
// the copy holds exactly the stream up to the sequence recorded) and puts
// it into the object store, replacing the previous one.
func (n *Node) TakeSnapshot(ctx context.Context, local Snapshotter) (SnapshotInfo, error) {
	n.follow.Lock()
	seq := n.follow.committed
	snap, err := local.Snapshot(ctx)
	n.follow.Unlock()
	if err != nil {
		return SnapshotInfo{}, fmt.Errorf("cluster: snapshot: %w", err)
	}
	defer snap.Close()
	if seq == 0 {
		return SnapshotInfo{}, errors.New("cluster: snapshot: this node has committed nothing from the stream yet")
	}
	obs, err := n.snapshots(ctx)
	if err != nil {
		return SnapshotInfo{}, err
	}
	info := SnapshotInfo{Seq: seq, Node: n.name, Taken: n.o.Clock().UTC(), Size: uint64(snap.Size)}
	_, err = obs.Put(ctx, jetstream.ObjectMeta{Name: snapshotObject, Description: "bbolt database of " + n.name,
		Metadata: map[string]string{metaSeq: strconv.FormatUint(seq, 10), metaNode: n.name, metaTaken: info.Taken.Format(time.RFC3339Nano)}}, snap)
	if err != nil {
		return SnapshotInfo{}, fmt.Errorf("cluster: snapshot: upload: %w", err)
	}
	return info, nil
}

// SnapshotEvery takes a snapshot every interval until ctx ends (run under
// the snapshot lease: Singleton(ctx, KindSnapshot, SnapshotLease, …)).
func (n *Node) SnapshotEvery(ctx context.Context, local Snapshotter, every time.Duration) error {
	if every <= 0 {
		every = config.DefaultSnapshotEvery.Std()
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		start := time.Now()
		info, err := n.TakeSnapshot(ctx, local)
		if err != nil {
			if ctx.Err() == nil {
				n.log.Error().Err(err).Msg("cluster: snapshot failed; tried again next interval")
			}
			continue
		}
		n.log.Info().Uint64("stream_seq", info.Seq).Uint64("bytes", info.Size).Dur("took", time.Since(start)).Msg("cluster: snapshot stored")
	}
}

// restore installs the cluster's snapshot as this data dir's database
// when the data dir is new (no database): the follower then starts after
// the snapshot's sequence. No snapshot: nothing happens (the node replays
// the stream).
func (n *Node) restore(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(n.o.DataDir, "earshot.db")); err == nil {
		return nil // a database is there: follow from its consumer
	}
	obs, err := n.snapshots(ctx)
	if err != nil {
		return err
	}
	res, err := obs.Get(ctx, snapshotObject)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cluster: read snapshot: %w", err)
	}
	defer res.Close()
	oi, err := res.Info()
	if err != nil {
		return fmt.Errorf("cluster: read snapshot: %w", err)
	}
	seq, err := strconv.ParseUint(oi.Metadata[metaSeq], 10, 64)
	if err != nil || seq == 0 {
		return fmt.Errorf("cluster: snapshot without a stream sequence (%q)", oi.Metadata[metaSeq])
	}
	tmp, err := os.CreateTemp(n.o.DataDir, "snapshot-*.db")
	if err != nil {
		return fmt.Errorf("cluster: restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, res) // the object's digest is checked at EOF
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cluster: restore: download: %w", err)
	}
	if _, err := store.Restore(n.o.DataDir, tmp.Name(), store.Options{Logger: n.log}); err != nil {
		return fmt.Errorf("cluster: restore: %w", err)
	}
	n.follow.Lock()
	n.follow.restored = seq
	n.follow.Unlock()
	n.log.Info().Uint64("stream_seq", seq).Str("from", oi.Metadata[metaNode]).Str("taken", oi.Metadata[metaTaken]).
		Msg("cluster: restored the store from the snapshot; following the stream after it")
	return nil
}

// Restored is the stream sequence of the snapshot this node's store was
// restored from when it opened (0: none).
func (n *Node) Restored() uint64 {
	n.follow.Lock()
	defer n.follow.Unlock()
	return n.follow.restored
}
