package cluster

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"

	"github.com/earshot/earshot/config"
)

// Options configure a Node.
type Options struct {
	Cluster config.Cluster
	// DataDir holds the embedded server's store (nats/) and the data
	// dir's incarnation (cluster-incarnation).
	DataDir string
	// Hash is the config hash (Hash); Retention the stream's MaxAge (0 =
	// forever).
	Hash      string
	Retention time.Duration
	Version   string
	Logger    zerolog.Logger
	Clock     func() time.Time // stamps records; nil = time.Now
	// Restore: a new or wiped data dir (no database) restores the
	// cluster's latest snapshot before the store opens (snapshot.go).
	Restore bool
}

// Node is this Earshot process's membership of the cluster.
type Node struct {
	o      Options
	name   string
	ttl    time.Duration
	log    zerolog.Logger
	srv    *server.Server // nil with nats_urls
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	names  names
	kv     struct{ leases, nodes, cursors, ledger jetstream.KeyValue }
	// incarnation names this data dir: a wiped one gets a new consumer.
	incarnation string
	started     time.Time
	lease       leaseState
	sources     sourceStates
	lag         lagRecorder
	closeOnce   sync.Once
	// follow is held while the follower commits a batch (a snapshot is
	// taken between batches); committed is the last stream sequence
	// committed locally, restored the snapshot's sequence this store was
	// restored from (snapshot.go).
	follow struct {
		sync.Mutex
		committed, restored uint64
	}
	fresh bool // the data dir's incarnation was made by this Open
	// closed is closed by Close: waits on acks end at once (the client
	// does not fail pending acks when its connection is closed).
	closed chan struct{}
	nlog   *natsLog // the embedded server's log (nil with nats_urls)
}

// names are the JetStream names of one Earshot cluster (prefixed with the
// cluster name, so several can share one NATS cluster).
type names struct {
	stream, subject, refreshes, coverage, leases, nodes, cursors, ledger, snapshots string
}

func namesFor(cluster string) names {
	return names{stream: cluster + "_mentions", subject: cluster + ".mentions", refreshes: cluster + ".refreshes",
		coverage: cluster + ".coverage", leases: cluster + "_leases", nodes: cluster + "_nodes", cursors: cluster + "_cursors",
		ledger: cluster + "_ledger", snapshots: cluster + "_snapshots"}
}

// subjects are the stream's subjects: mentions, engagement refreshes and
// poll coverage, one log in one order.
func (n names) subjects() []string { return []string{n.subject, n.refreshes, n.coverage} }

// Open starts the embedded server (when configured), connects, and creates
// or updates the stream and buckets, retrying until ctx ends while the
// cluster elects its leaders.
func Open(ctx context.Context, o Options) (*Node, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	cl := o.Cluster
	if !cl.Enabled() || cl.NodeName == "" {
		return nil, errors.New("cluster: not configured (nats_urls or embedded, and node_name)")
	}
	n := &Node{o: o, name: cl.NodeName, ttl: cl.LeaseTTL.Std(), log: o.Logger.With().Str("node", cl.NodeName).Logger(),
		names: namesFor(cl.Name), started: time.Now(), closed: make(chan struct{})}
	if n.ttl <= 0 {
		n.ttl = config.DefaultLeaseTTL.Std()
	}
	n.lease.init()
	var err error
	if n.incarnation, n.fresh, err = incarnation(o.DataDir); err != nil {
		return nil, err
	}
	urls := strings.Join(cl.NATSURLs, ",")
	if cl.Embedded {
		n.nlog = newNATSLog(n.log)
		if n.srv, err = startServer(cl, o.DataDir, n.nlog); err != nil {
			return nil, err
		}
		urls = n.srv.ClientURL()
	}
	n.nc, err = nats.Connect(urls, append(clientOptions(cl), nats.Name("earshot-"+n.name), nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond), nats.RetryOnFailedConnect(true))...)
	if err != nil {
		n.shutdown()
		return nil, fmt.Errorf("cluster: connect to %s: %w", urls, err)
	}
	if n.js, err = jetstream.New(n.nc); err != nil {
		n.shutdown()
		return nil, fmt.Errorf("cluster: jetstream: %w", err)
	}
	err = retry(ctx, func(ctx context.Context) error {
		if err := refused(n.nc); err != nil {
			return permanent{err}
		}
		return n.setup(ctx)
	})
	if err != nil {
		n.shutdown()
		if r := n.nlog.routeError(); r != "" {
			err = fmt.Errorf("%w; the embedded server's routes to the others fail (check [cluster] user and password_env or token_env, "+
				"and tls_ca, tls_cert and tls_key, on every node): %s", err, r)
		}
		return nil, fmt.Errorf("cluster: set up stream and buckets: %w", err)
	}
	if n.fresh && o.Restore {
		if err := retry(ctx, n.restore); err != nil {
			n.shutdown()
			return nil, err
		}
	}
	n.log.Info().Str("servers", urls).Int("replicas", cl.Replicas).Dur("lease_ttl", n.ttl).Str("incarnation", n.incarnation).Msg("joined the cluster")
	return n, nil
}

