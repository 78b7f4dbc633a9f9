package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/earshot/earshot/config"
	"github.com/earshot/earshot/daemon"
	"github.com/earshot/earshot/internal/freeport"
	"github.com/earshot/earshot/web"
)

// clusterSearch is the search every demo node answers.
const clusterSearch = "아크미 OR Acme"

// nodeCluster is the [cluster] section of demo node i: an embedded NATS
// server on loopback routed to the others.
func nodeCluster(i int, client, route []int) config.Cluster {
	var routes []string
	for j := range route {
		if j != i {
			routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", route[j]))
		}
	}
	return config.Cluster{Embedded: true, Name: config.DefaultClusterName, NodeName: fmt.Sprintf("node%d", i+1),
		Listen: fmt.Sprintf("127.0.0.1:%d", client[i]), ClusterListen: fmt.Sprintf("127.0.0.1:%d", route[i]),
		Routes: routes, Replicas: min(config.DefaultClusterReplicas, len(client)), LeaseTTL: config.Duration(2 * time.Second)}
}

// SetupCluster starts the demo's replay once and opens nodes daemons on
// the demo config, each with its data dir root/nodeN, a free API port and
// an embedded NATS server routed to the others: the nodes share
// everything but the node-local keys, so their config hashes agree. stop
// ends the replay.
func SetupCluster(nodes int, root string, opts daemon.Options) (ds []*daemon.Daemon, stop func(), err error) {
	if nodes < 1 {
		return nil, nil, errors.New("demo: -nodes must be at least 1")
	}
	ports, err := freeport.Loopback(2 * nodes)
	if err != nil {
		return nil, nil, err
	}
	// Setup starts the replay and parses the demo config; its daemon is
	// only the template of the nodes' configs.
	d0, stop, err := Setup("127.0.0.1:0", filepath.Join(root, "template"), opts)
	if err != nil {
		return nil, nil, err
	}
	base := d0.Config()
	if err := d0.Close(); err != nil {
		stop()
		return nil, nil, err
	}
	opts.HostGap = -1
	ds = make([]*daemon.Daemon, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes { // together: each waits for the others to form the cluster
		wg.Go(func() {
			c := *base
			c.Earshot.DataDir = filepath.Join(root, fmt.Sprintf("node%d", i+1))
			c.Earshot.Listen = "127.0.0.1:0"
			c.Cluster = nodeCluster(i, ports[:nodes], ports[nodes:])
			ds[i], errs[i] = daemon.Open(&c, opts) // the cluster's log lines name the node
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, d := range ds {
			if d != nil {
				d.Close()
			}
		}
		stop()
		return nil, nil, err
	}
	return ds, stop, nil
}

// WaitConverged waits until every node has committed the whole stream
// (no consumer lag), the stream has stopped growing for a second, and each
// node's index has caught up.
func WaitConverged(ctx context.Context, ds []*daemon.Daemon) error {
	var last uint64
	stable := 0
	for stable < 3 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		st, err := ds[0].Cluster().Status(ctx)
		if err != nil {
			stable = 0
			continue
		}
		lagging := st.Messages == 0
		for _, n := range st.Nodes {
			lagging = lagging || n.Live && n.Pending != 0
		}
		if lagging || st.LastSeq != last {
			last, stable = st.LastSeq, 0
			continue
		}
		stable++
	}
	for _, d := range ds {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		err := d.Store().Sync(sctx)
		cancel()
		if err != nil {
			return fmt.Errorf("index sync: %w", err)
		}
	}
	return nil
}

// RunCluster is `earshot demo -nodes N`: N nodes on loopback, each
// answering the same search through its own API.
func RunCluster(ctx context.Context, o Options, nodes int) error {
	if o.DataDir == "" {
		dir, err := os.MkdirTemp("", "earshot-demo-cluster-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.DataDir = dir
	}
	ds, stop, err := SetupCluster(nodes, o.DataDir, daemon.Options{Logger: o.Logger, Clock: time.Now, Version: o.Version})
	if err != nil {
		return err
	}
	defer stop()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, len(ds))
	for _, d := range ds {
		go func() { done <- d.Run(runCtx) }()
	}
	wait := func() error {
		cancel()
		var first error
		for range ds {
			if err := <-done; err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	if err := WaitConverged(ctx, ds); err != nil {
		return errors.Join(err, wait())
	}
	if err := printCluster(ctx, o.Stdout, ds); err != nil {
		return errors.Join(err, wait())
	}
	if o.Once {
		return wait()
	}
	fmt.Fprintln(o.Stdout, "\nThe demo cluster is running; Ctrl-C stops it. Stop one node's process in a real cluster and its sources move to the others.")
	<-ctx.Done()
	return wait()
}

// printCluster prints the cluster's status and each node's answer to the
// same search, asked through its own HTTP API.
func printCluster(ctx context.Context, w io.Writer, ds []*daemon.Daemon) error {
	st, err := ds[0].Cluster().Status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nEarshot demo cluster — %d nodes, each with an embedded NATS server (JetStream, R%d), on loopback\n\n", len(ds), st.Replicas)
	st.Write(w)
	fmt.Fprintf(w, "\nThe same search on every node (%s):\n", clusterSearch)
	for _, d := range ds {
		res, err := searchAPI(ctx, d.Addr(), clusterSearch)
		if err != nil {
			return fmt.Errorf("%s: %w", d.Cluster().Name(), err)
		}
		first := ""
		if len(res.Hits) > 0 {
			first = res.Hits[0].ID
		}
		fmt.Fprintf(w, "  %-6s %s  %d mentions, newest %s\n", d.Cluster().Name(), d.Addr(), res.Total, first)
	}
	fmt.Fprintf(w, "\nTry: curl '%s/api/search?q=%s'   (any node answers)\n", ds[len(ds)-1].Addr(), url.QueryEscape(clusterSearch))
	return nil
}

func searchAPI(ctx context.Context, base, q string) (*web.SearchResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/search?sort=newest&q="+url.QueryEscape(q), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("search: http %d: %s", resp.StatusCode, b)
	}
	var out web.SearchResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&out); err != nil {
		return nil, err
	}
	return &out, nil
}
