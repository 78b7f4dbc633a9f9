package cluster

import (
	"context"
	"sync"
	"time"

	"github.com/earshot/earshot/alerts"
)

// sourceStates is what a node reads of the sources it polls: set once by
// the daemon (ReportSources), read by every heartbeat.
type sourceStates struct {
	mu sync.Mutex
	fn func() []alerts.SourceState
}

// ReportSources gives the node its scheduler's view of the sources: each
// heartbeat publishes the states of the sources this node holds the lease
// of, so that source alert rules on any node (the sender) judge a source
// by the node that polls it.
func (n *Node) ReportSources(fn func() []alerts.SourceState) {
	n.sources.mu.Lock()
	n.sources.fn = fn
	n.sources.mu.Unlock()
}

// heldSources is the states of the sources this node holds the lease of.
func (n *Node) heldSources() []alerts.SourceState {
	n.sources.mu.Lock()
	fn := n.sources.fn
	n.sources.mu.Unlock()
	if fn == nil {
		return nil
	}
	var out []alerts.SourceState
	for _, s := range fn() {
		if n.Holds(KindSource, s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// SourceStates is the cluster's view of the sources in local (this node's
// scheduler): a source this node polls keeps its own state; any other
// takes the state its lease holder published last (the newest heartbeat
// naming it, should two nodes name it during a handover). A source no live
// node polls keeps local: polled by nobody, it stores nothing, and its
// silence counts from this node's start. When the cluster cannot be read,
// sources held elsewhere are left out rather than judged by a node that
// does not poll them.
func (n *Node) SourceStates(ctx context.Context, local []alerts.SourceState) []alerts.SourceState {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ms, err := n.members(ctx)
	var out []alerts.SourceState
	for _, s := range local {
		if n.Holds(KindSource, s.Name) {
			out = append(out, s)
			continue
		}
		if err != nil {
			continue
		}
		var seen time.Time
		found := false
		for _, m := range ms {
			if m.Node == n.name {
				continue
			}
			for _, p := range m.Sources {
				if p.Name == s.Name && (!found || m.Seen.After(seen)) {
					s, seen, found = p, m.Seen, true
				}
			}
		}
		out = append(out, s)
	}
	return out
}