// setup creates or updates the stream and the buckets.
func (n *Node) setup(ctx context.Context) error {
	r := n.o.Cluster.Replicas
	if r <= 0 {
		r = 1
	}
	dups := 10 * time.Minute
	if n.o.Retention > 0 && n.o.Retention < dups {
		dups = n.o.Retention
	}
	want := jetstream.StreamConfig{
		Name: n.names.stream, Subjects: n.names.subjects(), Replicas: r, Storage: jetstream.FileStorage,
		MaxAge: n.o.Retention, Duplicates: dups, Description: "Earshot mentions: the replicated log"}
	// Read first: concurrent creates of one stream by nodes starting
	// together can go unanswered, so only a missing or changed one is written.
	st, err := n.js.Stream(ctx, want.Name)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound):
		st, err = n.js.CreateStream(ctx, want)
	case err == nil:
		if c := st.CachedInfo().Config; c.Replicas != want.Replicas || c.MaxAge != want.MaxAge || c.Duplicates != want.Duplicates ||
			!slices.Equal(c.Subjects, want.Subjects) {
			st, err = n.js.UpdateStream(ctx, want)
		}
	}
	if err != nil {
		return fmt.Errorf("stream %s: %w", want.Name, err)
	}
	n.stream = st
	for _, b := range []struct {
		kv   *jetstream.KeyValue
		name string
		ttl  time.Duration
		// linear: reads go to the stream leader, never to a replica that
		// may lag (cursors read back what this node wrote; the ledger
		// must show a send to the next sender).
		linear bool
	}{{&n.kv.leases, n.names.leases, n.ttl, true}, {&n.kv.nodes, n.names.nodes, n.ttl, false},
		{&n.kv.cursors, n.names.cursors, 0, true}, {&n.kv.ledger, n.names.ledger, 0, true}} {
		cfg := jetstream.KeyValueConfig{Bucket: b.name, TTL: b.ttl, Replicas: r, Storage: jetstream.FileStorage, History: 1}
		kv, err := n.js.KeyValue(ctx, b.name)
		switch {
		case errors.Is(err, jetstream.ErrBucketNotFound):
			kv, err = n.js.CreateKeyValue(ctx, cfg)
		case err == nil:
			var s jetstream.KeyValueStatus
			if s, err = kv.Status(ctx); err == nil && (s.TTL() != b.ttl || replicasOf(s) != r) {
				kv, err = n.js.UpdateKeyValue(ctx, cfg)
			}
		}
		if err == nil && b.linear {
			kv, err = n.noDirect(ctx, b.name)
		}
		if err != nil {
			return fmt.Errorf("bucket %s: %w", b.name, err)
		}
		*b.kv = kv
	}
	return nil
}

// retry calls f until it succeeds or ctx ends (JetStream answers "no
// leader" for a few seconds while a new cluster forms).
func retry(ctx context.Context, f func(context.Context) error) error {
	wait := 100 * time.Millisecond
	for {
		actx, cancel := context.WithTimeout(ctx, 3*time.Second)
		err := f(actx)
		cancel()
		var p permanent
		switch {
		case err == nil:
			return nil
		case errors.As(err, &p):
			return p.error
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %w)", ctx.Err(), err)
		case <-time.After(wait/2 + rand.N(wait)): // jittered: nodes starting together do not collide again
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// incarnation reads (or creates) the random id of this data dir.
// fresh is true when it was created now (a new or wiped data dir).
func incarnation(dir string) (id string, fresh bool, err error) {
	p := filepath.Join(dir, "cluster-incarnation")
	if b, err := os.ReadFile(p); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return strings.TrimSpace(string(b)), false, nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", false, fmt.Errorf("cluster: read incarnation: %w", err)
	}
	var b [6]byte
	if _, err := crand.Read(b[:]); err != nil {
		return "", false, err
	}
	id = hex.EncodeToString(b[:])
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", false, fmt.Errorf("cluster: %w", err)
	}
	if err := os.WriteFile(p, []byte(id+"\n"), 0o600); err != nil {
		return "", false, fmt.Errorf("cluster: write incarnation: %w", err)
	}
	return id, true, nil
}

// Name is the node's name.
func (n *Node) Name() string { return n.name }

// TTL is the lease TTL.
func (n *Node) TTL() time.Duration { return n.ttl }

// Close drops the connection and stops the embedded server at once, as a
// crash would: leases are not released (Run releases them when its
// context ends first) and expire after the TTL.
func (n *Node) Close() { n.closeOnce.Do(n.shutdown) }

func (n *Node) shutdown() {
	close(n.closed)
	if n.nc != nil {
		n.nc.Close()
	}
	if n.srv != nil {
		n.srv.Shutdown()
		n.srv.WaitForShutdown()
	}
}

func replicasOf(s jetstream.KeyValueStatus) int {
	if bs, ok := s.(*jetstream.KeyValueBucketStatus); ok {
		return bs.StreamInfo().Config.Replicas
	}
	return 0
}

// noDirect turns off direct gets on a bucket's stream (answered by any
// replica, possibly a lagging one) and binds it again, so that its reads
// are answered by the stream leader.
func (n *Node) noDirect(ctx context.Context, bucket string) (jetstream.KeyValue, error) {
	st, err := n.js.Stream(ctx, "KV_"+bucket)
	if err != nil {
		return nil, err
	}
	cfg := st.CachedInfo().Config
	if cfg.AllowDirect {
		cfg.AllowDirect = false
		if _, err := n.js.UpdateStream(ctx, cfg); err != nil {
			return nil, err
		}
	}
	// Bound again in either case: kv may have been bound while direct gets
	// were on and another node turned them off since; a handle that still
	// asks for direct gets finds no responder, on every read, for ever.
	return n.js.KeyValue(ctx, bucket)
}
