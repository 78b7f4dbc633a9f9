package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/earshot/earshot/config"
)

// Status is the cluster as its servers see it.
type Status struct {
	Cluster string
	// Messages is how many mentions the stream holds; LastSeq its last
	// sequence; Replicas its configured replicas and Leader the server
	// leading it.
	Messages, LastSeq uint64
	Replicas          int
	Leader            string
	Nodes             []NodeStatus
	Leases            []LeaseStatus
}

// NodeStatus is one node: its heartbeat (Live: seen within the lease TTL)
// and its consumer's lag.
type NodeStatus struct {
	Name, Hash, Version, Refused string
	Started, Seen                time.Time
	Live                         bool
	// Pending is how many stream messages the node has not committed
	// locally yet (its consumer's pending plus unacked); -1 when the node
	// has no consumer yet.
	Pending int64
}

// LeaseStatus is one held lease.
type LeaseStatus struct {
	Kind, Name, Node string
	Renewed          time.Time
}

// Status reads the cluster through this node's connection.
func (n *Node) Status(ctx context.Context) (Status, error) {
	return readStatus(ctx, n.js, n.o.Cluster.Name)
}

// ReadStatus connects to the cluster cfg names (the embedded server's
// client address for an embedded node) and reads its status.
func ReadStatus(ctx context.Context, cfg config.Cluster) (Status, error) {
	urls := strings.Join(cfg.NATSURLs, ",")
	if cfg.Embedded {
		h, p, err := net.SplitHostPort(cfg.Listen)
		if err != nil {
			return Status{}, fmt.Errorf("cluster: listen %q: %w", cfg.Listen, err)
		}
		if h == "" || h == "0.0.0.0" || h == "::" {
			h = "127.0.0.1"
		}
		urls = "nats://" + net.JoinHostPort(h, p)
	}
	nc, err := nats.Connect(urls, append(clientOptions(cfg), nats.Name("earshot-status"), nats.Timeout(3*time.Second))...)
	if err != nil {
		return Status{}, fmt.Errorf("cluster: connect to %s: %w", urls, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return Status{}, err
	}
	return readStatus(ctx, js, cfg.Name)
}

func readStatus(ctx context.Context, js jetstream.JetStream, cluster string) (Status, error) {
	nm := namesFor(cluster)
	st := Status{Cluster: cluster}
	stream, err := js.Stream(ctx, nm.stream)
	if err != nil {
		return st, fmt.Errorf("cluster: stream %s: %w", nm.stream, err)
	}
	// The count per subject: the stream also carries refreshes and
	// coverage records (replicate.go); Messages counts mentions.
	info, err := stream.Info(ctx, jetstream.WithSubjectFilter(nm.subject))
	if err != nil {
		return st, fmt.Errorf("cluster: stream info: %w", err)
	}
	st.Messages, st.LastSeq, st.Replicas = info.State.Subjects[nm.subject], info.State.LastSeq, info.Config.Replicas
	if info.Cluster != nil {
		st.Leader = info.Cluster.Leader
	}
	pending := map[string]int64{}
	for ci := range stream.ListConsumers(ctx).Info() {
		node, _, _ := strings.Cut(ci.Config.Durable, "-")
		if i := strings.LastIndexByte(ci.Config.Durable, '-'); i > 0 && isIncarnation(ci.Config.Durable[i+1:]) {
			node = ci.Config.Durable[:i]
		}
		pending[node] = int64(ci.NumPending) + int64(ci.NumAckPending)
	}
	nodes, err := js.KeyValue(ctx, nm.nodes)
	if err != nil {
		return st, fmt.Errorf("cluster: nodes bucket: %w", err)
	}
	seen := map[string]bool{}
	if keys, err := kvKeys(ctx, nodes); err == nil {
		for _, k := range keys {
			e, err := nodes.Get(ctx, k)
			if err != nil {
				continue
			}
			var m member
			if json.Unmarshal(e.Value(), &m) != nil {
				continue
			}
			p, ok := pending[m.Node]
			if !ok {
				p = -1
			}
			st.Nodes = append(st.Nodes, NodeStatus{Name: m.Node, Hash: m.Hash, Version: m.Version, Refused: m.Refused,
				Started: m.Started, Seen: m.Seen, Live: true, Pending: p})
			seen[m.Node] = true
		}
	} else if !errors.Is(err, jetstream.ErrNoKeysFound) {
		return st, fmt.Errorf("cluster: nodes: %w", err)
	}
	for node, p := range pending {
		if !seen[node] {
			st.Nodes = append(st.Nodes, NodeStatus{Name: node, Pending: p})
		}
	}
	slices.SortFunc(st.Nodes, func(a, b NodeStatus) int { return strings.Compare(a.Name, b.Name) })
	leases, err := js.KeyValue(ctx, nm.leases)
	if err != nil {
		return st, fmt.Errorf("cluster: leases bucket: %w", err)
	}
	if keys, err := kvKeys(ctx, leases); err == nil {
		for _, k := range keys {
			e, err := leases.Get(ctx, k)
			if err != nil {
				continue
			}
			var r leaseRecord
			if json.Unmarshal(e.Value(), &r) != nil {
				continue
			}
			kind, name := parseLeaseKey(k)
			st.Leases = append(st.Leases, LeaseStatus{Kind: kind, Name: name, Node: r.Node, Renewed: r.Renewed})
		}
	} else if !errors.Is(err, jetstream.ErrNoKeysFound) {
		return st, fmt.Errorf("cluster: leases: %w", err)
	}
	slices.SortFunc(st.Leases, func(a, b LeaseStatus) int {
		return strings.Compare(a.Kind+"\x00"+a.Name, b.Kind+"\x00"+b.Name)
	})
	return st, nil
}

// Write prints s in a few lines for `earshot status`.
func (s Status) Write(w io.Writer) {
	fmt.Fprintf(w, "cluster %s: stream %d mentions (last seq %d), replicas %d, leader %s\n",
		s.Cluster, s.Messages, s.LastSeq, s.Replicas, orDash(s.Leader))
	for _, nd := range s.Nodes {
		state := "live"
		if !nd.Live {
			state = "down"
		}
		lag := "no consumer yet"
		if nd.Pending >= 0 {
			lag = fmt.Sprintf("lag %d", nd.Pending)
		}
		fmt.Fprintf(w, "  node %-12s %s, config %s, %s", nd.Name, state, orDash(nd.Hash), lag)
		if nd.Refused != "" {
			fmt.Fprintf(w, ", REFUSING LEASES: %s", nd.Refused)
		}
		fmt.Fprintln(w)
	}
	for _, l := range s.Leases {
		fmt.Fprintf(w, "  lease %-6s %-24s held by %s\n", l.Kind, l.Name, l.Node)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
