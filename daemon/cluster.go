package daemon

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/earshot/earshot/alerts"
	"github.com/earshot/earshot/cluster"
	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/digest"
	"github.com/earshot/earshot/listener/ingest"
	"github.com/earshot/earshot/listener/refresh"
)

// clusterJoinTimeout bounds joining the cluster in Open (the servers may
// still be electing their leaders).
const clusterJoinTimeout = 2 * time.Minute

// openCluster joins the cluster when [cluster] is set: nothing otherwise.
func (d *Daemon) openCluster(cfg *config.Config) error {
	if !cfg.Cluster.Enabled() {
		return nil
	}
	hash, err := cluster.Hash(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), clusterJoinTimeout)
	defer cancel()
	d.cluster, err = cluster.Open(ctx, cluster.Options{Cluster: cfg.Cluster, DataDir: cfg.Earshot.DataDir, Hash: hash,
		Retention: cfg.Earshot.Retention.Std(), Version: d.opts.Version, Logger: d.log, Clock: d.clock, Restore: true})
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// clustered adapts a config's jobs, sink and digest ledger to the cluster:
// each source polls only under its lease, mentions go to the stream and
// cursors to KV, the digest ledger lives in KV. Alone, they stay as given.
func (d *Daemon) clustered(cfg *config.Config, jobs []ingest.Job) (ingest.Sink, digest.Ledger) {
	if d.cluster == nil {
		return d.store, d.store
	}
	if h, err := cluster.Hash(cfg); err == nil {
		d.cluster.SetHash(h) // a reload announces its config's hash
	}
	names := make([]string, len(jobs))
	for i := range jobs {
		names[i] = jobs[i].Source.Name()
		jobs[i].Source = cluster.LeasedSource{Source: jobs[i].Source, Node: d.cluster}
	}
	d.cluster.Want(cluster.KindSource, names...)
	return d.cluster.Sink(d.store), d.cluster.Ledger()
}

// runDigest runs the digest runner: in a cluster only on the node holding
// the digest lease (one sender).
func (d *Daemon) runDigest(ctx context.Context, dg *digest.Runner) error {
	if d.cluster == nil {
		return dg.Run(ctx)
	}
	d.cluster.Singleton(ctx, cluster.KindDigest, "weekly", dg.Run)
	return nil
}

// alertGate is the cluster's alert delivery gate (one sender, the ledger
// in KV); nil alone.
func (d *Daemon) alertGate() alerts.Gate {
	if d.cluster == nil {
		return nil
	}
	return d.cluster.AlertGate()
}

// runRefresh runs the engagement refresher: in a cluster only on the node
// holding the refresh lease (its outcomes reach every node through the
// stream).
func (d *Daemon) runRefresh(ctx context.Context, rf *refresh.Refresher) {
	if d.cluster == nil {
		_ = rf.Run(ctx)
		return
	}
	d.cluster.Singleton(ctx, cluster.KindRefresh, cluster.RefreshLease, rf.Run)
}

// runCluster keeps the node's leases and follows the stream into the
// local store until ctx ends.
func (d *Daemon) runCluster(ctx context.Context, bg *sync.WaitGroup) {
	if d.cluster == nil {
		return
	}
	d.cluster.OnAcquire(func(kind, name string) {
		if kind != cluster.KindSource {
			return
		}
		// A source taken over is polled at once, not at its next turn.
		if err := d.scheduler().RunOnce(ctx, name); err != nil && ctx.Err() == nil {
			d.log.Debug().Err(err).Str("source", name).Msg("cluster: first poll under the lease failed; the scheduler retries")
		}
	})
	bg.Go(func() { _ = d.cluster.Run(ctx) })
	every := d.Config().Cluster.SnapshotEvery.Std()
	bg.Go(func() { // one node's store, now and then, for new nodes to start from
		d.cluster.Singleton(ctx, cluster.KindSnapshot, cluster.SnapshotLease, func(ctx context.Context) error {
			return d.cluster.SnapshotEvery(ctx, d.store, every)
		})
	})
	bg.Go(func() {
		if err := d.cluster.Follow(ctx, d.store); err != nil && ctx.Err() == nil {
			d.log.Error().Err(err).Msg("cluster: following the stream stopped")
		}
	})
}

// closeCluster leaves the cluster (after Run released the leases).
func (d *Daemon) closeCluster() {
	if d.cluster != nil {
		d.cluster.Close()
	}
}

// Cluster is the daemon's cluster node, nil when it runs alone.
func (d *Daemon) Cluster() *cluster.Node { return d.cluster }

// writeClusterStatus prints the cluster's nodes, leases and lag for
// `earshot status`, read from the NATS servers.
func writeClusterStatus(ctx context.Context, cfg *config.Config, w io.Writer) {
	if !cfg.Cluster.Enabled() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := cluster.ReadStatus(ctx, cfg.Cluster)
	if err != nil {
		fmt.Fprintf(w, "cluster: unreachable: %v\n", err)
		return
	}
	st.Write(w)
}
